"""Do two warehouses hold the same rows? (The pool against one worker; a replay that parsed
every feed against one that read the parsed-feed cache.)"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import polars as pl

from pipelines.warehouse.mentions import TABLES

# Set from the run's clock, so it differs between two runs by design.
IGNORED = ("extracted_at",)


def differing_rows(
    left: Path, right: Path, tables: Mapping[str, pl.Schema], ignored: tuple[str, ...] = ()
) -> dict[str, int]:
    """Rows in one file's table and not the other's (both ways, duplicates counted), per
    table, comparing every column of the schema but ``ignored``."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as left_db (read_only)")
        con.execute(f"attach '{right}' as right_db (read_only)")
        differences = {}
        for table, schema in tables.items():
            columns = ", ".join(f'"{c}"' for c in schema.names() if c not in ignored)
            schema_name, name = table.split(".", 1)
            one = f"select {columns} from left_db.{schema_name}.{name}"
            other = f"select {columns} from right_db.{schema_name}.{name}"
            differences[table] = con.execute(
                f"select count(*) from (({one} except all {other}) "
                f"union all ({other} except all {one}))"
            ).fetchone()[0]
        return differences
    finally:
        con.close()


def mention_tables(left: Path, right: Path) -> dict[str, int]:
    """Differing rows of the raw mention tables (all columns but the extraction time)."""
    return differing_rows(left, right, TABLES, IGNORED)
