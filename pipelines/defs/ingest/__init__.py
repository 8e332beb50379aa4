"""Fetching feeds and pages into raw/, and landing articles into raw.fetches / raw.articles."""
