"""Build the report file from the analyst database: read, render, write atomically."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.report.data import ReportData, load_report_data
from pipelines.report.render import render_report

REPORT_FILE_NAME = "conflict_report.html"


@dataclass(frozen=True)
class ReportResult:
    """Where the report was written and what it shows."""

    path: Path
    status: str
    attacks: int
    countries: int
    size_bytes: int


def published_at(analyst_path: Path) -> str | None:
    """When the analyst copy was published, from the JSON written beside it (None if absent)."""
    manifest = analyst_path.with_suffix(".json")
    try:
        return json.loads(manifest.read_text(encoding="utf-8")).get("published_at")
    except (OSError, ValueError, AttributeError):
        return None


def read_report_data(analyst_path: Path, now: datetime | None = None) -> ReportData:
    """The report's contents from the analyst database (an empty report when it is missing)."""
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    published = published_at(analyst_path)
    if not analyst_path.exists():
        return load_report_data(None, generated_at=generated, published_at=published)
    # Read-only: the publish step replaces the file by rename and never needs our lock.
    con = duckdb.connect(str(analyst_path), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        return load_report_data(con, generated_at=generated, published_at=published)
    finally:
        con.close()


def write_atomic(path: Path, text: str) -> None:
    """Readers (a browser reloading the page) see the old report or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def build_report(
    analyst_path: Path, reports_dir: Path, *, now: datetime | None = None
) -> ReportResult:
    """Render the report of ``analyst_path`` into ``reports_dir``/conflict_report.html."""
    data = read_report_data(Path(analyst_path), now)
    page = render_report(data)
    target = Path(reports_dir) / REPORT_FILE_NAME
    write_atomic(target, page)
    return ReportResult(
        path=target,
        status=data.status,
        attacks=int(data.totals.get("attacks") or 0),
        countries=len(data.countries),
        size_bytes=len(page.encode("utf-8")),
    )
