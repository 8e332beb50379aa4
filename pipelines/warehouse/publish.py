"""Publishing the analyst database: a full copy of the pipeline's file, swapped in atomically.

Analysts never open the pipeline's DuckDB file: one writer locks everyone else out, and an
analyst's open session would make the next pipeline write fail. Instead the last step copies
everything (``COPY FROM DATABASE``) into a temporary file in the analyst file's folder and
``os.replace``-s it onto ``settings.analyst_path``. A session already open keeps reading the
old copy (its file handle survives the rename); reconnecting shows the new one. A small JSON
beside it records when it was published and how many rows each table holds.
"""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines import settings as settings_module
from pipelines.warehouse.db import SESSION_SQL

# DuckDB 1.x tools cannot open files in 2.x's newest storage format; this one they can.
DEFAULT_STORAGE_VERSION = "v1.5.0"


class PublishError(RuntimeError):
    """The analyst copy could not be made; the previous copy is still in place."""


@dataclass(frozen=True)
class PublishResult:
    """Where the analyst copy is and what it holds."""

    analyst_path: Path
    manifest_path: Path
    published_at: datetime
    row_counts: dict[str, int]
    size_bytes: int


def manifest_path_for(analyst_path: Path) -> Path:
    """The JSON written beside the analyst file."""
    return analyst_path.with_suffix(".json")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _copy(source: Path, target: Path, storage_version: str | None) -> dict[str, int]:
    """Copy every schema, table and view of ``source`` into a new file ``target``."""
    options = f" (storage_version {_sql_string(storage_version)})" if storage_version else ""
    con = duckdb.connect()
    try:
        con.execute(SESSION_SQL)
        con.execute(f"attach {_sql_string(str(source))} as pipeline_db (read_only)")
        con.execute(f"attach {_sql_string(str(target))} as analyst_db{options}")
        con.execute("copy from database pipeline_db to analyst_db")
        counts = _row_counts(con, "analyst_db")
        con.execute("detach pipeline_db")
        con.execute("detach analyst_db")
    finally:
        con.close()
    return counts


def _row_counts(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = ? order by schema_name, table_name",
        [catalog],
    ).fetchall()
    counts = {}
    for schema_name, table_name in tables:
        row = con.execute(
            f'select count(*) from "{catalog}"."{schema_name}"."{table_name}"'
        ).fetchone()
        counts[f"{schema_name}.{table_name}"] = int(row[0]) if row else 0
    return counts


def _write_json(path: Path, document: dict) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def publish(
    source: Path | None = None,
    target: Path | None = None,
    *,
    storage_version: str | None = DEFAULT_STORAGE_VERSION,
    now: datetime | None = None,
) -> PublishResult:
    """Copy the pipeline database (default ``settings.warehouse_path``) to the analyst file.

    The caller must not hold a connection to ``source`` in this process (DuckDB refuses a
    second configuration of an open file); close it first.
    """
    settings = settings_module.load()
    source = Path(source or settings.warehouse_path)
    target = Path(target or settings.analyst_path)
    if not source.exists():
        raise PublishError(
            f"{source}: the pipeline database does not exist yet; materialise the pipeline "
            "(make run) before publishing"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    # Same folder as the target, so os.replace is a rename on one file system (atomic).
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex}.tmp.duckdb")
    try:
        counts = _copy(source, tmp, storage_version)
        os.replace(tmp, target)
    except duckdb.Error as exc:
        raise PublishError(
            f"copying {source} to {target} failed ({exc}); the previous analyst copy is "
            "unchanged. Check that no other process is writing the pipeline database and retry"
        ) from exc
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    published_at = (now or datetime.now(UTC)).astimezone(UTC)
    manifest = manifest_path_for(target)
    _write_json(
        manifest,
        {
            "published_at": published_at.isoformat(),
            "source": source.name,
            "analyst_file": target.name,
            "storage_version": storage_version,
            "size_bytes": target.stat().st_size,
            "row_counts": counts,
        },
    )
    return PublishResult(target, manifest, published_at, counts, target.stat().st_size)
