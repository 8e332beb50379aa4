"""Small helpers that turn frames into Dagster metadata (counts, previews, error tables)."""

from __future__ import annotations

import dagster as dg
import polars as pl

PREVIEW_ROWS = 10


def _markdown(frame: pl.DataFrame) -> str:
    if frame.height == 0:
        return "_no rows_"
    header = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = ["| " + " | ".join(_cell(value) for value in row) + " |" for row in frame.iter_rows()]
    return "\n".join([header, rule, *rows])


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def preview(frame: pl.DataFrame, rows: int = PREVIEW_ROWS) -> dg.MetadataValue:
    """The first rows of a frame as a Markdown table."""
    return dg.MetadataValue.md(_markdown(frame.head(rows)))


def errors_table(frame: pl.DataFrame, *columns: str) -> dg.MetadataValue:
    """Rows whose last column (the message) is set, as Markdown: per-source errors at a glance."""
    message = columns[-1]
    failed = frame.filter(pl.col(message).is_not_null()).select(columns)
    return dg.MetadataValue.md(_markdown(failed.head(50)))


def status_counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    """``{"status_ok": 12, "status_error": 1, ...}`` for a status column."""
    if frame.height == 0:
        return {}
    counts = frame.group_by(column).len().sort(column).iter_rows()
    return {f"{column}_{value}": int(n) for value, n in counts}
