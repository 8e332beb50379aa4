"""Do two warehouses hold the same extraction results? (The pool against one worker.)"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.warehouse.mentions import TABLES

# Set from the run's clock, so it differs between two runs by design.
IGNORED = ("extracted_at",)


def mention_tables(left: Path, right: Path) -> dict[str, int]:
    """Rows in one file's raw mention table and not the other's (both ways), per table."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{left}' as left_db (read_only)")
        con.execute(f"attach '{right}' as right_db (read_only)")
        differences = {}
        for table, schema in TABLES.items():
            columns = ", ".join(f'"{c}"' for c in schema.names() if c not in IGNORED)
            name = table.split(".", 1)[1]
            one = f"select {columns} from left_db.raw.{name}"
            other = f"select {columns} from right_db.raw.{name}"
            differences[table] = con.execute(
                f"select count(*) from (({one} except all {other}) "
                f"union all ({other} except all {one}))"
            ).fetchone()[0]
        return differences
    finally:
        con.close()
