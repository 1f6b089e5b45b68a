"""Writes of planning: each service validates, writes, and records the audit event."""
