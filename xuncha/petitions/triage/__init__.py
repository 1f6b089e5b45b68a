"""Triage: scope matching, category suggestions, near duplicates and the blind search index."""
