"""Opening the pipeline's DuckDB file: UTC sessions and a clear failure when it is locked."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pipelines.warehouse import db

HOLDER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()
    """
)


def test_sessions_are_in_utc(tmp_path: Path):
    with db.connection(tmp_path / "conflict.duckdb") as con:
        assert con.execute("select current_setting('TimeZone')").fetchone() == ("UTC",)


def test_a_file_held_by_another_process_fails_with_what_to_do(tmp_path: Path):
    path = tmp_path / "conflict.duckdb"
    # A notebook or CLI left open on the pipeline's file.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(db.WarehouseLockedError, match="analysts should open the published"):
            db.connect(path, attempts=2, wait_s=0.05)
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # Once the holder is gone the file opens.
    with db.connection(path) as con:
        assert con.execute("select 1").fetchone() == (1,)
