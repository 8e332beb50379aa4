"""Feed parsing on feeds written here: normalisation, times, ids, and hostile payloads."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from pipelines.ingest.feeds import (
    FeedError,
    fallback_entry_id,
    html_to_text,
    parse_feed,
    parse_time,
)
from pipelines.ingest.schema import ENTRIES_SCHEMA

from .helpers import BILLION_LAUGHS, Item, rss

FETCHED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def parse(payload: bytes | str, **kwargs):
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    options = {"source": "wire", "fetched_at": FETCHED, "base_url": None, "content_type": None}
    options.update(kwargs)
    return parse_feed(data, **options)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # RSS pubDate (RFC 822) with a numeric offset.
        ("Tue, 10 Mar 2026 08:30:00 +0300", datetime(2026, 3, 10, 5, 30, tzinfo=UTC)),
        # RFC 822 with a zone name.
        ("Tue, 10 Mar 2026 08:30:00 GMT", datetime(2026, 3, 10, 8, 30, tzinfo=UTC)),
        ("Tue, 10 Mar 2026 08:30:00 EST", datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),
        # RFC 822 "-0000" means "zone unknown": taken as UTC.
        ("Tue, 10 Mar 2026 08:30:00 -0000", datetime(2026, 3, 10, 8, 30, tzinfo=UTC)),
        # Atom (RFC 3339) with Z and with an offset.
        ("2026-03-10T08:30:00Z", datetime(2026, 3, 10, 8, 30, tzinfo=UTC)),
        ("2026-03-10T08:30:00-05:00", datetime(2026, 3, 10, 13, 30, tzinfo=UTC)),
        # Naive ISO time from a CMS that forgot the zone: UTC.
        ("2026-03-10 08:30:00", datetime(2026, 3, 10, 8, 30, tzinfo=UTC)),
        # Date only.
        ("2026-03-10", datetime(2026, 3, 10, tzinfo=UTC)),
        # Placeholders and junk are "no time".
        ("0000-00-00 00:00:00", None),
        ("1970-01-01T00:00:00Z", None),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_time(raw: str | None, expected: datetime | None) -> None:
    assert parse_time(raw) == expected


def test_parse_time_falls_back_to_feedparser_struct() -> None:
    # A format only feedparser knows arrives as its UTC struct_time.
    parsed = time.struct_time((2026, 3, 10, 5, 30, 0, 1, 69, 0))
    assert parse_time("10 mars 2026 08h30", parsed) == datetime(2026, 3, 10, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # Paragraph markup becomes blank-line separated paragraphs.
        ("<p>One.</p><p>Two &amp; three.</p>", "One.\n\nTwo & three."),
        # <br><br> is how many feeds separate paragraphs; a single <br> is a line wrap.
        ("First<br><br>Second<br>still second", "First\n\nSecond still second"),
        # Entities, numeric references and non-breaking spaces.
        ("Caf&eacute; &#8216;quoted&#8217;&nbsp;here", "Café ‘quoted’ here"),
        # Scripts and styles never leak into text.
        ("<p>Text</p><script>var x = 1;</script><style>p{}</style>", "Text"),
        # Source newlines and runs of spaces are layout.
        ("<div>\n  Lots\n of    space  </div>", "Lots of space"),
        # Plain text without markup passes through, whitespace normalised.
        ("  plain   text  ", "plain text"),
        ("", None),
        ("<p> </p>", None),
    ],
)
def test_html_to_text(html: str, expected: str | None) -> None:
    assert html_to_text(html) == expected


def test_entries_are_normalised() -> None:
    feed = rss(
        [
            Item(
                title="Rockets hit base & depot",
                link="https://Wire.Test/world/1?utm_source=rss#top",
                guid="wire-1",
                content_html="<p>Para one.</p><p>Para two.</p>",
                description="Short <b>summary</b>.",
            ),
            Item(title="Relative link", link="/world/2", pub_date=None),
            Item(title="No link", link=None, pub_date="2026-03-09T22:00:00Z"),
        ],
        language="en-US",
    )
    parsed = parse(feed, base_url="https://wire.test/feeds/world.xml")
    entries = parsed.entries
    assert entries.schema == ENTRIES_SCHEMA
    first, second, third = entries.to_dicts()
    assert first["entry_id"] == "wire-1"
    assert first["url"] == "https://wire.test/world/1"
    assert first["link"] == "https://Wire.Test/world/1?utm_source=rss#top"
    assert first["title"] == "Rockets hit base & depot"
    assert first["summary"] == "Short summary."
    assert first["content"] == "Para one.\n\nPara two."
    assert first["published_at"] == datetime(2026, 3, 10, 5, 30, tzinfo=UTC)
    assert first["is_published_at_fallback"] is False
    assert first["language"] == "en"
    # Relative links resolve against the feed's URL; the link doubles as the entry id.
    assert second["link"] == "https://wire.test/world/2"
    assert second["entry_id"] == "https://wire.test/world/2"
    # No time at all: fetched_at stands in, and says so.
    assert second["published_at"] == FETCHED and second["is_published_at_fallback"] is True
    # Neither guid nor link: a stable hash of title and time.
    assert third["url"] is None
    assert third["entry_id"] == fallback_entry_id("No link", datetime(2026, 3, 9, 22, tzinfo=UTC))
    assert third["entry_id"].startswith("sha256:")
    assert entries["fetched_at"].to_list() == [FETCHED] * 3


def test_entry_ids_are_stable_across_parses() -> None:
    feed = rss([Item(title="Untitled?", link=None, pub_date=None)])
    later = datetime(2026, 4, 1, tzinfo=UTC)
    first = parse(feed).entries["entry_id"][0]
    # A feed with no time at all still gives the same id on another day.
    again = parse(feed, fetched_at=later).entries["entry_id"][0]
    assert first == again == fallback_entry_id("Untitled?", None)


def test_default_language_and_atom() -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom wire</title><id>urn:wire</id><updated>2026-03-10T00:00:00Z</updated>
  <entry>
    <title type="html">Clash &lt;em&gt;reported&lt;/em&gt;</title>
    <id>urn:wire:1</id><link rel="alternate" href="https://wire.test/a"/>
    <updated>2026-03-10T07:00:00+02:00</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A.</p><p>B.</p></div></content>
  </entry>
</feed>"""
    entry = parse(atom, default_language="ar").entries.row(0, named=True)
    assert entry["title"] == "Clash reported"
    assert entry["content"] == "A.\n\nB."
    assert entry["published_at"] == datetime(2026, 3, 10, 5, 0, tzinfo=UTC)
    assert entry["is_published_at_fallback"] is False
    assert entry["language"] == "ar"


def test_rss_1_0_rdf() -> None:
    rdf = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
 <channel rdf:about="https://wire.test/"><title>RDF wire</title><link>https://wire.test/</link>
  <description>d</description></channel>
 <item rdf:about="https://wire.test/r1"><title>R1</title><link>https://wire.test/r1</link>
  <dc:date>2026-03-10T01:02:03Z</dc:date></item>
</rdf:RDF>"""
    entry = parse(rdf).entries.row(0, named=True)
    assert entry["url"] == "https://wire.test/r1"
    assert entry["published_at"] == datetime(2026, 3, 10, 1, 2, 3, tzinfo=UTC)


# -- hostile and odd payloads ----------------------------------------------------------------


def test_billion_laughs_is_refused_before_parsing() -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match="entities") as caught:
        parse(BILLION_LAUGHS)
    assert time.monotonic() - started < 1
    assert "wire:" in str(caught.value)


def test_external_entity_is_refused() -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<rss version="2.0"><channel><title>&xxe;</title></channel></rss>'
    )
    with pytest.raises(FeedError, match="entities"):
        parse(xxe)


def test_plain_rss_091_doctype_is_accepted() -> None:
    # Old RSS 0.91 feeds declare the Netscape DTD (no internal subset): harmless.
    feed = rss([Item(title="Old school", link="https://wire.test/o")]).replace(
        '<rss version="2.0"',
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="2.0"',
    )
    assert parse(feed).entries["title"].to_list() == ["Old school"]


def test_html_page_is_not_a_feed() -> None:
    page = "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
    with pytest.raises(FeedError, match="HTML page, not a feed"):
        parse(page)
    # Without a doctype, too.
    with pytest.raises(FeedError, match="HTML page, not a feed"):
        parse("\n  <html><body><a href='/feed'>feed</a></body></html>")


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"   \n",
        b"this is not xml at all",
        b'{"items": []}',
        b"<error>Service unavailable</error>",
    ],
)
def test_non_feeds_raise_feed_error(payload: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        parse(payload)
    assert "wire:" in str(caught.value)


def test_leading_whitespace_and_bom_before_declaration() -> None:
    feed = rss([Item(title="Spaced", link="https://wire.test/s")])
    for prefix in (b"\n\n   ", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"):
        parsed = parse(prefix + feed.encode("utf-8"))
        assert parsed.entries["title"].to_list() == ["Spaced"]


def test_control_characters_are_stripped_with_a_warning() -> None:
    feed = rss([Item(title="Bell\x07 and\x0b tab", link="https://wire.test/c")])
    parsed = parse(feed)
    assert parsed.entries["title"].to_list() == ["Bell and tab"]
    assert any("XML does not allow" in w for w in parsed.warnings)


def test_undeclared_latin1_is_decoded() -> None:
    feed = rss([Item(title="Ataque em São Paulo: ação policial", link="https://wire.test/p")])
    payload = feed.replace(' encoding="utf-8"', "").encode("iso-8859-1")
    assert parse(payload).entries["title"].to_list() == ["Ataque em São Paulo: ação policial"]


def test_declared_windows_1251_is_decoded() -> None:
    feed = rss([Item(title="Обстрел в Харькове", link="https://wire.test/r")], language="ru")
    payload = feed.replace('encoding="utf-8"', 'encoding="windows-1251"').encode("cp1251")
    entry = parse(payload).entries.row(0, named=True)
    assert entry["title"] == "Обстрел в Харькове"
    assert entry["language"] == "ru"


def test_http_charset_used_when_document_is_silent() -> None:
    feed = rss([Item(title="Обстрел", link="https://wire.test/r")])
    payload = feed.replace(' encoding="utf-8"', "").encode("koi8-r")
    parsed = parse(payload, content_type="application/rss+xml; charset=KOI8-R")
    assert parsed.entries["title"].to_list() == ["Обстрел"]


def test_utf16_with_bom() -> None:
    feed = rss([Item(title="Ünïcode", link="https://wire.test/u")])
    payload = feed.replace('encoding="utf-8"', 'encoding="utf-16"').encode("utf-16")
    assert parse(payload).entries["title"].to_list() == ["Ünïcode"]


def test_bozo_feed_keeps_entries_with_a_warning() -> None:
    # An unescaped ampersand makes the XML ill-formed; the entries are still there.
    feed = rss(
        [
            Item(title="One", link="https://wire.test/1"),
            Item(title="Two", link="https://wire.test/2"),
        ]
    )
    broken = feed.replace("<title>Test Wire</title>", "<title>Test & Wire</title>")
    parsed = parse(broken)
    assert parsed.entries["title"].to_list() == ["One", "Two"]
    assert any("not well-formed" in w for w in parsed.warnings)


def test_truncated_feed_recovers_complete_items_or_fails_clearly() -> None:
    items = [Item(title=f"Story {i}", link=f"https://wire.test/{i}") for i in range(6)]
    feed = rss(items)
    cut = feed[: feed.index("Story 4")]
    parsed = parse(cut)
    titles = parsed.entries["title"].to_list()
    assert titles[:4] == ["Story 0", "Story 1", "Story 2", "Story 3"]
    assert parsed.warnings
    # Cut before any item: nothing to recover, a clear error.
    with pytest.raises(FeedError, match="wire:"):
        parse(feed[: feed.index("<item>") + 3])


def test_unsafe_link_schemes_are_dropped() -> None:
    feed = rss(
        [Item(title="Bad", link="javascript:alert(1)"), Item(title="Data", link="data:text/html,x")]
    )
    entries = parse(feed).entries
    assert entries["link"].to_list() == [None, None]


def test_empty_valid_feed_has_no_entries_and_a_warning() -> None:
    parsed = parse(rss([]))
    assert parsed.entries.height == 0
    assert parsed.entries.schema == ENTRIES_SCHEMA
    assert parsed.warnings == ["the feed has no entries"]


def test_entity_declaration_after_the_root_is_refused_too() -> None:
    sneaky = rss([Item("x", "https://wire.test/x")]).replace(
        "<channel>", '<channel><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    )
    with pytest.raises(FeedError, match="entities"):
        parse(sneaky)


def test_articles_about_xml_are_not_refused() -> None:
    # The words "<!ENTITY" inside escaped article text are just text.
    item = Item("XML security", "https://wire.test/xml", description="Never expand <!ENTITY> refs.")
    assert parse(rss([item])).entries["summary"].to_list() == ["Never expand <!ENTITY> refs."]
