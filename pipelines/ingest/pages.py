"""Main text of article pages (HTML -> plain text) with trafilatura, cached per page version.

Extraction is the costliest step per article, so it runs once per (payload, engine
version): the result is kept gzipped under ``<raw_dir>/landed/texts/<engine-version>/`` and
reused by every replay until the engine or its options change.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import trafilatura

from pipelines.ingest.rawstore import gzip_bytes, write_atomic

ENGINES = ("trafilatura", "trafilatura-fast")
# Bump when the options or the post-processing below change: it invalidates cached texts.
OPTIONS_REVISION = 1
# Fewer words than this is a menu or a cookie notice that the extractor fell back to, not
# an article's main text.
MIN_WORDS = 5
PAGE_TEXT_ENGINE_VERSION = f"trafilatura-{trafilatura.__version__}-r{OPTIONS_REVISION}"


class PageTextError(ValueError):
    """An unknown engine name; the message lists the known ones."""


def engine_version(engine: str) -> str:
    """The cache key of an engine: its name, trafilatura's version and our options revision."""
    if engine not in ENGINES:
        raise PageTextError(
            f"unknown page text engine {engine!r}; set PIPELINES_PAGE_TEXT_ENGINE to one of "
            f"{', '.join(ENGINES)}"
        )
    return f"{engine}-{trafilatura.__version__}-r{OPTIONS_REVISION}"


def page_text(html: bytes, *, url: str | None, engine: str) -> str | None:
    """The page's main text, paragraphs separated by blank lines; None when there is none."""
    engine_version(engine)  # validates the name before any work
    if not html.strip():
        return None
    text = trafilatura.extract(
        html,
        url=url,
        output_format="txt",
        fast=engine == "trafilatura-fast",
        include_comments=False,
        include_tables=False,
        include_links=False,
        include_images=False,
        deduplicate=False,
    )
    if not text:
        return None
    # trafilatura writes one block (paragraph, heading, list item) per line.
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    joined = "\n\n".join(p for p in paragraphs if p)
    return joined if len(joined.split()) >= MIN_WORDS else None


class PageTextCache:
    """Extracted texts keyed by (payload SHA-256, engine version), gzipped on disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str, version: str) -> Path:
        """Where the text of payload ``sha`` by engine ``version`` is kept."""
        return self.root / version / sha[:2] / f"{sha}.txt.gz"

    def get(self, sha: str, version: str) -> tuple[bool, str | None]:
        """(found, text); an empty stored file means "the engine found no main text"."""
        path = self.path(sha, version)
        try:
            text = gzip.decompress(path.read_bytes()).decode("utf-8")
        except FileNotFoundError:
            return False, None
        except (OSError, EOFError, UnicodeDecodeError):
            return False, None  # damaged: recompute and overwrite
        return True, text or None

    def put(self, sha: str, version: str, text: str | None) -> None:
        """Store the text (or "no text") atomically."""
        write_atomic(self.path(sha, version), gzip_bytes((text or "").encode("utf-8")))


def cached_page_text(
    cache: PageTextCache,
    sha: str,
    load_html: Callable[[], bytes],
    *,
    url: str | None,
    engine: str,
) -> tuple[str | None, str]:
    """Page text from the cache, computing and storing it on a miss. Returns (text, version).

    ``load_html`` is called only on a miss, so replays with a warm cache read no payloads.
    """
    version = engine_version(engine)
    found, text = cache.get(sha, version)
    if not found:
        text = page_text(load_html(), url=url, engine=engine)
        cache.put(sha, version, text)
    return text, version
