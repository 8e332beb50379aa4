"""End-to-end tests: the whole pipeline into a temporary warehouse."""
