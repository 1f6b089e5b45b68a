"""Intake: the public report, staff registration, receipt codes, the reporters' files."""
