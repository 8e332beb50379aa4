"""`make rebuild` in this process, optionally stopping inside a landing.

    python -m tests.ops.crash_run [--pause-in TABLE --marker FILE]

With ``--pause-in``, the first landing transaction that has put rows into TABLE writes
FILE and sleeps before its commit, so the test can SIGKILL the run at that exact point: the
rows are written but not committed.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.defs import cli
from pipelines.warehouse import landing


def _rows_in(con: duckdb.DuckDBPyConnection, table: str) -> int:
    schema, name = table.split(".")
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, name],
    ).fetchone()[0]
    return con.execute(f"select count(*) from {table}").fetchone()[0] if exists else 0


def pause_inside_landing(table: str, marker: Path) -> None:
    """Wrap landing.transaction: after the body, before the commit, wait to be killed."""
    original = landing.transaction

    @contextmanager
    def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
        with original(con):
            yield con
            if _rows_in(con, table):
                marker.write_text(f"{table}: rows written, not committed\n", encoding="utf-8")
                time.sleep(600)

    landing.transaction = transaction


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pause-in")
    parser.add_argument("--marker", type=Path)
    args = parser.parse_args(argv)
    if args.pause_in:
        pause_inside_landing(args.pause_in, args.marker)
    return cli.main(["rebuild"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
