"""Opening the pipeline's DuckDB file: one configuration, UTC, and patience with the file lock.

DuckDB allows one writing process per file and locks readers out while it writes. A second
process (an analyst's read-only session, a lingering dbt run) makes ``connect`` fail at once
with "Could not set lock on file"; we retry for a while and then fail with a message saying
who to stop. Analysts should read the published copy (``settings.analyst_path``), never this
file.

Within one process DuckDB refuses a second connection to the same file with a different
configuration, so connections here pass no config at all; the UTC time zone is set with
``SET`` after connecting (as a connect-time option it fails: the built-in ICU extension is
only loaded once the database is open). Keep
connections short-lived: open, work, close — a connection left open in a long-lived process
(a Dagster resource, a test) blocks dbt, which runs in another process.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines import settings as settings_module

# Session settings applied after connecting (never as connect config; see above).
SESSION_SQL = "set TimeZone = 'UTC'"
LOCK_MESSAGE = "Could not set lock"


class WarehouseLockedError(RuntimeError):
    """Another process holds the DuckDB file; the message names the file and what to do."""


def warehouse_path() -> Path:
    """The pipeline's DuckDB file from the current settings."""
    return settings_module.load().warehouse_path


def connect(
    path: Path | None = None,
    *,
    read_only: bool = False,
    attempts: int = 20,
    wait_s: float = 0.5,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (default: ``settings.warehouse_path``) with UTC, retrying on the lock.

    ``attempts`` x ``wait_s`` (with a gentle backoff, ~35 s by default) covers a dbt step or an
    analyst's query finishing; beyond that the holder is stuck and a person must act.
    """
    target = Path(path) if path is not None else warehouse_path()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    last_error: duckdb.Error | None = None
    for attempt in range(max(1, attempts)):
        try:
            con = duckdb.connect(str(target), read_only=read_only)
        except duckdb.IOException as exc:
            if LOCK_MESSAGE not in str(exc):
                raise
            last_error = exc
            time.sleep(wait_s * min(1 + attempt, 4))
            continue
        con.execute(SESSION_SQL)
        return con
    raise WarehouseLockedError(
        f"{target}: another process holds the DuckDB lock ({last_error}). Stop it (a dbt run, "
        "a notebook or CLI session on the pipeline file) and retry; analysts should open the "
        "published copy instead."
    )


@contextmanager
def connection(
    path: Path | None = None, *, read_only: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """``connect`` as a context manager that always closes (and so checkpoints) the file."""
    con = connect(path, read_only=read_only)
    try:
        yield con
    finally:
        con.close()
