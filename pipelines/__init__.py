"""Conflict-event warehouse: ingestion, extraction, landing and orchestration."""
