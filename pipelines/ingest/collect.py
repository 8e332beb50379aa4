"""The two ingest entry points the orchestrator calls: fetch sources into the raw store, and
replay one stored fetch day into article rows without the network.

The fetch log (``fetches.jsonl`` per day) holds three kinds of record, told apart by the
``record`` field:

* ``fetch``   one per fetch attempt (feed or page), written before the payload is parsed;
* ``outcome`` what happened after a successful fetch (a feed that does not parse);
* ``reuse``   a page not refetched because an unchanged copy is already stored (it points
  at that copy's day and SHA-256), so a replay finds the same text as the first fetch.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import polars as pl

from pipelines.ingest.feedcache import FeedEntriesCache, cached_payload_entries
from pipelines.ingest.feeds import (
    FeedContext,
    FeedError,
    ParsedFeed,
    PayloadEntries,
    entries_frame,
    feed_from_payload,
)
from pipelines.ingest.http import ERROR, NOT_MODIFIED, OK, FetchResult, HttpClient
from pipelines.ingest.pages import PageTextCache, cached_page_text
from pipelines.ingest.rawstore import RawStore, RawStoreError
from pipelines.ingest.schema import ARTICLES_SCHEMA, FETCHES_SCHEMA, PROBLEMS_SCHEMA
from pipelines.ingest.sources import Source
from pipelines.ingest.urls import redact, strip_credentials
from pipelines.settings import Settings

log = logging.getLogger("pipelines.ingest")

FEED, PAGE = "feed", "page"
RECORD_FETCH, RECORD_OUTCOME, RECORD_REUSE = "fetch", "outcome", "reuse"
TEXT_ORIGINS = ("page", "entry_content", "entry_summary", "title")


@dataclass(frozen=True)
class Replay:
    """Everything rebuilt from one stored fetch day."""

    articles: pl.DataFrame  # ARTICLES_SCHEMA
    fetches: pl.DataFrame  # FETCHES_SCHEMA
    problems: pl.DataFrame  # PROBLEMS_SCHEMA
    feeds_parsed: int = 0  # feed payloads parsed by this replay
    feeds_cached: int = 0  # feed payloads whose entries came from the parsed-feed cache


@dataclass
class _Run:
    settings: Settings
    store: RawStore
    client: HttpClient
    now: datetime
    day: date
    records: list[dict[str, Any]]

    def append(self, record: dict[str, Any]) -> None:
        self.store.append_fetch(self.day, record)
        self.records.append(record)


# -- helpers shared by fetch and replay ------------------------------------------------------


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _sha16(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fetch_id(source: str, url: str, fetched_at: datetime, kind: str) -> str:
    """The id of one fetch attempt: SHA-256 of source, URL, time and kind."""
    key = f"{source}\n{url}\n{_utc(fetched_at).isoformat()}\n{kind}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def article_id(url: str | None, source: str, entry_id: str) -> str:
    """Stable article key: 16 hex of SHA-256 of the canonical URL, else of source + entry id."""
    return _sha16(url) if url else _sha16(f"{source}\n{entry_id}")


def article_version(title: str | None, text: str | None) -> str:
    """Version key: 16 hex of SHA-256 of title + blank line + text."""
    return _sha16(f"{title or ''}\n\n{text or ''}")


def select_entries(entries: pl.DataFrame, max_entries: int | None) -> pl.DataFrame:
    """The entries a run works on: the newest ``max_entries`` (all when None), in feed order."""
    if max_entries is None or entries.height <= max_entries:
        return entries
    return (
        entries.sort(["published_at", "position"], descending=[True, False])
        .head(max_entries)
        .sort("position")
    )


def _fetch_record(
    run: _Run,
    *,
    source: str,
    kind: str,
    url: str,
    status: str,
    error: str | None = None,
    result: FetchResult | None = None,
    payload: bytes | None = None,
    **extra: Any,
) -> dict[str, Any]:
    safe_url = redact(url)
    sha = run.store.put_payload(run.day, payload) if payload is not None else None
    record = {
        "record": RECORD_FETCH,
        "fetch_id": fetch_id(source, safe_url, run.now, kind),
        "fetch_date": run.day.isoformat(),
        "source": source,
        "kind": kind,
        "url": safe_url,
        "fetched_at": run.now.isoformat(),
        "status": status,
        "http_status": result.http_status if result else None,
        "payload_sha256": sha,
        "payload_bytes": len(payload) if payload is not None else None,
        "content_type": result.content_type if result else None,
        "error": error if error is not None else (result.error if result else None),
        "final_url": result.final_url if result else None,
        "etag": result.etag if result else None,
        "last_modified": result.last_modified if result else None,
        "attempts": result.attempts if result else None,
    }
    record.update(extra)
    return record


def fetch_frame(records: Iterable[dict[str, Any]]) -> pl.DataFrame:
    """Fold fetch-log records into ``FETCHES_SCHEMA`` rows (an outcome error marks its fetch)."""
    records = list(records)
    outcomes = {
        r["fetch_id"]: r["error"]
        for r in records
        if r.get("record") == RECORD_OUTCOME and r.get("status") == ERROR
    }
    rows = []
    for record in records:
        if record.get("record") != RECORD_FETCH:
            continue
        row = {name: record.get(name) for name in FETCHES_SCHEMA.names()}
        if row["fetch_id"] in outcomes:
            row["status"], row["error"] = ERROR, outcomes[row["fetch_id"]]
        row["fetch_date"] = date.fromisoformat(row["fetch_date"])
        row["fetched_at"] = _utc(datetime.fromisoformat(row["fetched_at"]))
        rows.append(row)
    frame = pl.DataFrame(rows, schema=FETCHES_SCHEMA)
    return frame.unique("fetch_id", keep="first", maintain_order=True).sort(
        ["fetched_at", "source", "kind", "url", "fetch_id"]
    )


# -- fetching --------------------------------------------------------------------------------


def fetch_sources(
    sources: list[Source],
    *,
    settings: Settings,
    store: RawStore,
    now: datetime,
    client: HttpClient | None = None,
) -> pl.DataFrame:
    """Fetch every enabled source's feed and its pages into the raw store.

    Returns one ``FETCHES_SCHEMA`` row per fetch attempt. Every attempt uses ``now`` as its
    time, so one run lands in one fetch day. A failing source never stops the others.
    """
    now = _utc(now)
    own_client = client is None
    client = client or HttpClient(settings)
    run = _Run(settings, store, client, now, now.date(), [])
    try:
        for source in sources:
            if not source.enabled:
                log.info("%s: disabled in the sources file; skipped", source.name)
                continue
            _collect_source_safely(run, source)
    finally:
        if own_client:
            client.close()
    return fetch_frame(run.records)


def _collect_source_safely(run: _Run, source: Source) -> None:
    before = len(run.records)
    try:
        _collect_source(run, source)
    except Exception as exc:  # noqa: BLE001 - one source's bug must not stop the others
        message = (
            f"{source.name}: unexpected {exc.__class__.__name__} while collecting "
            f"{redact(source.url)}: {exc}. This is a pipeline bug: report it with the log"
        )
        log.exception("%s", message)
        feeds = [
            r
            for r in run.records[before:]
            if r.get("record") == RECORD_FETCH and r.get("kind") == FEED
        ]
        if feeds:
            run.append(_outcome(feeds[0]["fetch_id"], message))
        else:
            run.append(
                _fetch_record(
                    run, source=source.name, kind=FEED, url=source.url, status=ERROR, error=message
                )
            )
    finally:
        run.client.state.save()


def _outcome(fetch_id_: str, message: str) -> dict[str, Any]:
    return {"record": RECORD_OUTCOME, "fetch_id": fetch_id_, "status": ERROR, "error": message}


def _feed_extras(source: Source, base_url: str | None) -> dict[str, Any]:
    # What replay needs to rebuild the same entries and articles without the sources file.
    return {
        "base_url": base_url,
        "language": source.language,
        "fetch_pages": source.fetch_pages,
        "max_entries": source.max_entries,
    }


def _collect_source(run: _Run, source: Source) -> None:
    if source.is_remote:
        result = run.client.fetch(source.url, source=source.name, kind=FEED)
        base_url = result.final_url or redact(source.url)
    else:
        result = _read_local(run, source.local_path(run.settings.project_root), source.name, FEED)
        base_url = source.url
    record = _fetch_record(
        run,
        source=source.name,
        kind=FEED,
        url=source.url,
        status=result.status,
        result=result,
        payload=result.body if result.ok else None,
        **_feed_extras(source, base_url),
    )
    run.append(record)  # logged (and the payload stored) before anything parses it
    if not result.ok:
        log.info("%s: feed %s", source.name, result.status)
        return
    if source.is_remote:
        run.client.remember(source.name, source.url, result)
    parsed = _parse_logged(run, record, result.body or b"")
    if parsed is None:
        return
    entries = select_entries(parsed.entries, source.max_entries)
    log.info("%s: %d entries (%d warnings)", source.name, entries.height, len(parsed.warnings))
    if source.fetch_pages:
        _collect_pages(run, source, record, entries)


def _parse_logged(run: _Run, record: dict[str, Any], body: bytes) -> ParsedFeed | None:
    cache = feed_cache(run.settings)
    try:
        entries, _ = _payload_entries(record, cache, lambda: body)
    except FeedError as exc:
        run.append(_outcome(record["fetch_id"], str(exc)))
        log.warning("%s", exc)
        return None
    parsed = feed_from_payload(entries, _feed_context(record))
    for warning in parsed.warnings:
        log.warning("%s: feed %s: %s", record["source"], record["url"], warning)
    return parsed


def feed_cache(settings: Settings) -> FeedEntriesCache:
    """The parsed-feed cache beside the raw store (``<raw_dir>/landed/feeds/``)."""
    return FeedEntriesCache(settings.landed_dir / "feeds")


def _feed_context(record: dict[str, Any]) -> FeedContext:
    return FeedContext(
        source=record["source"],
        fetched_at=_utc(datetime.fromisoformat(record["fetched_at"])),
        default_language=record.get("language"),
    )


def _payload_entries(
    record: dict[str, Any], cache: FeedEntriesCache, load: Callable[[], bytes]
) -> tuple[PayloadEntries, bool]:
    """The feed payload's entries, parsed once per payload and parser version; True when
    they came from the cache."""
    try:
        return cached_payload_entries(
            cache,
            record["payload_sha256"],
            load,
            source=record["source"],
            base_url=record.get("base_url"),
            content_type=record.get("content_type"),
        )
    except (FeedError, RawStoreError):
        raise
    except Exception as exc:  # noqa: BLE001 - a parser crash on odd input is a feed problem
        raise FeedError(
            f"{record['source']}: feed {record['url']} crashed the parser "
            f"({exc.__class__.__name__}: {exc}); the payload is kept in raw/ for a bug report"
        ) from exc


def _read_local(run: _Run, path: Path, source: str, kind: str) -> FetchResult:
    cap = run.settings.max_body_bytes
    try:
        size = path.stat().st_size
        if size > cap:
            raise _LocalFailure(
                f"file is {size:,} bytes, over the {cap:,}-byte cap (PIPELINES_MAX_BODY_BYTES)"
            )
        body = path.read_bytes()
    except FileNotFoundError:
        shown = _shown(path, run.settings.project_root)
        message = f"{source}: {kind} file {shown} does not exist; fix the url in the sources file"
        return FetchResult(status=ERROR, url=str(path), error=message)
    except OSError as exc:  # includes _LocalFailure
        shown = _shown(path, run.settings.project_root)
        message = f"{source}: {kind} file {shown}: {exc}; fix the file or the sources file"
        return FetchResult(status=ERROR, url=str(path), error=message)
    return FetchResult(status=OK, url=str(path), final_url=None, body=body)


class _LocalFailure(OSError):
    """A local file that must not be read (too large)."""


# -- pages -----------------------------------------------------------------------------------


def _page_targets(entries: pl.DataFrame) -> list[dict[str, Any]]:
    """One row per distinct page URL (first in feed order) with its entry's time, if known."""
    return (
        entries.filter(pl.col("url").is_not_null() & pl.col("link").is_not_null())
        .with_columns(
            pl.when(pl.col("is_published_at_fallback"))
            .then(None)
            .otherwise(pl.max_horizontal("published_at", "updated_at"))
            .alias("entry_time")
        )
        .sort("position")
        .unique("url", keep="first", maintain_order=True)
        .select("url", "link", "entry_time")
        .to_dicts()
    )


def _collect_pages(run: _Run, source: Source, feed: dict[str, Any], entries: pl.DataFrame) -> None:
    for target in _page_targets(entries):
        try:
            if source.is_remote:
                _collect_remote_page(run, source, feed, target)
            else:
                _collect_local_page(run, source, feed, target)
        except Exception as exc:  # noqa: BLE001 - one page must not stop the rest
            message = (
                f"{source.name}: unexpected {exc.__class__.__name__} on page "
                f"{redact(target['link'])}: {exc}. This is a pipeline bug: report it"
            )
            log.exception("%s", message)
            run.append(_page_record(run, source, feed, target, status=ERROR, error=message))


def _page_record(
    run: _Run, source: Source, feed: dict[str, Any], target: dict[str, Any], **fields: Any
) -> dict[str, Any]:
    return _fetch_record(
        run,
        source=source.name,
        kind=PAGE,
        url=target["link"],
        feed_fetch_id=feed["fetch_id"],
        entry_url=target["url"],
        **fields,
    )


def _reuse_record(
    run: _Run, source: Source, feed: dict[str, Any], target: dict[str, Any], stored: dict[str, Any]
) -> dict[str, Any]:
    return {
        "record": RECORD_REUSE,
        "source": source.name,
        "feed_fetch_id": feed["fetch_id"],
        "entry_url": target["url"],
        "url": redact(target["link"]),
        "payload_date": stored["day"],
        "payload_sha256": stored["sha"],
        "stored_fetched_at": stored["fetched_at"],
        "fetched_at": run.now.isoformat(),
    }


def _stored_copy(run: _Run, source: Source, target: dict[str, Any]) -> dict[str, Any] | None:
    stored = run.client.state.page(source.name, target["url"])
    if not stored:
        return None
    if not run.store.has_payload(date.fromisoformat(stored["day"]), stored["sha"]):
        return None
    return stored


def _is_newer(entry_time: datetime | None, stored: dict[str, Any]) -> bool:
    if entry_time is None:
        return False
    return _utc(entry_time) > _utc(datetime.fromisoformat(stored["fetched_at"]))


def _collect_remote_page(
    run: _Run, source: Source, feed: dict[str, Any], target: dict[str, Any]
) -> None:
    stored = _stored_copy(run, source, target)
    if stored and not _is_newer(target["entry_time"], stored):
        run.append(_reuse_record(run, source, feed, target, stored))
        return
    # Credentials written into a third-party link are never sent anywhere.
    result = run.client.fetch(
        strip_credentials(target["link"]), source=source.name, kind=PAGE, conditional=bool(stored)
    )
    body = result.body if result.ok else None
    run.append(
        _page_record(run, source, feed, target, status=result.status, result=result, payload=body)
    )
    if result.ok:
        run.client.remember(source.name, target["link"], result)
        _remember_page(run, source, target, run.records[-1]["payload_sha256"])
    elif result.status == NOT_MODIFIED and stored:
        run.append(_reuse_record(run, source, feed, target, stored))
        _remember_page(run, source, target, stored["sha"], day=stored["day"])


def _remember_page(
    run: _Run, source: Source, target: dict[str, Any], sha: str, day: str | None = None
) -> None:
    run.client.state.remember_page(
        source.name,
        target["url"],
        {"day": day or run.day.isoformat(), "sha": sha, "fetched_at": run.now.isoformat()},
    )


def local_page_path(link: str, feed_path: Path, project_root: Path) -> tuple[Path | None, str]:
    """Where a local feed's link points, if it may be read: only files in the feed's folder.

    Returns (path, "ok") or (None, why not and what to do). Symlinks are resolved first, so
    a link inside the folder that points elsewhere is refused too.
    """
    parts = urlsplit(link)
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        return None, (
            "a local feed's http(s) links are not fetched; local feeds read files beside "
            "them (serve the feed over http to fetch remote pages)"
        )
    if scheme not in ("", "file") and len(scheme) > 1:
        return None, f"unsupported link scheme {scheme!r}; link a file beside the feed"
    path = Path(unquote(parts.path))
    if not path.is_absolute():
        path = project_root / path
    folder = feed_path.resolve().parent
    resolved = path.resolve()
    if not resolved.is_relative_to(folder):
        return None, (
            f"the link points outside the feed's folder {_shown(folder, project_root)}; "
            "put the page beside the feed file and link it relatively"
        )
    if not resolved.is_file():
        return None, (
            f"no such file {_shown(resolved, project_root)}; add the page or fix the link"
        )
    return resolved, "ok"


def _shown(path: Path, project_root: Path) -> str:
    # Project-relative where possible: messages and logs read the same on every machine.
    try:
        return str(path.relative_to(project_root.resolve()))
    except ValueError:
        return str(path)


def _collect_local_page(
    run: _Run, source: Source, feed: dict[str, Any], target: dict[str, Any]
) -> None:
    feed_path = source.local_path(run.settings.project_root)
    path, reason = local_page_path(target["link"], feed_path, run.settings.project_root)
    if path is None:
        message = f"{source.name}: page {redact(target['link'])} not read: {reason}"
        log.warning("%s", message)
        run.append(_page_record(run, source, feed, target, status=ERROR, error=message))
        return
    result = _read_local(run, path, source.name, PAGE)
    body = result.body if result.ok else None
    run.append(
        _page_record(run, source, feed, target, status=result.status, result=result, payload=body)
    )


# -- replay ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _PageText:
    text: str | None
    sha: str | None
    engine: str | None
    reason: str | None


def _page_index(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(feed fetch id, entry URL) -> the page record that tells where its text comes from."""
    index: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        key = (record.get("feed_fetch_id"), record.get("entry_url"))
        if None in key:
            continue
        kind = record.get("record")
        if kind == RECORD_REUSE or (kind == RECORD_FETCH and record.get("kind") == PAGE):
            current = index.get(key)
            # A stored copy beats an attempt that brought nothing (e.g. a 304).
            if current is None or kind == RECORD_REUSE or record.get("status") == OK:
                index[key] = record
    return index


class _PageResolver:
    def __init__(self, settings: Settings, store: RawStore, day: date) -> None:
        self.store, self.day = store, day
        self.engine = settings.page_text_engine
        self.cache = PageTextCache(settings.landed_dir / "texts")

    def resolve(
        self, record: dict[str, Any] | None, fetch_pages: bool, has_link: bool
    ) -> _PageText:
        if not fetch_pages:
            return _PageText(
                None, None, None, "pages_disabled: fetch_pages is false for the source"
            )
        if not has_link:
            return _PageText(None, None, None, "no_link: the entry has no link")
        if record is None:
            return _PageText(None, None, None, "page_not_fetched: no page fetch was logged")
        if record.get("record") == RECORD_FETCH and record.get("status") != OK:
            detail = record.get("error") or record.get("status")
            return _PageText(None, None, None, f"page_fetch_failed: {detail}")
        day = date.fromisoformat(record.get("payload_date") or self.day.isoformat())
        sha = record["payload_sha256"]
        try:
            text, version = cached_page_text(
                self.cache,
                sha,
                lambda: self.store.get_payload(day, sha),
                url=record.get("url"),
                engine=self.engine,
            )
        except RawStoreError as exc:
            return _PageText(None, sha, None, f"page_payload_missing: {exc}")
        if text is None:
            return _PageText(None, sha, version, "page_has_no_main_text: the extractor found none")
        return _PageText(text, sha, version, None)


_PAGE_SCHEMA = pl.Schema(
    {
        "page_text": pl.String,
        "page_payload_sha256": pl.String,
        "page_text_engine": pl.String,
        "page_reason": pl.String,
    }
)
# The column of a day's entries frame that says which of the day's feeds a row came from.
_FEED = "_feed"


def _page_columns(
    entries: pl.DataFrame, feeds: list[dict[str, Any]], index: dict, resolver: _PageResolver
) -> pl.DataFrame:
    columns: dict[str, list[str | None]] = {name: [] for name in _PAGE_SCHEMA.names()}
    texts, shas = columns["page_text"], columns["page_payload_sha256"]
    engines, reasons = columns["page_text_engine"], columns["page_reason"]
    for number, url, link in zip(entries[_FEED], entries["url"], entries["link"], strict=True):
        feed = feeds[number]
        record = index.get((feed["fetch_id"], url)) if url else None
        page = resolver.resolve(record, bool(feed.get("fetch_pages", True)), bool(url and link))
        kept = page.text is not None
        texts.append(page.text)
        shas.append(page.sha if kept else None)
        engines.append(page.engine if kept else None)
        reasons.append(page.reason)
    return pl.DataFrame(columns, schema=_PAGE_SCHEMA)


def _articles(
    entries: pl.DataFrame,
    pages: pl.DataFrame,
    feeds: list[dict[str, Any]],
    day: date,
    problems: list[dict[str, str | None]],
) -> pl.DataFrame:
    """Article rows of a day's entries (every feed at once); entries without text are
    skipped with one problem per feed."""
    frame = pl.concat([entries, pages], how="horizontal")
    origin = (
        pl.when(pl.col("page_text").is_not_null())
        .then(pl.lit("page"))
        .when(pl.col("content").is_not_null())
        .then(pl.lit("entry_content"))
        .when(pl.col("summary").is_not_null())
        .then(pl.lit("entry_summary"))
        .when(pl.col("title").is_not_null())
        .then(pl.lit("title"))
    )
    feed_shas = [feeds[number]["payload_sha256"] for number in frame[_FEED]]
    frame = frame.with_columns(
        pl.coalesce("page_text", "content", "summary", "title").alias("text"),
        origin.alias("text_origin"),
        pl.when(pl.col("page_text").is_null())
        .then(pl.col("page_reason"))
        .alias("text_fallback_reason"),
        pl.lit(day, dtype=pl.Date).alias("fetch_date"),
        pl.Series("feed_payload_sha256", feed_shas, dtype=pl.String),
    )
    skipped = frame.filter(pl.col("text").is_null()).group_by(_FEED).len().sort(_FEED)
    for number, dropped in skipped.iter_rows():
        feed = feeds[number]
        message = f"{dropped} entries had no text at all; skipped"
        problems.append(_problem(feed["source"], feed["url"], message))
    frame = frame.filter(pl.col("text").is_not_null())
    ids = [
        article_id(u, s, e)
        for u, s, e in zip(frame["url"], frame["source"], frame["entry_id"], strict=True)
    ]
    versions = [article_version(t, x) for t, x in zip(frame["title"], frame["text"], strict=True)]
    frame = frame.with_columns(
        pl.Series("article_id", ids, dtype=pl.String),
        pl.Series("article_version", versions, dtype=pl.String),
    )
    return frame.select(ARTICLES_SCHEMA.names()).cast(dict(ARTICLES_SCHEMA))


def _problem(source: str | None, url: str | None, message: str) -> dict[str, str | None]:
    return {"source": source, "url": url, "message": message}


def replay_day(day: date, *, settings: Settings, store: RawStore) -> Replay:
    """Rebuild one fetch day's articles from the raw store alone (no network).

    Replaying the same day twice gives equal frames. An article version seen more than once
    in the day is kept once, from its earliest fetch. Feed entries come from the parsed-feed
    cache when this parser has read the payload before, page texts from the text cache.
    """
    records = store.read_fetches(day)
    index = _page_index(records)
    resolver = _PageResolver(settings, store, day)
    cache = feed_cache(settings)
    problems: list[dict[str, str | None]] = []
    feeds: list[dict[str, Any]] = []
    parsed: list[tuple[PayloadEntries, FeedContext]] = []
    cached = 0
    for feed in records:
        if feed.get("record") != RECORD_FETCH or feed.get("kind") != FEED:
            continue
        if feed.get("status") != OK:
            continue
        found = _stored_entries(feed, store, day, cache, problems)
        if found is not None:
            feeds.append(feed)
            parsed.append((found[0], _feed_context(feed)))
            cached += found[1]
    entries = _select_each(entries_frame(parsed, feed_index=_FEED), feeds)
    pages = _page_columns(entries, feeds, index, resolver)
    articles = _dedupe_articles(_articles(entries, pages, feeds, day, problems))
    problem_frame = pl.DataFrame(problems, schema=PROBLEMS_SCHEMA).sort(
        ["source", "url", "message"], nulls_last=True
    )
    return Replay(
        articles=articles,
        fetches=fetch_frame(records),
        problems=problem_frame,
        feeds_parsed=len(feeds) - cached,
        feeds_cached=cached,
    )


def _stored_entries(
    feed: dict[str, Any],
    store: RawStore,
    day: date,
    cache: FeedEntriesCache,
    problems: list[dict[str, str | None]],
) -> tuple[PayloadEntries, bool] | None:
    sha = feed["payload_sha256"]
    try:
        # The raw zone stays the authority: a payload removed from it is not replayed from
        # the cache (get_payload raises the error that names the file).
        if not store.has_payload(day, sha):
            store.get_payload(day, sha)
        return _payload_entries(feed, cache, lambda: store.get_payload(day, sha))
    except (RawStoreError, FeedError) as exc:
        problems.append(_problem(feed["source"], feed["url"], str(exc)))
        return None


def _select_each(entries: pl.DataFrame, feeds: list[dict[str, Any]]) -> pl.DataFrame:
    """``select_entries`` per feed, for feeds that cap their entries (``max_entries``)."""
    caps = [feed.get("max_entries") for feed in feeds]
    if all(cap is None for cap in caps) or entries.is_empty():
        return entries
    parts = entries.partition_by(_FEED, maintain_order=True)
    return pl.concat([select_entries(part, caps[part[_FEED][0]]) for part in parts], how="vertical")


def _dedupe_articles(frame: pl.DataFrame) -> pl.DataFrame:
    # Hourly polls see the same article again and again; the earliest sighting is the record.
    return (
        frame.sort(["fetched_at", "source", "feed_payload_sha256", "article_id", "article_version"])
        .unique(["article_id", "article_version"], keep="first", maintain_order=True)
        .sort(["article_id", "article_version"])
    )
