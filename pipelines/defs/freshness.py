"""Freshness of the sources, judged from raw.fetches, raw.articles and the stored payloads.

Two questions, each an asset check on the landed tables (no Dagster import here; the checks
in ``pipelines.defs.ingest.assets`` call these functions):

* **cadence** — has every enabled source delivered a new article version within its
  ``expected_cadence_hours`` (sources.toml)? A source that has been polled for longer than
  that without ever delivering counts as stale too.
* **entries** — does every source's latest stored feed payload still hold entries? A feed
  that parses but comes back empty (a broken CMS, a moved feed that serves an empty
  channel) is not an error for the fetcher, so it would otherwise go unnoticed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

import duckdb

from pipelines.ingest.feeds import FeedError, parse_feed
from pipelines.ingest.rawstore import RawStore, RawStoreError
from pipelines.ingest.sources import Source


@dataclass(frozen=True)
class SourceCadence:
    """How long since a source last delivered something new, against what is expected."""

    source: str
    expected_cadence_hours: float
    last_new_article_at: datetime | None
    first_fetched_at: datetime | None
    hours_since_new: float | None
    is_stale: bool
    note: str


@dataclass(frozen=True)
class FeedEntries:
    """How many entries a source's latest stored feed payload had, and the one before."""

    source: str
    latest_fetched_at: datetime | None
    latest_entries: int | None
    previous_entries: int | None
    is_empty: bool
    note: str


CADENCE_SQL = """
with fetches as (
    select source, min(fetched_at) as first_fetched_at
    from raw.fetches
    group by source
),

articles as (
    -- fetched_at of an article version is its first sighting: when it was new.
    select source, max(fetched_at) as last_new_article_at
    from raw.articles
    group by source
)

select
    coalesce(fetches.source, articles.source) as source,
    fetches.first_fetched_at,
    articles.last_new_article_at
from fetches
full outer join articles on fetches.source = articles.source
"""

LATEST_FEEDS_SQL = """
select source, fetch_date, fetched_at, payload_sha256, url, content_type
from raw.fetches
where kind = 'feed' and status = 'ok' and payload_sha256 is not null
qualify row_number() over (partition by source order by fetched_at desc, fetch_id) <= 2
order by source, fetched_at desc
"""


def _hours(delta_seconds: float) -> float:
    return round(delta_seconds / 3600, 1)


def source_cadence(
    con: duckdb.DuckDBPyConnection, sources: Iterable[Source], now: datetime
) -> list[SourceCadence]:
    """The cadence verdict of every enabled source (in the sources file's order)."""
    now = now.astimezone(UTC)
    seen = {row[0]: row[1:] for row in con.execute(CADENCE_SQL).fetchall()}
    verdicts = []
    for source in sources:
        if not source.enabled:
            continue
        first_fetched, last_new = seen.get(source.name, (None, None))
        verdicts.append(_cadence(source, first_fetched, last_new, now))
    return verdicts


def _cadence(
    source: Source, first_fetched: datetime | None, last_new: datetime | None, now: datetime
) -> SourceCadence:
    cadence = source.expected_cadence_hours
    if last_new is not None:
        hours = _hours((now - last_new).total_seconds())
        stale = hours > cadence
        note = (
            f"nothing new for {hours:g} h (expected within {cadence:g} h); check the feed and "
            "the fetch errors of raw.fetches"
            if stale
            else f"last new article {hours:g} h ago"
        )
        return SourceCadence(source.name, cadence, last_new, first_fetched, hours, stale, note)
    if first_fetched is None:
        return SourceCadence(
            source.name, cadence, None, None, None, False, "not polled yet (no fetch attempt)"
        )
    hours = _hours((now - first_fetched).total_seconds())
    stale = hours > cadence
    note = (
        f"polled for {hours:g} h and never delivered an article; check the url and the fetch "
        "errors of raw.fetches"
        if stale
        else f"polled for {hours:g} h, nothing delivered yet"
    )
    return SourceCadence(source.name, cadence, None, first_fetched, None, stale, note)


def feed_entries(
    con: duckdb.DuckDBPyConnection, sources: Iterable[Source], store: RawStore
) -> list[FeedEntries]:
    """Entry counts of every enabled source's two latest stored feed payloads."""
    rows: dict[str, list[tuple]] = {}
    for row in con.execute(LATEST_FEEDS_SQL).fetchall():
        rows.setdefault(row[0], []).append(row[1:])
    results = []
    for source in sources:
        if not source.enabled:
            continue
        found = rows.get(source.name, [])
        if not found:
            results.append(
                FeedEntries(source.name, None, None, None, False, "no stored feed payload yet")
            )
            continue
        counts = [_count_entries(source.name, store, *row) for row in found]
        results.append(_entries_verdict(source.name, found[0][1], counts))
    return results


def _count_entries(
    source: str,
    store: RawStore,
    fetch_date: date,
    fetched_at: datetime,
    sha: str,
    url: str | None,
    content_type: str | None,
) -> int | None:
    """Entries in one stored payload (None when it is gone or no longer parses)."""
    try:
        payload = store.get_payload(fetch_date, sha)
        parsed = parse_feed(
            payload,
            source=source,
            fetched_at=fetched_at,
            base_url=url,
            content_type=content_type,
        )
    except (RawStoreError, FeedError):
        return None
    return parsed.entries.height


def _entries_verdict(source: str, fetched_at: datetime, counts: list[int | None]) -> FeedEntries:
    latest = counts[0]
    previous = counts[1] if len(counts) > 1 else None
    if latest is None:
        note = "the latest stored feed payload is missing or no longer parses"
        return FeedEntries(source, fetched_at, None, previous, False, note)
    if latest > 0:
        return FeedEntries(source, fetched_at, latest, previous, False, f"{latest} entries")
    before = f" (it had {previous} before)" if previous else ""
    note = (
        f"the latest feed has no entries{before}; the publisher may have broken or moved the "
        "feed: open its url"
    )
    return FeedEntries(source, fetched_at, latest, previous, True, note)
