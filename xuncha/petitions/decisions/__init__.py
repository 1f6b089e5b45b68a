"""Decisions and clocks: signing, disposition, referral, the reporter's notices, deadlines, to-dos."""
