"""Partitions: one per UTC fetch day (the folders of raw/landed/)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import dagster as dg

# The first day the warehouse fetched; earlier days have nothing in raw/ to replay.
FIRST_FETCH_DAY = "2026-11-01"

# end_offset=1 adds today's (still open) day: the hourly poll lands into it.
fetch_days = dg.DailyPartitionsDefinition(start_date=FIRST_FETCH_DAY, timezone="UTC", end_offset=1)


def today_key(now: datetime | None = None) -> str:
    """The partition key of the current UTC day."""
    return (now or datetime.now(UTC)).astimezone(UTC).date().isoformat()


def partition_day(key: str) -> date:
    """The fetch day a partition key stands for."""
    return date.fromisoformat(key)
