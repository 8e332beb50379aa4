"""An analyst's session on the published analyst database, in a process of its own.

    python -m tests.ops.analyst hold PATH STOP_FILE   one read-only connection, kept open
    python -m tests.ops.analyst poll PATH STOP_FILE   a new short connection every 0.1 s

Either way it reads every mart's row count (in one connection, so from one file) about ten
times a second and prints one JSON line per reading, ``{"counts": {...}}`` or
``{"error": "..."}``, until STOP_FILE exists. It is what an analyst's DuckDB CLI or notebook
does to the file, minus the thinking.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

INTERVAL_S = 0.1


def counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    tables = con.execute(
        "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
    ).fetchall()
    return {
        f"marts.{name}": con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
        for (name,) in tables
    }


def emit(document: dict) -> None:
    print(json.dumps({"t": time.time(), **document}), flush=True)


def hold(path: str, stop: Path) -> None:
    con = duckdb.connect(path, read_only=True)
    try:
        while not stop.exists():
            try:
                emit({"counts": counts(con)})
            except duckdb.Error as exc:
                emit({"error": f"{exc.__class__.__name__}: {exc}"})
            time.sleep(INTERVAL_S)
    finally:
        con.close()


def poll(path: str, stop: Path) -> None:
    while not stop.exists():
        try:
            con = duckdb.connect(path, read_only=True)
            try:
                emit({"counts": counts(con)})
            finally:
                con.close()
        except duckdb.Error as exc:
            emit({"error": f"{exc.__class__.__name__}: {exc}"})
        time.sleep(INTERVAL_S)


def main(argv: list[str]) -> int:
    mode, path, stop = argv
    (hold if mode == "hold" else poll)(path, Path(stop))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
