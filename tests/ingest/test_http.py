"""The HTTP client against a real server on 127.0.0.1: retries, caps, redirects, safety."""

from __future__ import annotations

import dataclasses
import gzip
import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines.ingest.http import HttpClient, HttpState, retry_after_seconds
from pipelines.settings import Settings

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def client_for(settings: Settings, **changes: object) -> HttpClient:
    return HttpClient(dataclasses.replace(settings, **changes))


def test_ok_sends_user_agent_and_returns_body(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/feed.xml").respond_with_data(
        FEED, content_type="application/rss+xml", headers={"ETag": '"v1"'}
    )
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/feed.xml"), source="wire")
    assert result.ok and result.body == FEED and result.http_status == 200
    assert result.etag == '"v1"' and result.content_type == "application/rss+xml"
    request, _ = server.log[0]
    assert request.headers["User-Agent"] == settings.user_agent


def test_conditional_get_uses_remembered_validators(server: HTTPServer, settings: Settings) -> None:
    stamp = "Tue, 10 Mar 2026 08:00:00 GMT"

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response(FEED, headers={"ETag": '"v1"', "Last-Modified": stamp})

    server.expect_request("/feed.xml").respond_with_handler(handler)
    url = server.url_for("/feed.xml")
    with client_for(settings) as client:
        first = client.fetch(url, source="wire")
        client.remember("wire", url, first)
        client.state.save()
    # A new client (the next run) reads the state file.
    with client_for(settings) as client:
        second = client.fetch(url, source="wire")
    assert first.ok and second.status == "not_modified" and second.body is None
    sent = server.log[1][0].headers
    assert sent["If-None-Match"] == '"v1"' and sent["If-Modified-Since"] == stamp
    assert settings.http_state_file.is_file()


def test_404_is_an_error_without_retries(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/gone.xml").respond_with_data("nope", status=404)
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/gone.xml"), source="wire")
    assert result.status == "error" and result.http_status == 404
    assert result.error.startswith("wire: feed http://127.0.0.1:")
    assert "HTTP 404" in result.error and "check the feed URL" in result.error
    assert len(server.log) == 1


def test_503_then_ok_is_retried(server: HTTPServer, settings: Settings) -> None:
    server.expect_ordered_request("/feed.xml").respond_with_data("busy", status=503)
    server.expect_ordered_request("/feed.xml").respond_with_data("busy", status=502)
    server.expect_ordered_request("/feed.xml").respond_with_data(FEED)
    with client_for(settings, http_retries=2) as client:
        result = client.fetch(server.url_for("/feed.xml"), source="wire")
    assert result.ok and result.attempts == 3


def test_500_gives_up_after_retries(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/feed.xml").respond_with_data("boom", status=500)
    with client_for(settings, http_retries=1) as client:
        result = client.fetch(server.url_for("/feed.xml"), source="wire")
    assert result.status == "error" and result.http_status == 500
    assert "after 2 attempt(s)" in result.error and "try again later" in result.error
    assert len(server.log) == 2


def test_429_retry_after_is_honoured(server: HTTPServer, settings: Settings) -> None:
    server.expect_ordered_request("/feed.xml").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    server.expect_ordered_request("/feed.xml").respond_with_data(FEED)
    started = time.monotonic()
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/feed.xml"), source="wire")
    waited = time.monotonic() - started
    assert result.ok
    assert 0.9 <= waited < 5


def test_retry_after_is_capped_and_bounded_by_total_time(
    server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/feed.xml").respond_with_data(
        "later", status=503, headers={"Retry-After": "86400"}
    )
    started = time.monotonic()
    client = HttpClient(settings, max_retry_after_s=60, total_timeout_s=2)
    with client:
        result = client.fetch(server.url_for("/feed.xml"), source="wire")
    # A day-long Retry-After is capped at 60 s, which is still past the 2 s budget: give up now.
    assert time.monotonic() - started < 1.5
    assert result.status == "error" and "HTTP 503" in result.error


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        (format_datetime(datetime(2026, 3, 10, 12, 0, 30, tzinfo=UTC), usegmt=True), 30.0),
        (format_datetime(datetime(2026, 3, 10, 11, 0, tzinfo=UTC), usegmt=True), 0.0),  # past
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_parsing(value: str | None, expected: float | None) -> None:
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(value, now) == expected


def test_read_timeout_is_a_clear_error(
    server: HTTPServer, settings: Settings, stalling: Callable[[str], None]
) -> None:
    stalling("/slow.xml")
    started = time.monotonic()
    with client_for(settings, http_timeout_s=0.3, http_retries=0) as client:
        result = client.fetch(server.url_for("/slow.xml"), source="wire")
    assert time.monotonic() - started < 1.2
    assert result.status == "error" and "timed out" in result.error


def test_connection_refused_is_a_clear_error(settings: Settings) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with client_for(settings, http_retries=1) as client:
        result = client.fetch(f"http://127.0.0.1:{port}/feed.xml", source="wire")
    assert result.status == "error" and "could not connect" in result.error
    assert result.attempts == 2


def test_large_streamed_body_is_cut_off_fast(server: HTTPServer, settings: Settings) -> None:
    sent = {"chunks": 0}
    chunk = b"x" * (1024 * 1024)

    def endless(request: Request) -> Response:
        def body():
            for _ in range(200):  # 200 MB if nobody stops it
                sent["chunks"] += 1
                yield chunk

        return Response(body(), content_type="application/rss+xml")

    server.expect_request("/huge.xml").respond_with_handler(endless)
    started = time.monotonic()
    with client_for(settings, max_body_bytes=1024 * 1024) as client:
        result = client.fetch(server.url_for("/huge.xml"), source="wire")
    assert time.monotonic() - started < 5
    assert result.status == "error" and "cap" in result.error and result.body is None
    assert sent["chunks"] < 50


def test_declared_oversize_is_refused_before_download(
    server: HTTPServer, settings: Settings
) -> None:
    server.expect_request("/big.xml").respond_with_data(
        b"x" * 300_000, content_type="application/rss+xml"
    )
    with client_for(settings, max_body_bytes=100_000) as client:
        result = client.fetch(server.url_for("/big.xml"), source="wire")
    assert result.status == "error" and "announces 300,000 bytes" in result.error


def test_gzip_bomb_counts_decompressed_bytes(server: HTTPServer, settings: Settings) -> None:
    bomb = gzip.compress(b"\0" * (40 * 1024 * 1024))
    assert len(bomb) < 100_000
    server.expect_request("/bomb.xml").respond_with_data(
        bomb, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    with client_for(settings, max_body_bytes=1024 * 1024) as client:
        result = client.fetch(server.url_for("/bomb.xml"), source="wire")
    assert result.status == "error" and "exceeds the 1,048,576-byte cap" in result.error


def test_gzip_body_is_decompressed(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/gz.xml").respond_with_data(
        gzip.compress(FEED), headers={"Content-Encoding": "gzip"}
    )
    with client_for(settings) as client:
        assert client.fetch(server.url_for("/gz.xml"), source="wire").body == FEED


def test_broken_gzip_is_a_clear_error(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/bad.xml").respond_with_data(
        b"this is not gzip data at all" * 10, headers={"Content-Encoding": "gzip"}
    )
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/bad.xml"), source="wire")
    assert result.status == "error" and "does not decompress" in result.error


def test_redirects_are_followed(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    server.expect_request("/new").respond_with_data(FEED)
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/old"), source="wire")
    assert result.ok and result.final_url == server.url_for("/new")


def test_redirect_loop_is_detected(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    server.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/a"), source="wire")
    assert result.status == "error" and "redirect loop" in result.error
    assert len(server.log) == 2


def test_too_many_redirects(server: HTTPServer, settings: Settings) -> None:
    for hop in range(8):
        server.expect_request(f"/r{hop}").respond_with_data(
            "", status=307, headers={"Location": f"/r{hop + 1}"}
        )
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/r0"), source="wire")
    assert result.status == "error" and "more than 5 redirects" in result.error
    assert len(server.log) == 6


def test_redirect_to_metadata_address_is_refused(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/evil").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    with client_for(settings) as client:
        result = client.fetch(server.url_for("/evil"), source="wire")
    assert result.status == "error" and "metadata" in result.error
    assert "redirect led there" in result.error


def test_loopback_refused_unless_allowed(server: HTTPServer, settings: Settings) -> None:
    server.expect_request("/feed.xml").respond_with_data(FEED)
    with client_for(settings, allow_loopback=False) as client:
        refused = client.fetch(server.url_for("/feed.xml"), source="wire")
    assert refused.status == "error" and "loopback" in refused.error
    assert len(server.log) == 0  # never even connected
    with client_for(settings, allow_loopback=True) as client:
        assert client.fetch(server.url_for("/feed.xml"), source="wire").ok


def test_credentials_never_reach_errors_logs_or_state(
    server: HTTPServer, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    server.expect_request("/private.xml").respond_with_data("boom", status=500)
    port = server.port
    secrets = ("s3cret-pw", "tok-abc123", "alice")
    url = f"http://alice:s3cret-pw@127.0.0.1:{port}/private.xml?token=tok-abc123&page=1"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    refused_url = f"http://alice:s3cret-pw@127.0.0.1:{closed}/p.xml?token=tok-abc123"
    with caplog.at_level(logging.DEBUG), client_for(settings, http_retries=1) as client:
        failed = client.fetch(url, source="wire")
        unreachable = client.fetch(refused_url, source="wire")
        client.state.remember_validators("wire", url, '"e"', None)
        client.state.save()
    # The credentials were used for the request itself...
    assert server.log[0][0].headers.get("Authorization", "").startswith("Basic ")
    # ...and appear nowhere we write.
    # Our logs and the HTTP library's (the test server's own access log is not ours).
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "werkzeug")
    assert "/private.xml" in logged
    written = [failed.error, failed.url, unreachable.error, logged]
    written.append(settings.http_state_file.read_text())
    for text in written:
        for secret in secrets:
            assert secret not in text, f"{secret!r} leaked into {text!r}"
    assert "token=REDACTED" in failed.error and "could not connect" in unreachable.error


def test_politeness_delay_between_requests_to_one_host(
    server: HTTPServer, settings: Settings
) -> None:
    seen: list[float] = []

    def record(request: Request) -> Response:
        seen.append(time.monotonic())
        return Response(b"<html></html>")

    server.expect_request("/p").respond_with_handler(record)
    with client_for(settings, per_host_delay_s=0.25) as client:
        for _ in range(3):
            assert client.fetch(server.url_for("/p"), source="wire", kind="page").ok
    gaps = [b - a for a, b in zip(seen, seen[1:], strict=False)]
    assert all(gap >= 0.24 for gap in gaps), gaps


def test_state_file_is_replaced_atomically(settings: Settings) -> None:
    state = HttpState(settings.http_state_file)
    state.remember_validators("wire", "https://x.test/feed", '"a"', None)
    state.save()
    folder = settings.http_state_file.parent
    assert [p.name for p in folder.iterdir()] == ["http_state.json"]
    again = HttpState(settings.http_state_file)
    assert again.validators("wire", "https://x.test/feed") == {"etag": '"a"'}


def test_unreadable_state_file_starts_empty(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    settings.http_state_file.parent.mkdir(parents=True)
    settings.http_state_file.write_text("{not json")
    with caplog.at_level(logging.WARNING, logger="pipelines.ingest"):
        assert HttpState(settings.http_state_file).validators("wire", "https://x.test/") == {}
    assert "unreadable" in caplog.text


def test_http_date_retry_after_in_future_is_waited(settings: Settings) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=3)
    value = format_datetime(soon, usegmt=True)
    assert 1.5 < retry_after_seconds(value) <= 3.0


def _self_signed_context(tmp_path: Path) -> ssl.SSLContext:
    """An SSL context with a throwaway self-signed certificate for 127.0.0.1."""
    # cryptography comes with the stack's dependencies; skip cleanly if it ever does not.
    x509 = pytest.importorskip("cryptography.x509")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    return context


def test_untrusted_certificate_is_a_clear_tls_error(settings: Settings, tmp_path: Path) -> None:
    tls = HTTPServer(host="127.0.0.1", port=0, ssl_context=_self_signed_context(tmp_path))
    tls.expect_request("/feed.xml").respond_with_data(FEED)
    tls.start()
    try:
        with client_for(settings, http_retries=0) as client:
            result = client.fetch(tls.url_for("/feed.xml"), source="wire")
    finally:
        tls.clear()
        tls.stop()
    assert result.url.startswith("https://127.0.0.1:")
    assert result.status == "error" and "TLS handshake failed" in result.error
