"""Landing frames into DuckDB and publishing the analyst copy."""
