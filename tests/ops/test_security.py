"""Security through the pipeline's assets: where a feed may send the fetcher, what a local feed
may read, how big a body may be, and what reaches the logs."""

from __future__ import annotations

import base64
import gzip
import logging
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines.defs.ingest.assets import fetched_payloads, land_articles
from pipelines.defs.partitions import today_key
from pipelines.defs.resources import WarehouseResource
from pipelines.settings import Settings
from tests.ingest.helpers import PARAGRAPHS, Item, article_html, rss

from .helpers import query, write_sources


def materialise_ingest(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    result = dg.materialize(
        [fetched_payloads, land_articles],
        partition_key=today_key(),
        resources={"warehouse": WarehouseResource()},
        instance=instance,
    )
    assert result.success
    return result


def pages(settings: Settings) -> dict[str, tuple[str, str | None]]:
    """Page fetch attempts: url -> (status, error)."""
    rows = query(
        settings.warehouse_path, "select url, status, error from raw.fetches where kind = 'page'"
    )
    return {url: (status, error) for url, status, error in rows}


# Each link an item of a remote feed may carry, and why fetching it is refused.
UNSAFE_LINKS = {
    "http://10.0.0.5/internal": "a private address",  # the office network
    "http://192.168.1.1/admin": "a private address",  # a home router
    "http://169.254.169.254/latest/meta-data/": "a cloud metadata address",  # credentials
    "http://169.254.10.10/": "a link-local address",
    "http://[fe80::1]/": "a link-local address",
    "http://0.0.0.0:8080/": "an unspecified address",  # reaches local services on Linux
    "http://100.64.0.1/": "a non-public address",  # carrier-grade NAT space
    "ftp://files.example.org/report.txt": "scheme 'ftp' is not http or https",
}


def test_links_in_a_remote_feed_to_internal_addresses_are_refused(
    pipeline_env: Settings, server: HTTPServer, loopback: None
):
    fine = server.url_for("/fine")
    server.expect_request("/fine").respond_with_data(
        article_html("Fine", PARAGRAPHS), content_type="text/html"
    )
    # A public-looking page that redirects to the metadata service.
    server.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/api/token"}
    )
    links = [*UNSAFE_LINKS, server.url_for("/moved"), fine, "file:///etc/passwd"]
    items = [Item(f"Item {i}", link, guid=f"i{i}") for i, link in enumerate(links)]
    server.expect_request("/feed.xml").respond_with_data(rss(items), content_type="text/xml")
    write_sources(pipeline_env, [{"name": "wire", "url": server.url_for("/feed.xml")}])

    materialise_ingest(dg.DagsterInstance.ephemeral())

    attempts = pages(pipeline_env)
    for link, reason in UNSAFE_LINKS.items():
        status, error = attempts[link]
        assert status == "error" and reason in error, (link, error)
        assert error.startswith("wire: page ")
    status, error = attempts[server.url_for("/moved")]
    assert status == "error" and "metadata" in error and "redirect led there" in error
    assert attempts[fine] == ("ok", None)
    local_files = [error for url, (_, error) in attempts.items() if url.startswith("file:")]
    assert len(local_files) == 1 and "scheme 'file' is not http or https" in local_files[0]
    # Only the feed, the fine page and the redirect reached the server.
    assert sorted(request.path for request, _ in server.log) == ["/feed.xml", "/fine", "/moved"]
    # Refused pages fall back to the feed's own text, and say why.
    fallback = query(
        pipeline_env.warehouse_path,
        "select text_origin, text_fallback_reason from raw.articles "
        "where url = 'http://10.0.0.5/internal'",
    )
    assert fallback[0][0] == "entry_summary" and "page_fetch_failed" in fallback[0][1]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]"])
def test_loopback_is_refused_by_default(pipeline_env: Settings, server: HTTPServer, host: str):
    # Without PIPELINES_ALLOW_LOOPBACK a feed can never make the fetcher call this machine.
    server.expect_request("/feed.xml").respond_with_data(rss([Item("x", None, guid="x")]))
    url = server.url_for("/feed.xml").replace("127.0.0.1", host)
    write_sources(pipeline_env, [{"name": "local-service", "url": url}])
    result = dg.materialize(
        [fetched_payloads],
        partition_key=today_key(),
        resources={"warehouse": WarehouseResource()},
        instance=dg.DagsterInstance.ephemeral(),
    )
    failed = result.asset_materializations_for_node("fetched_payloads")[0].metadata
    error = failed["failed_sources"].value["local-service"]
    assert "loopback" in error or "does not resolve" in error, error
    assert len(server.log) == 0


def test_a_local_feed_reads_only_files_in_its_folder(
    pipeline_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    secret_text = "TOPSECRET-CONTENT from outside the feed folder"
    secret = tmp_path / "secret.html"
    secret.write_text(article_html("Secret", [secret_text, *PARAGRAPHS]), encoding="utf-8")
    feed_dir = tmp_path / "outlet"
    (feed_dir / "pages").mkdir(parents=True)
    (feed_dir / "pages" / "ok.html").write_text(article_html("Fine", PARAGRAPHS))
    (feed_dir / "pages" / "link.html").symlink_to(secret)  # inside, pointing outside
    links = [
        "pages/ok.html",
        "../secret.html",  # climbing out
        "pages/../../secret.html",
        str(secret),  # an absolute path
        secret.as_uri(),  # a file: URL
        "pages/link.html",  # a symlink inside the folder to a file outside it
        "/etc/hostname",
    ]
    items = [Item(f"Item {i}", link, guid=f"l{i}") for i, link in enumerate(links)]
    (feed_dir / "feed.xml").write_text(rss(items), encoding="utf-8")
    # A local feed over the body cap is refused before it is read.
    monkeypatch.setenv("PIPELINES_MAX_BODY_BYTES", "100000")
    big = tmp_path / "big" / "feed.xml"
    big.parent.mkdir()
    big.write_text(rss([Item("x" * 200, None, guid=f"b{i}") for i in range(600)]))
    write_sources(
        pipeline_env,
        [
            {"name": "outlet", "url": str(feed_dir / "feed.xml")},
            {"name": "oversized", "url": str(big)},
        ],
    )

    result = materialise_ingest(dg.DagsterInstance.ephemeral())

    attempts = pages(pipeline_env)
    # Links that resolve to the same file are one page; every escape is refused.
    fetched = [url for url, (status, _) in attempts.items() if status == "ok"]
    assert len(fetched) == 1 and fetched[0].endswith("/outlet/pages/ok.html")
    refused = [error for url, (status, error) in attempts.items() if status == "error"]
    assert len(refused) >= 4
    assert all("outside the feed's folder" in error for error in refused), refused
    failed = result.asset_materializations_for_node("fetched_payloads")[0].metadata
    assert "over the 100,000-byte cap" in failed["failed_sources"].value["oversized"]
    # The secret is nowhere: not in the articles, not in any stored payload.
    texts = query(pipeline_env.warehouse_path, "select coalesce(text, '') from raw.articles")
    assert texts and not any("TOPSECRET" in text for (text,) in texts)
    for payload in pipeline_env.landed_dir.rglob("*.gz"):
        assert b"TOPSECRET" not in gzip.decompress(payload.read_bytes())


SECRETS = {
    "password": "s3cr3t-pass",
    "token": "tok-SECRET-123",
    "cookie": "COOKIE-SECRET-456",
    "signature": "SIG-SECRET-789",
    "link password": "hunter2pass",
    "link token": "TOK2-SECRET",
    "link key": "KEY-SECRET-000",
}


def test_no_credential_or_cookie_reaches_the_logs(
    pipeline_env: Settings,
    server: HTTPServer,
    loopback: None,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
):
    port = server.port
    expected_auth = "Basic " + base64.b64encode(f"reader:{SECRETS['password']}".encode()).decode()
    cookie = f"sessionid={SECRETS['cookie']}; Path=/; HttpOnly"

    def private(request: Request) -> Response:
        if request.headers.get("Authorization") != expected_auth:
            return Response("who are you", status=401)
        return Response(
            "",
            status=302,
            headers={"Location": f"/feed.xml?sig={SECRETS['signature']}", "Set-Cookie": cookie},
        )

    keyed = f"127.0.0.1:{port}/page?api_key={SECRETS['link key']}"
    items = [
        Item("With a key", f"http://bob:{SECRETS['link password']}@{keyed}", guid="k"),
        Item("Missing", f"http://127.0.0.1:{port}/missing?token={SECRETS['link token']}", guid="m"),
    ]
    server.expect_request("/private.xml").respond_with_handler(private)
    server.expect_request("/feed.xml").respond_with_data(
        rss(items), content_type="application/rss+xml", headers={"Set-Cookie": cookie}
    )
    server.expect_request("/page").respond_with_data(
        article_html("Keyed", PARAGRAPHS), content_type="text/html", headers={"Set-Cookie": cookie}
    )
    server.expect_request("/missing").respond_with_data("gone", status=404)
    url = (
        f"http://reader:{SECRETS['password']}@127.0.0.1:{port}/private.xml?token={SECRETS['token']}"
    )
    write_sources(pipeline_env, [{"name": "paywalled", "url": url}])

    with caplog.at_level(logging.DEBUG), dg.DagsterInstance.ephemeral() as instance:
        result = materialise_ingest(instance)
        run_log = "\n".join(dg.serialize_value(entry) for entry in instance.all_logs(result.run_id))
    # The credentials did their job: the feed and the keyed page were read.
    assert query(pipeline_env.warehouse_path, "select count(*) from raw.articles") == [(2,)]
    assert pages(pipeline_env)[f"http://127.0.0.1:{port}/page?api_key=REDACTED"][0] == "ok"

    captured = capfd.readouterr()
    written = {
        "the run's event log": run_log,
        "python logging": "\n".join(
            r.getMessage()
            for r in caplog.records
            if r.name != "werkzeug"  # the test server's
        ),
        "stdout and stderr": captured.out + captured.err,
        "raw.fetches": str(query(pipeline_env.warehouse_path, "select * from raw.fetches")),
        "the fetch log": "\n".join(
            p.read_text() for p in pipeline_env.landed_dir.glob("*/fetches.jsonl")
        ),
        "the HTTP state": pipeline_env.http_state_file.read_text(),
    }
    assert "paywalled" in written["the run's event log"]
    for where, text in written.items():
        for what, secret in SECRETS.items():
            if what in ("link key", "link token") and where == "the fetch log":
                # A link's query is part of the article's identity (its canonical URL is
                # raw.articles.url); the fetch log keeps it beside each page fetch so a
                # replay can match pages to entries. Messages and the fetched URL redact it.
                continue
            assert secret not in text, f"the {what} leaked into {where}"
    assert "token=REDACTED" in written["the run's event log"]
