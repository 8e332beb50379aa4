"""Canonical URLs, the fetch-target guard and redaction."""

from __future__ import annotations

import pytest

from pipelines.ingest.urls import canonical_url, is_allowed_remote, redact, strip_credentials


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Feed links carry campaign tags (Google Analytics utm_*): one article, one URL.
        (
            "https://www.example.com/world/story.html?utm_source=rss&utm_medium=feed",
            "https://www.example.com/world/story.html",
        ),
        # Upper-case scheme and host from hand-written feeds; the path keeps its case.
        ("HTTP://WWW.Example.COM/World/Story", "http://www.example.com/World/Story"),
        # Explicit default ports (http :80, https :443) are noise.
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        # A non-default port is part of the address.
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        # In-page anchors (#comments, #incart_river) point at the same article.
        ("https://example.com/a#comments", "https://example.com/a"),
        # Bare host: an empty path is "/".
        ("https://example.com", "https://example.com/"),
        ("https://example.com?b=1", "https://example.com/?b=1"),
        # Social click ids (Facebook fbclid, Google gclid, Microsoft msclkid).
        ("https://example.com/a?fbclid=IwAR0x&id=7", "https://example.com/a?id=7"),
        ("https://example.com/a?gclid=abc&dclid=x&msclkid=y", "https://example.com/a"),
        # Mailchimp newsletter links (mc_cid / mc_eid) and Instagram shares (igshid).
        ("https://example.com/a?mc_cid=1&mc_eid=2&igshid=3", "https://example.com/a"),
        # BBC / AT Internet tags (at_medium, at_campaign, ito) and MSN's ocid.
        (
            "https://www.bbc.co.uk/news/world-1?at_medium=RSS&at_campaign=KARANGA&ito=1",
            "https://www.bbc.co.uk/news/world-1",
        ),
        ("https://example.com/a?ocid=msedgntp&cmpid=rss_feed", "https://example.com/a"),
        # NYT feed links end in ?emc=rss&partner=rss.
        (
            "https://www.nytimes.com/2019/12/31/world/x.html?emc=rss&partner=rss",
            "https://www.nytimes.com/2019/12/31/world/x.html",
        ),
        # Google Analytics cross-domain linker (_ga) keeps the real parameters, sorted.
        ("https://example.com/a?z=2&_ga=2.1&a=1", "https://example.com/a?a=1&z=2"),
        # Content-selecting parameters survive and are ordered, encoding kept as published.
        (
            "https://example.com/story?page=2&id=Caf%C3%A9",
            "https://example.com/story?id=Caf%C3%A9&page=2",
        ),
        # Credentials in a link are never part of the identity (and never stored).
        ("https://user:pw@example.com/a", "https://example.com/a"),
        # Trailing dot on the host (fully qualified name) is the same host.
        ("https://example.com./a", "https://example.com/a"),
        # IPv6 literal hosts keep their brackets.
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        # Local sample feeds link relative paths: only the fragment goes.
        ("raw/samples/wire/page1.html#top", "raw/samples/wire/page1.html"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_canonical_url_is_idempotent() -> None:
    url = "HTTPS://Example.com:443/a/b?utm_campaign=x&b=2&a=1#frag"
    once = canonical_url(url)
    assert canonical_url(once) == once == "https://example.com/a/b?a=1&b=2"


@pytest.mark.parametrize(
    ("url", "reason_part"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://localhost:8080/feed", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://169.254.10.10/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.1.1/", "non-public"),  # carrier-grade NAT space
        ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped IPv6
        ("file:///etc/passwd", "scheme"),
        ("ftp://example.com/x", "scheme"),
        ("javascript:alert(1)", "scheme"),
        ("http:///nohost", "no host"),
    ],
)
def test_is_allowed_remote_refuses(url: str, reason_part: str) -> None:
    allowed, reason = is_allowed_remote(url)
    assert not allowed
    assert reason_part in reason


def test_is_allowed_remote_public_literal() -> None:
    assert is_allowed_remote("https://93.184.215.14/a") == (True, "ok")


def test_allow_loopback_lets_only_loopback_through() -> None:
    assert is_allowed_remote("http://127.0.0.1:9/x", allow_loopback=True)[0]
    assert is_allowed_remote("http://[::1]/x", allow_loopback=True)[0]
    assert not is_allowed_remote("http://10.0.0.1/x", allow_loopback=True)[0]
    assert not is_allowed_remote("http://169.254.169.254/", allow_loopback=True)[0]


def test_unresolvable_host_is_refused() -> None:
    allowed, reason = is_allowed_remote("http://no-such-host.invalid/feed")
    assert not allowed
    assert "does not resolve" in reason


def test_redact_hides_credentials_and_secret_values() -> None:
    url = "https://alice:hunter2@feeds.example.com/x.xml?api_key=K123&page=2&token=T9&sig=S"
    safe = redact(url)
    for secret in ("alice", "hunter2", "K123", "T9", "=S"):
        assert secret not in safe
    assert "page=2" in safe
    assert safe.startswith("https://feeds.example.com/x.xml?")


def test_strip_credentials_keeps_port() -> None:
    assert strip_credentials("http://u:p@127.0.0.1:8080/a?b=1") == "http://127.0.0.1:8080/a?b=1"
