"""Every real feed capture in ../shared/fixtures/feeds parses into entries or a FeedError."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines.ingest.feeds import FeedError, html_to_text, parse_feed
from pipelines.ingest.schema import ENTRIES_SCHEMA

from .conftest import SHARED_DIR

FEEDS_DIR = SHARED_DIR / "fixtures" / "feeds"
FEED_SUFFIXES = (".xml", ".rss", ".atom")
FETCHED = datetime(2026, 3, 10, tzinfo=UTC)

# Item counts per file, from the folder's PROVENANCE.md table. The malformed and oddly
# encoded captures are included: their entries must come out too.
EXPECTED_ITEMS = {
    "chrome-extension_bbc.xml": 38,
    "chrome-extension_cnn.xml": 29,
    "chrome-extension_elconfidencial.xml": 15,
    "chrome-extension_elmundo.xml": 30,
    "chrome-extension_elpais.MALFORMED-control-char.xml": 81,
    "chrome-extension_huffpost.xml": 31,
    "chrome-extension_libertaddigital.xml": 138,
    "chrome-extension_nytimes-science.xml": 20,
    "chrome-extension_nytimes.xml": 61,
    "chrome-extension_theguardian.xml": 95,
    "feedjira_AmazonWebServicesBlog.xml": 10,
    "feedjira_AtomFeedWithSpacesAroundEquals.xml": 1,
    "feedjira_CRE.xml": 30,
    "feedjira_FeedBurnerXHTML.xml": 10,
    "feedjira_HuffPostCanada.xml": 2,
    "feedjira_RSSWithComments.xml": 30,
    "feedjira_SamRuby.xml": 20,
    "feedjira_TechCrunch.xml": 20,
    "feedjira_TenderLovemaking.xml": 10,
    "feedjira_TypePadNews.xml": 10,
    "feedjira_google_alerts_atom.xml": 20,
    "feedjira_youtube_atom.xml": 15,
    "node-feedparser_iconv.xml": 10,
    "node-feedparser_intertwingly.atom": 20,
    "node-feedparser_rss2sample.xml": 4,
    "node-feedparser_tpm.atom": 20,
    "node-feedparser_wapowellness.xml": 29,
    "react-tests-workshop_bbc-world-2019-02-24.xml": 33,
    "rss-parser_craigslist.rss": 25,
    "rss-parser_feedburner.atom": 25,
    "rss-parser_guardian.rss": 55,
    "rss-parser_heise.atom": 15,
    "rss-parser_reddit-atom.rss": 24,
    "rss-parser_reddit.rss": 24,
    "rss-parser_uolNoticias.rss": 15,
}


ABSENT = f"{FEEDS_DIR} is absent (third-party fixtures live beside the project)"


def feed_files() -> list[object]:
    if not FEEDS_DIR.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=ABSENT), id="absent")]
    return sorted(p for p in FEEDS_DIR.iterdir() if p.suffix in FEED_SUFFIXES)


def parse(path: Path):
    return parse_feed(
        path.read_bytes(), source="fixture", fetched_at=FETCHED, base_url=None, content_type=None
    )


@pytest.fixture(scope="module", autouse=True)
def _need_fixtures() -> None:
    if not FEEDS_DIR.is_dir():
        pytest.skip(ABSENT)


@pytest.mark.parametrize("path", feed_files(), ids=lambda p: getattr(p, "name", "absent"))
def test_every_capture_yields_entries_or_a_feed_error(path: Path) -> None:
    try:
        parsed = parse(path)
    except FeedError as exc:
        assert "fixture:" in str(exc)
        assert path.name not in EXPECTED_ITEMS, f"{path.name} should parse: {exc}"
        return
    entries = parsed.entries
    assert entries.schema == ENTRIES_SCHEMA
    if path.name in EXPECTED_ITEMS:
        assert entries.height == EXPECTED_ITEMS[path.name]
    assert entries["entry_id"].null_count() == 0
    assert entries["entry_id"].n_unique() >= entries.height * 0.9
    assert entries["published_at"].null_count() == 0
    # Plain text only: no markup survives in titles.
    assert not entries["title"].drop_nulls().str.contains(r"<[a-zA-Z/][^>]*>").any()


def test_all_listed_captures_are_present() -> None:
    names = {p.name for p in feed_files() if isinstance(p, Path)}
    assert set(EXPECTED_ITEMS) <= names


def _expected_items(name: str) -> list[dict]:
    document = json.loads((FEEDS_DIR / name).read_text(encoding="utf-8"))
    return document["feed"]["items"]


@pytest.mark.parametrize(
    ("feed_name", "expected_name"),
    [
        # Each pair: a capture and the items another parser's test suite expects from it.
        ("rss-parser_guardian.rss", "rss-parser_guardian.expected.json"),
        ("rss-parser_heise.atom", "rss-parser_heise.expected.json"),
        ("rss-parser_reddit.rss", "rss-parser_reddit.expected.json"),
        ("rss-parser_craigslist.rss", "rss-parser_craigslist.expected.json"),
        ("rss-parser_feedburner.atom", "rss-parser_feedburner.expected.json"),
    ],
)
def test_links_and_titles_match_expected_output(feed_name: str, expected_name: str) -> None:
    entries = parse(FEEDS_DIR / feed_name).entries
    expected = _expected_items(expected_name)
    assert entries.height == len(expected)
    assert entries["link"].to_list() == [item.get("link") for item in expected]
    # The other parser leaves entities and markup in titles; compare as plain text.
    titles = [html_to_text(item.get("title")) for item in expected]
    matching = sum(a == b for a, b in zip(entries["title"].to_list(), titles, strict=True))
    assert matching >= 0.9 * len(expected)


def test_undeclared_latin1_capture_decodes_accents() -> None:
    titles = parse(FEEDS_DIR / "rss-parser_uolNoticias.rss").entries["title"].to_list()
    text = " ".join(titles)
    assert "ç" in text or "ã" in text
    assert "\ufffd" not in text and "Ã" not in text


def test_windows_1251_capture_decodes_cyrillic() -> None:
    titles = parse(FEEDS_DIR / "node-feedparser_iconv.xml").entries["title"].to_list()
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in t) for t in titles)


def test_control_character_capture_warns() -> None:
    parsed = parse(FEEDS_DIR / "chrome-extension_elpais.MALFORMED-control-char.xml")
    assert any("XML does not allow" in w for w in parsed.warnings)
