"""Tests of landing, flattening and publishing (pipelines/warehouse)."""
