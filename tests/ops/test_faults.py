"""Broken and hostile feeds through the pipeline's own assets: each source fails alone, with a
clear error naming it in the run's log and in the asset metadata, and every other source
still lands in raw.articles.

The sources are served by a real HTTP server on 127.0.0.1: every capture in
../shared/fixtures/feeds (when that folder is there) and generated cases, each modelled on
something feeds really do.
"""

from __future__ import annotations

import gzip
import re
import socket
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines.defs.ingest.assets import fetched_payloads, land_articles
from pipelines.defs.partitions import today_key
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import Settings
from tests.ingest.helpers import BILLION_LAUGHS, Item, rss

from .conftest import SHARED_DIR
from .helpers import SAMPLES_DIR, query, sample_sources, serve_folder, write_sources

FIXTURE_FEEDS = SHARED_DIR / "fixtures" / "feeds"
FEED_SUFFIXES = {
    ".xml": "application/rss+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
}
GOOD_OUTLETS = ["tigris-herald", "horn-dispatch"]
CAP = 2 * 1024 * 1024


@pytest.fixture
def fast_http(monkeypatch: pytest.MonkeyPatch, loopback: None) -> None:
    """Short timeouts and a small body cap, so a hostile server costs seconds, not minutes."""
    for name, value in {
        "PIPELINES_HTTP_TIMEOUT": "1",
        "PIPELINES_HTTP_RETRIES": "1",
        "PIPELINES_HTTP_BACKOFF": "0.01",
        "PIPELINES_MAX_BODY_BYTES": str(CAP),
    }.items():
        monkeypatch.setenv(name, value)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def huge_body(request: Request) -> Response:
    # 200 MB, streamed without a length: only the cap stops it.
    chunk = b"<item><title>x</title></item>" * 36_000  # about 1 MB
    return Response((chunk for _ in range(200)), content_type="application/rss+xml")


# When the throttled-once source was asked for its feed (time.monotonic()).
THROTTLED_AT: list[float] = []


def throttled_once() -> Callable[[Request], Response]:
    """429 with Retry-After: 1 on the first request, the feed after that."""
    THROTTLED_AT.clear()

    def handler(request: Request) -> Response:
        THROTTLED_AT.append(time.monotonic())
        if len(THROTTLED_AT) == 1:
            return Response("busy", status=429, headers={"Retry-After": "1"})
        return Response(FEED, content_type="application/rss+xml")

    return handler


def huge_declared(request: Request) -> Response:
    response = Response((b"<" for _ in range(1)), content_type="application/rss+xml")
    response.headers["Content-Length"] = str(200 * 1024 * 1024)
    return response


# name -> (how the server behaves, what the error must say); None: the source must land.
HostileCase = tuple[Callable[[HTTPServer, str], None], str | None]


def _data(
    body: bytes | str, status: int = 200, **kwargs: object
) -> Callable[[HTTPServer, str], None]:
    return lambda server, path: server.expect_request(path).respond_with_data(
        body, status=status, **kwargs
    )


def _redirect(target: str) -> Callable[[HTTPServer, str], None]:
    return lambda server, path: server.expect_request(path).respond_with_data(
        "", status=302, headers={"Location": target}
    )


FEED = rss([Item(f"Story {i}", None, guid=f"g{i}", description=f"Body {i}.") for i in range(3)])

HOSTILE: dict[str, HostileCase] = {
    # A transfer cut off in the channel header: nothing to recover.
    "truncated-head": (
        _data(FEED[:60], content_type="application/rss+xml"),
        "no recoverable entries",
    ),
    # Cut off in the last item: the complete items before it are kept.
    "truncated-tail": (
        _data(FEED[: FEED.rindex("<item>") + 20], content_type="application/rss+xml"),
        None,
    ),
    # Entity expansion: a few hundred bytes that would become gigabytes.
    "billion-laughs": (_data(BILLION_LAUGHS, content_type="application/rss+xml"), "entities"),
    # 200 MB streamed with no Content-Length, and 200 MB announced up front.
    "huge-body": (lambda s, p: s.expect_request(p).respond_with_handler(huge_body), "cap"),
    "huge-declared": (lambda s, p: s.expect_request(p).respond_with_handler(huge_declared), "cap"),
    # The site's home page where the feed used to be.
    "html-not-feed": (
        _data("<!DOCTYPE html><html><body><p>Welcome</p></body></html>", content_type="text/html"),
        "HTML page, not a feed",
    ),
    # JSON labelled as RSS: the label is not believed.
    "json-as-rss": (
        _data('{"items": []}', content_type="application/rss+xml"),
        "not an RSS or Atom feed",
    ),
    # A real feed with a wrong label (common with static hosting): it lands.
    "feed-as-png": (_data(FEED, content_type="image/png"), None),
    "redirect-loop": (_redirect("/hostile/redirect-loop-b.xml"), "redirect loop"),
    # 429 on every attempt, Retry-After honoured, then given up.
    "throttled": (
        _data("slow down", status=429, headers={"Retry-After": "1"}),
        "HTTP 429",
    ),
    # Content-Encoding: gzip on bytes that are not gzip.
    "bad-gzip": (
        _data(b"not gzip at all" * 20, headers={"Content-Encoding": "gzip"}),
        "does not decompress",
    ),
    # A compressed bomb: the cap counts decompressed bytes.
    "gzip-bomb": (
        _data(gzip.compress(b"\0" * (40 * 1024 * 1024)), headers={"Content-Encoding": "gzip"}),
        "cap",
    ),
    "gone": (_data("not here", status=404), "HTTP 404"),
    "server-error": (_data("oops", status=500), "HTTP 500"),
    # A redirect to the cloud metadata service.
    "to-metadata": (_redirect("http://169.254.169.254/latest/meta-data/"), "metadata"),
}
# Set up by the test itself: a handler that hangs past the timeout, a 429 that clears, a
# port where nothing listens.
SPECIAL = {"slow": "timed out", "throttled-once": None, "refused": "could not connect"}


def serve_hostile(server: HTTPServer, stalling: Callable[[str], None]) -> list[dict]:
    sources = []
    for name, (serve, _) in HOSTILE.items():
        path = f"/hostile/{name}.xml"
        serve(server, path)
        sources.append({"name": name, "url": server.url_for(path), "fetch_pages": False})
    _redirect("/hostile/redirect-loop.xml")(server, "/hostile/redirect-loop-b.xml")
    stalling("/hostile/slow.xml")
    server.expect_request("/hostile/throttled-once.xml").respond_with_handler(throttled_once())
    sources += [
        {"name": "slow", "url": server.url_for("/hostile/slow.xml"), "fetch_pages": False},
        {
            "name": "throttled-once",
            "url": server.url_for("/hostile/throttled-once.xml"),
            "fetch_pages": False,
        },
        {
            "name": "refused",
            "url": f"http://127.0.0.1:{closed_port()}/feed.xml",
            "fetch_pages": False,
        },
    ]
    return sources


def expected_errors() -> dict[str, str]:
    found = {name: fragment for name, (_, fragment) in HOSTILE.items() if fragment}
    found.update({name: fragment for name, fragment in SPECIAL.items() if fragment})
    return found


def materialise_ingest(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [fetched_payloads, land_articles],
        partition_key=today_key(),
        resources={"warehouse": WarehouseResource()},
        instance=instance,
        raise_on_error=False,
    )


def run_messages(instance: dg.DagsterInstance, run_id: str) -> str:
    return "\n".join(entry.user_message for entry in instance.all_logs(run_id))


def metadata(result: dg.ExecuteInProcessResult, node: str, key: dg.AssetKey) -> dict:
    for event in result.asset_materializations_for_node(node):
        if event.asset_key == key:
            return {name: value.value for name, value in event.metadata.items()}
    raise AssertionError(f"no materialisation of {key.to_user_string()}")


def assert_each_fails_alone(
    result: dg.ExecuteInProcessResult,
    instance: dg.DagsterInstance,
    errors: dict[str, str],
    settings: Settings,
    landing_sources: set[str],
) -> None:
    assert result.success, "one source's failure must not fail the run"
    logged = run_messages(instance, result.run_id)
    fetch_meta = metadata(result, "fetched_payloads", dg.AssetKey("fetched_payloads"))
    land_meta = metadata(result, "land_articles", dg.AssetKey(["raw", "fetches"]))
    for failed in (fetch_meta["failed_sources"], land_meta["failed_sources"]):
        assert set(failed) == set(errors), sorted(set(failed) ^ set(errors))
        for name, fragment in errors.items():
            # The source first, then what happened (and, in the message, what to do).
            assert failed[name].startswith(f"{name}: "), failed[name]
            assert fragment in failed[name], (name, failed[name])
            assert re.search(
                rf"^{re.escape(name)}: \S+: {re.escape(name)}: .*{re.escape(fragment)}",
                logged,
                re.M,
            ), name
    assert "pipeline bug" not in logged
    landed = {
        row[0] for row in query(settings.warehouse_path, "select distinct source from raw.articles")
    }
    assert landed == landing_sources


def test_hostile_feeds_each_fail_alone_and_the_others_land(
    pipeline_env: Settings, server: HTTPServer, stalling, fast_http: None
):
    sources = serve_hostile(server, stalling)
    serve_folder(server, SAMPLES_DIR, prefix="/samples")
    sources += sample_sources(GOOD_OUTLETS, server.url_for("/samples"))
    write_sources(pipeline_env, sources)
    with dg.DagsterInstance.ephemeral() as instance:
        result = materialise_ingest(instance)
        tolerated = {name for name, (_, fragment) in HOSTILE.items() if fragment is None}
        assert_each_fails_alone(
            result,
            instance,
            expected_errors(),
            pipeline_env,
            {*GOOD_OUTLETS, *tolerated, "throttled-once"},
        )
    # The 429 was retried once, after the second Retry-After asked for (the backoff is 10 ms).
    assert len(THROTTLED_AT) == 2 and THROTTLED_AT[1] - THROTTLED_AT[0] >= 0.95
    # The good outlets' pages were fetched and read, whatever the others did.
    pages = query(
        pipeline_env.warehouse_path,
        "select source, count(*) from raw.articles where text_origin = 'page' "
        "group by 1 order by 1",
    )
    assert [name for name, n in pages if n > 0] == sorted(GOOD_OUTLETS)


def fixture_files() -> list[Path]:
    if not FIXTURE_FEEDS.is_dir():
        return []
    return sorted(p for p in FIXTURE_FEEDS.iterdir() if p.suffix in FEED_SUFFIXES)


def slug(path: Path) -> str:
    return "fx-" + re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")


def test_every_shared_feed_capture_lands_beside_a_hostile_one(
    pipeline_env: Settings, server: HTTPServer, fast_http: None
):
    files = fixture_files()
    if not files:
        pytest.skip(f"{FIXTURE_FEEDS} is absent (third-party fixtures live beside the project)")
    sources = []
    for path in files:
        url_path = f"/fixtures/{path.name}"
        server.expect_request(url_path).respond_with_data(
            path.read_bytes(), content_type=FEED_SUFFIXES[path.suffix]
        )
        # Their links point at the real sites: read the feeds' own text, fetch no pages.
        sources.append({"name": slug(path), "url": server.url_for(url_path), "fetch_pages": False})
    name, (serve, fragment) = "billion-laughs", HOSTILE["billion-laughs"]
    serve(server, "/hostile/laughs.xml")
    sources.append(
        {"name": name, "url": server.url_for("/hostile/laughs.xml"), "fetch_pages": False}
    )
    write_sources(pipeline_env, sources)
    with dg.DagsterInstance.ephemeral() as instance:
        result = materialise_ingest(instance)
        assert_each_fails_alone(
            result, instance, {name: fragment}, pipeline_env, {slug(p) for p in files}
        )
    counts = dict(
        query(pipeline_env.warehouse_path, "select source, count(*) from raw.articles group by 1")
    )
    assert all(counts[slug(p)] > 0 for p in files)
