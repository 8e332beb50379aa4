"""Fetching, storing and parsing feeds and pages."""
