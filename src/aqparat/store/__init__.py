"""Persistence: SQL and nothing else. One module per entity holds every query the rest runs."""
