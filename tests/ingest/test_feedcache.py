"""The parsed-feed cache: ingest leaves each payload's entries, replays reuse them until the
parser changes, and an entry that cannot be trusted is parsed again, never used."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.ingest import feedcache
from pipelines.ingest.collect import feed_cache, fetch_sources, replay_day
from pipelines.ingest.rawstore import RawStore
from pipelines.ingest.sources import Source
from pipelines.settings import Settings

from .helpers import Item, rss

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DAY = NOW.date()
ITEMS = [
    Item("Convoy attacked near the border", "stories/one.html", guid="g1"),
    Item("Rockets hit base", "stories/two.html", description="Two rockets struck at dawn."),
    Item("Checkpoint bombing", None, guid="g3", content_html="<p>Three were killed.</p>"),
]


def write_feed(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "feed.xml"
    path.write_text(text, encoding="utf-8")
    return path


def ingest(settings: Settings, store: RawStore, *feeds: tuple[str, Path]) -> pl.DataFrame:
    sources = [Source(name=name, url=str(path), fetch_pages=False) for name, path in feeds]
    return fetch_sources(sources, settings=settings, store=store, now=NOW)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every feed payload parsed from here on, by source name."""
    seen: list[str] = []
    real = feedcache.parse_payload

    def counting(*args: object, **kwargs: object):
        seen.append(str(kwargs["source"]))
        return real(*args, **kwargs)

    monkeypatch.setattr(feedcache, "parse_payload", counting)
    return seen


def cache_files(settings: Settings) -> list[Path]:
    return sorted(feed_cache(settings).root.glob("*/*/*.json.gz"))


def test_ingest_leaves_entries_that_every_replay_reuses(
    settings: Settings, store: RawStore, tmp_path: Path, parses: list[str]
) -> None:
    ingest(settings, store, ("wire", write_feed(tmp_path / "wire", rss(ITEMS))))
    assert parses == ["wire"]  # parsed once, at fetch time
    [entry] = cache_files(settings)
    assert entry.parent.parent.name == feedcache.parser_version()

    first = replay_day(DAY, settings=settings, store=store)
    second = replay_day(DAY, settings=settings, store=store)
    assert parses == ["wire"]  # neither replay parsed the feed again
    assert first.articles.height == 3 and first.problems.height == 0
    assert (first.feeds_parsed, first.feeds_cached) == (0, 1)
    assert second.articles.equals(first.articles)

    # A rebuild without the cache parses each payload once and lands the same rows.
    shutil.rmtree(feed_cache(settings).root)
    cold = replay_day(DAY, settings=settings, store=store)
    warm = replay_day(DAY, settings=settings, store=store)
    assert parses == ["wire", "wire"]
    assert (cold.feeds_parsed, warm.feeds_parsed, warm.feeds_cached) == (1, 0, 1)
    assert cold.articles.equals(first.articles) and warm.articles.equals(first.articles)


def test_a_new_parser_version_parses_every_payload_again(
    settings: Settings,
    store: RawStore,
    tmp_path: Path,
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest(settings, store, ("wire", write_feed(tmp_path / "wire", rss(ITEMS))))
    before = replay_day(DAY, settings=settings, store=store).articles
    # What a feedparser upgrade, an edit of feeds.py / urls.py or a bumped revision does.
    monkeypatch.setattr(feedcache, "parser_version", lambda: "feedparser-9.9.9-r1-000000000000")
    after = replay_day(DAY, settings=settings, store=store).articles
    again = replay_day(DAY, settings=settings, store=store).articles
    assert parses == ["wire", "wire"]  # ingest, then once for the new version only
    versions = {path.parent.parent.name for path in cache_files(settings)}
    assert "feedparser-9.9.9-r1-000000000000" in versions and len(versions) == 2
    assert after.equals(before) and again.equals(before)


def test_the_parser_version_follows_the_parsing_code() -> None:
    version = feedcache.parser_version()
    assert version.startswith(f"feedparser-{feedcache.feedparser.__version__}-r")
    assert version == feedcache.parser_version()  # stable within a process


def _truncate(path: Path) -> None:
    # A copy cut short (a disk full, a copy of the raw zone interrupted).
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    # Bit rot, or another program's file under the same name.
    path.write_bytes(b"\x1f\x8b not really gzip")


def _rewrite(change: Callable[[dict], None]) -> Callable[[Path], None]:
    def damage(path: Path) -> None:
        document = json.loads(gzip.decompress(path.read_bytes()))
        change(document)
        path.write_bytes(gzip.compress(json.dumps(document).encode()))

    return damage


def _other_payload(document: dict) -> None:
    document["key"]["payload_sha256"] = "0" * 64  # another payload's entries copied over


def _short_column(document: dict) -> None:
    document["columns"]["title"].pop()  # a hand edit that lost a value


def _wrong_type(document: dict) -> None:
    document["columns"]["published_at"][0] = "2026-03-10T08:30:00+03:00"


def _not_an_object(document: dict) -> None:
    document.clear()


DAMAGE = {
    "truncated": _truncate,
    "garbage": _garbage,
    "not-json": lambda path: path.write_bytes(gzip.compress(b"{not json")),
    "another-payload": _rewrite(_other_payload),
    "column-cut-short": _rewrite(_short_column),
    "wrong-type": _rewrite(_wrong_type),
    "empty-object": _rewrite(_not_an_object),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_an_entry_that_cannot_be_trusted_is_parsed_again(
    settings: Settings,
    store: RawStore,
    tmp_path: Path,
    parses: list[str],
    damage: Callable[[Path], None],
) -> None:
    ingest(settings, store, ("wire", write_feed(tmp_path / "wire", rss(ITEMS))))
    expected = replay_day(DAY, settings=settings, store=store).articles
    [entry] = cache_files(settings)
    damage(entry)
    replay = replay_day(DAY, settings=settings, store=store)
    assert parses == ["wire", "wire"]
    assert replay.articles.equals(expected) and replay.problems.height == 0
    # The damaged entry was replaced by a good one: the next replay parses nothing.
    assert replay_day(DAY, settings=settings, store=store).articles.equals(expected)
    assert parses == ["wire", "wire"]


def test_links_resolve_per_feed_location_even_for_equal_bytes(
    settings: Settings, store: RawStore, tmp_path: Path, parses: list[str]
) -> None:
    # Two mirrors serve the same bytes with relative links: one payload, two sets of URLs.
    text = rss(ITEMS)
    ingest(
        settings,
        store,
        ("east", write_feed(tmp_path / "east", text)),
        ("west", write_feed(tmp_path / "west", text)),
    )
    assert parses == ["east", "west"] and len(cache_files(settings)) == 2
    articles = replay_day(DAY, settings=settings, store=store).articles
    urls = articles.filter(pl.col("title") == "Rockets hit base").sort("source")["url"]
    assert [u.split("/")[-3] for u in urls] == ["east", "west"]
    assert parses == ["east", "west"]


def test_a_feed_that_does_not_parse_is_not_cached_and_stays_a_problem(
    settings: Settings, store: RawStore, tmp_path: Path, parses: list[str]
) -> None:
    broken = rss(ITEMS)[:80]  # cut off in the channel header: nothing to recover
    fetches = ingest(settings, store, ("cut", write_feed(tmp_path / "cut", broken)))
    assert "no recoverable entries" in fetches["error"][0]
    assert cache_files(settings) == []
    for _ in range(2):
        replay = replay_day(DAY, settings=settings, store=store)
        assert replay.articles.height == 0
        assert replay.problems["source"].to_list() == ["cut"]
        assert replay.problems["message"][0].startswith("cut: ")
        assert "no recoverable entries" in replay.problems["message"][0]
    assert cache_files(settings) == []


def test_a_payload_gone_from_the_raw_zone_is_not_replayed_from_the_cache(
    settings: Settings, store: RawStore, tmp_path: Path
) -> None:
    fetches = ingest(settings, store, ("wire", write_feed(tmp_path / "wire", rss(ITEMS))))
    store.payload_path(DAY, fetches["payload_sha256"][0]).unlink()
    replay = replay_day(DAY, settings=settings, store=store)
    assert replay.articles.height == 0
    assert "is not stored" in replay.problems["message"][0]


def test_a_read_only_cache_still_replays(
    settings: Settings,
    store: RawStore,
    tmp_path: Path,
    parses: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ingest(settings, store, ("wire", write_feed(tmp_path / "wire", rss(ITEMS))))
    expected = replay_day(DAY, settings=settings, store=store).articles
    shutil.rmtree(feed_cache(settings).root)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("read-only file system")

    monkeypatch.setattr(feedcache, "write_atomic", refuse)
    assert replay_day(DAY, settings=settings, store=store).articles.equals(expected)
    assert cache_files(settings) == []
