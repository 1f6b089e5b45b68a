"""Pages of petitions: public (no log-in) and staff."""
