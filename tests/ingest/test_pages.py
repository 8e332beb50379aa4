"""Page text: quality on real pages with expected text, and the once-per-version cache."""

from __future__ import annotations

import gzip
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.ingest import pages
from pipelines.ingest.feeds import html_to_text
from pipelines.ingest.pages import (
    PAGE_TEXT_ENGINE_VERSION,
    PageTextCache,
    PageTextError,
    cached_page_text,
    engine_version,
    page_text,
)
from pipelines.settings import Settings

from .conftest import SHARED_DIR
from .helpers import PARAGRAPHS, article_html

NEWS_HTML = SHARED_DIR / "fixtures" / "news_html"

# Mean token F1 measured over the 58 pages: trafilatura 0.961, trafilatura-fast 0.944.
# The floors sit a little under, to catch regressions (an option or version change).
F1_FLOOR = {"trafilatura": 0.95, "trafilatura-fast": 0.93}


def tokens(text: str | None) -> Counter[str]:
    return Counter(re.findall(r"\w+", (text or "").lower()))


def token_f1(predicted: str | None, expected: str | None) -> float:
    got, want = tokens(predicted), tokens(expected)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def suite_cases() -> Iterator[tuple[str, Path, str | None, str]]:
    """(name, gzipped html, url, expected text) for the three suites' layouts."""
    aeb = NEWS_HTML / "aeb"
    truth = json.loads((aeb / "ground-truth.subset.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        yield f"aeb/{key}", aeb / f"{key}.html.gz", item.get("url"), item["articleBody"]
    for folder in sorted((NEWS_HTML / "readability").iterdir()):
        expected = html_to_text((folder / "expected.html").read_text(encoding="utf-8"))
        yield f"readability/{folder.name}", folder / "source.html.gz", None, expected or ""
    newspaper = NEWS_HTML / "newspaper"
    for page in sorted(newspaper.glob("*.html.gz")):
        stem = page.name.removesuffix(".html.gz")
        expected = (newspaper / f"{stem}.expected.txt").read_text(encoding="utf-8")
        yield f"newspaper/{stem}", page, None, expected


@pytest.fixture(scope="module")
def cases() -> list[tuple[str, bytes, str | None, str]]:
    if not NEWS_HTML.is_dir():
        pytest.skip(f"{NEWS_HTML} is absent (third-party fixtures live beside the project)")
    return [(n, gzip.decompress(p.read_bytes()), u, e) for n, p, u, e in suite_cases()]


@pytest.mark.parametrize("engine", ["trafilatura", "trafilatura-fast"])
def test_page_text_f1_stays_above_floor(
    cases: list[tuple[str, bytes, str | None, str]], engine: str
) -> None:
    scores = {
        name: token_f1(page_text(html, url=url, engine=engine), expected)
        for name, html, url, expected in cases
    }
    mean = statistics.mean(scores.values())
    worst = sorted(scores.items(), key=lambda kv: kv[1])[:3]
    print(f"\n{engine}: mean token F1 {mean:.4f} over {len(scores)} pages; worst {worst}")
    assert len(scores) >= 50
    assert mean >= F1_FLOOR[engine]


def test_page_text_keeps_paragraphs_and_drops_chrome() -> None:
    html = article_html("Base attacked", PARAGRAPHS).encode("utf-8")
    text = page_text(html, url="https://wire.test/a", engine="trafilatura")
    assert text is not None
    assert "\n\n".join(PARAGRAPHS) in text
    assert "Privacy" not in text and "Sport" not in text


@pytest.mark.parametrize(
    "html",
    [
        b"",
        b"   ",
        b"<html><body></body></html>",
        b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_no_main_text_is_none(html: bytes) -> None:
    assert page_text(html, url=None, engine="trafilatura") is None


def test_unknown_engine_says_what_to_set() -> None:
    with pytest.raises(PageTextError, match="PIPELINES_PAGE_TEXT_ENGINE"):
        page_text(b"<p>x</p>", url=None, engine="readability")


def test_engine_version_names_engine_and_library() -> None:
    assert engine_version("trafilatura") == PAGE_TEXT_ENGINE_VERSION
    assert re.fullmatch(r"trafilatura-\d+\.\d+.*-r\d+", PAGE_TEXT_ENGINE_VERSION)
    assert engine_version("trafilatura-fast").startswith("trafilatura-fast-")


def test_text_is_extracted_once_per_page_version(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = PageTextCache(settings.landed_dir / "texts")
    html = article_html("Base attacked", PARAGRAPHS).encode("utf-8")
    calls: list[str] = []
    real = pages.page_text

    def counting(data: bytes, *, url: str | None, engine: str) -> str | None:
        calls.append(engine)
        return real(data, url=url, engine=engine)

    monkeypatch.setattr(pages, "page_text", counting)
    loads: list[int] = []

    def load() -> bytes:
        loads.append(1)
        return html

    first, version = cached_page_text(cache, "ab" * 32, load, url=None, engine="trafilatura")
    second, _ = cached_page_text(cache, "ab" * 32, load, url=None, engine="trafilatura")
    assert first == second and first is not None
    assert calls == ["trafilatura"] and len(loads) == 1  # the hit read no payload
    stored = settings.raw_dir / "landed" / "texts" / version / "ab" / f"{'ab' * 32}.txt.gz"
    assert gzip.decompress(stored.read_bytes()).decode("utf-8") == first
    # Another engine version is another cache entry.
    cached_page_text(cache, "ab" * 32, load, url=None, engine="trafilatura-fast")
    assert calls == ["trafilatura", "trafilatura-fast"]
    # A new options revision invalidates the cache.
    monkeypatch.setattr(pages, "OPTIONS_REVISION", pages.OPTIONS_REVISION + 1)
    cached_page_text(cache, "ab" * 32, load, url=None, engine="trafilatura")
    assert calls[-1] == "trafilatura" and len(calls) == 3


def test_no_text_result_is_cached_too(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = PageTextCache(settings.landed_dir / "texts")
    calls: list[int] = []
    monkeypatch.setattr(pages, "page_text", lambda *a, **k: calls.append(1))
    for _ in range(2):
        text, _ = cached_page_text(cache, "cd" * 32, lambda: b"", url=None, engine="trafilatura")
        assert text is None
    assert calls == [1]
