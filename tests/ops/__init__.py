"""Tests of operating the pipeline: history and backfills, freshness, analysts, faults, crashes."""
