"""Tests of the Dagster definitions (pipelines/defs, pipelines/definitions.py)."""
