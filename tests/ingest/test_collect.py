"""fetch_sources and replay_day end to end: a real server on 127.0.0.1, local feeds, the raw
store in a temporary folder."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest
import requests
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines.ingest import collect, feedcache
from pipelines.ingest.collect import article_id, article_version, fetch_sources, replay_day
from pipelines.ingest.rawstore import RawStore
from pipelines.ingest.schema import ARTICLES_SCHEMA, FETCHES_SCHEMA, PROBLEMS_SCHEMA
from pipelines.ingest.sources import Source
from pipelines.settings import Settings

from .helpers import BILLION_LAUGHS, PARAGRAPHS, Item, article_html, rss

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
DAY = NOW.date()


def serve_pages(server: HTTPServer, paths: list[str]) -> dict[str, int]:
    """Serve an article page at each path; return a live count of requests per path."""
    hits = dict.fromkeys(paths, 0)
    for index, path in enumerate(paths):

        def page(request: Request, path: str = path, index: int = index) -> Response:
            hits[path] += 1
            html = article_html(f"Headline {index}", [f"Story {index}.", *PARAGRAPHS])
            return Response(html, content_type="text/html; charset=utf-8")

        server.expect_request(path).respond_with_handler(page)
    return hits


def serve_feed(server: HTTPServer, path: str, items: list[Item], **response: object) -> None:
    server.expect_request(path).respond_with_data(
        rss(items), content_type=response.pop("content_type", "application/rss+xml"), **response
    )


def by(frame: pl.DataFrame, **equals: object) -> pl.DataFrame:
    return frame.filter(*(pl.col(k) == v for k, v in equals.items()))


def test_article_ids_and_versions_are_stable() -> None:
    url = "https://wire.test/world/1"
    # Defined as the first 16 hex of SHA-256; stored ids depend on this never changing.
    assert article_id(url, "wire", "g1") == hashlib.sha256(url.encode()).hexdigest()[:16]
    assert article_id(url, "other-source", "other-id") == article_id(url, "wire", "g1")
    no_url = hashlib.sha256(b"wire\ng1").hexdigest()[:16]
    assert article_id(None, "wire", "g1") == no_url != article_id(None, "wire2", "g1")
    version = article_version("Title", "Para one.\n\nPara two.")
    assert version == hashlib.sha256(b"Title\n\nPara one.\n\nPara two.").hexdigest()[:16]
    assert article_version("Title", "Para one.\n\nPara two!") != version
    assert article_version("Title 2", "Para one.\n\nPara two.") != version


def test_remote_feed_and_pages_land_and_replay(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    hits = serve_pages(server, ["/world/a1", "/world/a2"])
    items = [
        Item("Rockets hit base", server.url_for("/world/a1") + "?utm_source=rss", guid="g1"),
        Item("Convoy attacked", server.url_for("/world/a2"), guid="g2"),
    ]
    serve_feed(server, "/feed.xml", items, headers={"ETag": '"f1"'})
    source = Source(name="wire", url=server.url_for("/feed.xml"), language="en")

    fetches = fetch_sources([source], settings=settings, store=store, now=NOW)

    assert fetches.schema == FETCHES_SCHEMA
    assert fetches["kind"].to_list() == ["feed", "page", "page"]
    assert fetches["status"].to_list() == ["ok"] * 3
    assert fetches["fetch_date"].to_list() == [DAY] * 3
    assert fetches["payload_sha256"].null_count() == 0
    assert hits == {"/world/a1": 1, "/world/a2": 1}
    for sha in fetches["payload_sha256"]:
        assert store.has_payload(DAY, sha)

    replay = replay_day(DAY, settings=settings, store=store)
    articles = replay.articles
    assert articles.schema == ARTICLES_SCHEMA and replay.problems.height == 0
    assert articles.height == 2
    assert articles["text_origin"].to_list() == ["page", "page"]
    assert articles["text_fallback_reason"].null_count() == 2
    first = by(articles, entry_id="g1").row(0, named=True)
    assert first["url"] == server.url_for("/world/a1")  # canonical: tracking dropped
    assert first["article_id"] == article_id(first["url"], "wire", "g1")
    assert first["article_version"] == article_version(first["title"], first["text"])
    assert "Story 0.\n\n" + PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1] in first["text"]
    assert "Copyright" not in first["text"] and "Privacy" not in first["text"]
    assert first["page_text_engine"].startswith("trafilatura-")
    assert first["language"] == "en"
    # Replaying is deterministic and matches what the run reported.
    again = replay_day(DAY, settings=settings, store=store)
    assert again.articles.equals(articles)
    assert again.fetches.equals(fetches)
    assert replay.fetches.equals(fetches)


def test_replay_needs_no_network(
    server: HTTPServer, settings: Settings, store: RawStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_pages(server, ["/p"])
    serve_feed(server, "/feed.xml", [Item("Story", server.url_for("/p"))])
    fetch_sources(
        [Source(name="wire", url=server.url_for("/feed.xml"))],
        settings=settings,
        store=store,
        now=NOW,
    )

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("replay touched the network")

    monkeypatch.setattr(requests.Session, "send", no_network)
    assert replay_day(DAY, settings=settings, store=store).articles["text_origin"].to_list() == [
        "page"
    ]


def test_failing_sources_never_stop_the_others(
    server: HTTPServer,
    settings: Settings,
    store: RawStore,
    caplog: pytest.LogCaptureFixture,
    stalling: Callable[[str], None],
) -> None:
    serve_pages(server, ["/ok1/p", "/ok2/p"])
    serve_feed(server, "/ok1.xml", [Item("First fine", server.url_for("/ok1/p"))])
    serve_feed(server, "/ok2.xml", [Item("Second fine", server.url_for("/ok2/p"))])
    server.expect_request("/gone.xml").respond_with_data("not here", status=404)
    server.expect_request("/broken.xml").respond_with_data("oops", status=500)

    stalling("/slow.xml")
    server.expect_request("/laughs.xml").respond_with_data(BILLION_LAUGHS)
    server.expect_request("/home.html").respond_with_data(
        "<!DOCTYPE html><html><body><p>Welcome</p></body></html>", content_type="text/html"
    )
    truncated = rss([Item(f"T{i}", None, guid=f"t{i}") for i in range(3)])
    server.expect_request("/truncated.xml").respond_with_data(truncated[:60])
    # A valid feed with a wrong Content-Type still parses.
    serve_feed(
        server, "/plain.xml", [Item("Typed wrong", None, guid="w1")], content_type="text/plain"
    )
    names = ["ok1", "gone", "broken", "slow", "laughs", "home", "truncated", "plain", "ok2"]
    files = {"home": "/home.html"}
    sources = [Source(name=n, url=server.url_for(files.get(n, f"/{n}.xml"))) for n in names]
    fast = dataclasses.replace(settings, http_timeout_s=0.4, http_retries=0)

    with caplog.at_level(logging.INFO, logger="pipelines.ingest"):
        fetches = fetch_sources(sources, settings=fast, store=store, now=NOW)

    feeds = by(fetches, kind="feed")
    status = dict(zip(feeds["source"], feeds["status"], strict=True))
    assert status == {
        "ok1": "ok",
        "gone": "error",
        "broken": "error",
        "slow": "error",
        "laughs": "error",
        "home": "error",
        "truncated": "error",
        "plain": "ok",
        "ok2": "ok",
    }
    errors = dict(zip(feeds["source"], feeds["error"], strict=True))
    expected = {
        "gone": "HTTP 404",
        "broken": "HTTP 500",
        "slow": "timed out",
        "laughs": "entities",
        "home": "HTML page, not a feed",
        "truncated": "no recoverable entries",
    }
    for name, fragment in expected.items():
        assert errors[name].startswith(f"{name}: "), errors[name]
        assert fragment in errors[name]
        url_part = files.get(name, f"/{name}.xml")
        assert url_part in errors[name]
    # The good sources' pages landed despite everything else.
    pages = by(fetches, kind="page")
    assert sorted(pages["source"].to_list()) == ["ok1", "ok2"]
    assert pages["status"].to_list() == ["ok", "ok"]
    # Failed payloads that did arrive are kept for inspection (the HTML page, the bomb).
    assert by(feeds, source="laughs")["payload_sha256"].null_count() == 0
    replay = replay_day(DAY, settings=fast, store=store)
    assert sorted(replay.articles["source"].to_list()) == ["ok1", "ok2", "plain"]
    assert replay.problems.schema == PROBLEMS_SCHEMA
    assert set(replay.problems["source"]) == {"laughs", "home", "truncated"}
    assert replay.fetches.equals(fetches)


def test_second_run_with_304_does_no_parsing(
    server: HTTPServer, settings: Settings, store: RawStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    hits = serve_pages(server, ["/p1"])
    feed_hits = {"full": 0, "304": 0}

    def feed(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            feed_hits["304"] += 1
            return Response(status=304)
        feed_hits["full"] += 1
        return Response(rss([Item("Story", server.url_for("/p1"))]), headers={"ETag": '"v1"'})

    server.expect_request("/feed.xml").respond_with_handler(feed)
    parses: list[str] = []
    real_parse = feedcache.parse_payload

    def counting_parse(*args: object, **kwargs: object):
        parses.append(str(kwargs.get("source")))
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(feedcache, "parse_payload", counting_parse)
    sources = [Source(name="wire", url=server.url_for("/feed.xml"))]
    first = fetch_sources(sources, settings=settings, store=store, now=NOW)
    second = fetch_sources(sources, settings=settings, store=store, now=NOW.replace(hour=13))
    assert first["status"].to_list() == ["ok", "ok"]
    assert second["kind"].to_list() == ["feed"]
    assert second["status"].to_list() == ["not_modified"]
    assert second["payload_sha256"].to_list() == [None]
    assert feed_hits == {"full": 1, "304": 1}
    assert parses == ["wire"]  # the 304 run parsed nothing
    assert hits["/p1"] == 1
    # The day's replay still has the article once.
    assert replay_day(DAY, settings=settings, store=store).articles.height == 1


def test_stored_page_is_reused_until_the_entry_changes(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    hits = serve_pages(server, ["/p"])
    state = {"pub": "Tue, 10 Mar 2026 08:30:00 +0000"}

    def feed(request: Request) -> Response:
        # No validators: the feed is downloaded and parsed every time.
        return Response(rss([Item("Story", server.url_for("/p"), pub_date=state["pub"])]))

    server.expect_request("/feed.xml").respond_with_handler(feed)
    sources = [Source(name="wire", url=server.url_for("/feed.xml"))]
    day1, day2, day3 = (datetime(2026, 3, d, 12, tzinfo=UTC) for d in (10, 11, 12))

    fetch_sources(sources, settings=settings, store=store, now=day1)
    second = fetch_sources(sources, settings=settings, store=store, now=day2)
    assert hits["/p"] == 1
    assert second["kind"].to_list() == ["feed"]  # a reuse is not a fetch attempt
    first_article = replay_day(day1.date(), settings=settings, store=store).articles
    reused = replay_day(day2.date(), settings=settings, store=store).articles
    # Same text from the stored copy: the same article version, no spurious change.
    assert reused["text_origin"].to_list() == ["page"]
    assert reused.select("article_id", "article_version", "page_payload_sha256").equals(
        first_article.select("article_id", "article_version", "page_payload_sha256")
    )
    # The entry says it was updated after our copy: fetch the page again.
    state["pub"] = "Wed, 11 Mar 2026 20:00:00 +0000"
    third = fetch_sources(sources, settings=settings, store=store, now=day3)
    assert hits["/p"] == 2
    assert third["kind"].to_list() == ["feed", "page"]


def test_unsafe_links_in_remote_feed_are_refused(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    hits = serve_pages(server, ["/fine"])
    links = [
        "http://10.0.0.5/internal",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://files.example.org/report.txt",
        server.url_for("/fine"),
    ]
    serve_feed(server, "/feed.xml", [Item(f"Item {i}", link) for i, link in enumerate(links)])
    fetches = fetch_sources(
        [Source(name="wire", url=server.url_for("/feed.xml"))],
        settings=settings,
        store=store,
        now=NOW,
    )
    pages = by(fetches, kind="page")
    assert pages.height == len(links)
    assert by(pages, status="ok")["url"].to_list() == [server.url_for("/fine")]
    outcome = dict(zip(pages["url"], pages["error"], strict=True))
    assert "private" in outcome["http://10.0.0.5/internal"]
    assert "metadata" in outcome["http://169.254.169.254/latest/meta-data/"]
    assert "scheme 'ftp'" in outcome["ftp://files.example.org/report.txt"]
    assert "scheme 'file'" in " ".join(pages["error"].drop_nulls())
    assert hits["/fine"] == 1
    # Refused pages fall back to the feed's text and say why.
    articles = replay_day(DAY, settings=settings, store=store).articles
    refused = by(articles, url="http://10.0.0.5/internal").row(0, named=True)
    assert refused["text_origin"] == "entry_summary"
    assert refused["text_fallback_reason"].startswith("page_fetch_failed: ")


def test_loopback_feed_is_refused_by_default(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    serve_feed(server, "/feed.xml", [Item("x", None, guid="x")])
    strict = dataclasses.replace(settings, allow_loopback=False)
    fetches = fetch_sources(
        [Source(name="wire", url=server.url_for("/feed.xml"))],
        settings=strict,
        store=store,
        now=NOW,
    )
    assert fetches["status"].to_list() == ["error"]
    assert "loopback" in fetches["error"][0]
    assert len(server.log) == 0


def test_max_entries_and_fetch_pages(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    hits = serve_pages(server, [f"/p{i}" for i in range(4)])
    items = [
        Item(
            f"Story {i}",
            server.url_for(f"/p{i}"),
            pub_date=f"Tue, 10 Mar 2026 0{i}:00:00 +0000",
            content_html=f"<p>Body of story {i}, longer than its summary line.</p>",
        )
        for i in range(4)
    ]
    serve_feed(server, "/feed.xml", items)
    sources = [
        Source(name="capped", url=server.url_for("/feed.xml"), max_entries=2),
        Source(name="nopages", url=server.url_for("/feed.xml"), fetch_pages=False),
    ]
    fetches = fetch_sources(sources, settings=settings, store=store, now=NOW)
    # Only the two newest entries of "capped" had their pages fetched.
    assert sorted(by(fetches, kind="page")["url"].to_list()) == [
        server.url_for("/p2"),
        server.url_for("/p3"),
    ]
    assert hits["/p0"] == hits["/p1"] == 0
    articles = replay_day(DAY, settings=settings, store=store).articles
    assert by(articles, source="capped")["title"].sort().to_list() == ["Story 2", "Story 3"]
    nopages = by(articles, source="nopages")
    assert nopages.height == 4  # no cap on this source
    assert set(nopages["text_origin"]) == {"entry_content"}
    assert nopages["text_fallback_reason"].str.starts_with("pages_disabled").all()


def test_rerun_in_one_day_adds_no_duplicate(
    server: HTTPServer, settings: Settings, store: RawStore
) -> None:
    serve_pages(server, ["/p"])
    serve_feed(server, "/feed.xml", [Item("Story", server.url_for("/p"))])
    sources = [Source(name="wire", url=server.url_for("/feed.xml"))]
    for hour in (12, 13, 14):
        fetch_sources(sources, settings=settings, store=store, now=NOW.replace(hour=hour))
    replay = replay_day(DAY, settings=settings, store=store)
    assert replay.articles.height == 1
    assert replay.articles["fetched_at"].to_list() == [NOW]  # the earliest sighting
    assert by(replay.fetches, kind="feed").height == 3
    payloads = list((settings.landed_dir / DAY.isoformat() / "payloads").rglob("*.gz"))
    assert len(payloads) == 2  # one feed, one page: stored once


def test_unexpected_error_in_one_source_is_contained(
    server: HTTPServer, settings: Settings, store: RawStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_feed(server, "/a.xml", [Item("A", None, guid="a")])
    serve_feed(server, "/b.xml", [Item("B", None, guid="b")])
    real = collect._collect_pages

    def explode(run, source, feed, entries):
        if source.name == "a":
            raise RuntimeError("simulated bug")
        return real(run, source, feed, entries)

    monkeypatch.setattr(collect, "_collect_pages", explode)
    sources = [Source(name=n, url=server.url_for(f"/{n}.xml")) for n in ("a", "b")]
    fetches = fetch_sources(sources, settings=settings, store=store, now=NOW)
    assert fetches["status"].to_list() == ["error", "ok"]
    assert "simulated bug" in fetches["error"][0] and "pipeline bug" in fetches["error"][0]


# -- local feeds -----------------------------------------------------------------------------


@pytest.fixture
def local_feed(tmp_path: Path, server: HTTPServer) -> Path:
    folder = tmp_path / "feeds" / "wire"
    (folder / "sub").mkdir(parents=True)
    (folder / "page1.html").write_text(article_html("Local one", ["Local first.", *PARAGRAPHS]))
    (folder / "sub" / "page2.html").write_text(
        article_html("Local two", ["Local second.", *PARAGRAPHS])
    )
    outside = tmp_path / "feeds" / "outside.html"
    outside.write_text(article_html("Outside", ["Must not be read.", *PARAGRAPHS]))
    (folder / "sub" / "sneaky.html").symlink_to(outside)
    server.expect_request("/remote").respond_with_data("should never be requested")
    items = [
        Item("One", "page1.html"),
        Item("Two", "sub/page2.html"),
        Item("Escape", "../outside.html"),
        Item("Deep escape", "../../../../../../etc/hostname"),
        Item("Absolute", str(outside)),
        Item("Symlink", "sub/sneaky.html"),
        Item("Remote", server.url_for("/remote")),
        Item("Missing", "nothing-here.html"),
    ]
    feed = folder / "feed.xml"
    feed.write_text(rss(items), encoding="utf-8")
    return feed


@pytest.mark.parametrize("spelling", ["absolute", "file-url", "project-relative"])
def test_local_feed_reads_only_files_in_its_folder(
    local_feed: Path, server: HTTPServer, settings: Settings, store: RawStore, spelling: str
) -> None:
    project = local_feed.parents[2]  # tmp_path stands in for the project root
    run_settings = dataclasses.replace(settings, project_root=project)
    url = {
        "absolute": str(local_feed),
        "file-url": local_feed.as_uri(),
        "project-relative": str(local_feed.relative_to(project)),
    }[spelling]
    fetches = fetch_sources(
        [Source(name="local", url=url)], settings=run_settings, store=store, now=NOW
    )
    feed = by(fetches, kind="feed").row(0, named=True)
    assert feed["status"] == "ok" and feed["http_status"] is None
    pages = by(fetches, kind="page")
    status = {
        url.rsplit("/", 1)[-1]: s for url, s in zip(pages["url"], pages["status"], strict=True)
    }
    assert status == {
        "page1.html": "ok",
        "page2.html": "ok",
        "outside.html": "error",
        "hostname": "error",
        "sneaky.html": "error",
        "remote": "error",
        "nothing-here.html": "error",
    }
    errors = " | ".join(pages["error"].drop_nulls())
    assert "outside the feed's folder" in errors
    assert "http(s) links are not fetched" in errors
    assert len(server.log) == 0  # the http link in a local feed was not requested
    articles = replay_day(DAY, settings=run_settings, store=store).articles
    origins = dict(zip(articles["title"], articles["text_origin"], strict=True))
    assert origins["One"] == origins["Two"] == "page"
    assert origins["Escape"] == origins["Symlink"] == "entry_summary"
    assert "Must not be read" not in " ".join(articles["text"])
    one = by(articles, title="One").row(0, named=True)
    assert "Local first.\n\n" + PARAGRAPHS[0] in one["text"]
    if spelling == "project-relative":
        # Identity does not depend on where the project is checked out.
        assert one["url"] == "feeds/wire/page1.html"


def test_missing_local_feed_is_a_clear_error(
    settings: Settings, store: RawStore, tmp_path: Path
) -> None:
    fetches = fetch_sources(
        [Source(name="gone", url=str(tmp_path / "nope.xml"))],
        settings=settings,
        store=store,
        now=NOW,
    )
    assert fetches["status"].to_list() == ["error"]
    assert fetches["error"][0].startswith("gone: ") and "does not exist" in fetches["error"][0]


def test_disabled_source_is_skipped(settings: Settings, store: RawStore, tmp_path: Path) -> None:
    fetches = fetch_sources(
        [Source(name="off", url=str(tmp_path / "x.xml"), enabled=False)],
        settings=settings,
        store=store,
        now=NOW,
    )
    assert fetches.height == 0 and fetches.schema == FETCHES_SCHEMA


def test_replay_of_an_empty_day(settings: Settings, store: RawStore) -> None:
    replay = replay_day(date(2020, 1, 1), settings=settings, store=store)
    assert replay.articles.height == replay.fetches.height == replay.problems.height == 0
    assert replay.articles.schema == ARTICLES_SCHEMA
