"""Tests of the ingest package (sources, URLs, HTTP, raw store, feeds, pages, collection)."""
