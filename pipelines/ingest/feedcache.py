"""Parsed feed entries, cached per feed payload version and parser version.

Parsing a feed (feedparser, then text and time normalisation per entry) is most of what a
replay costs once page texts come from their cache, and its result depends only on the
payload's bytes, the URL its links resolve against, its declared content type and the
parser. So it runs once per (payload SHA-256, base URL, content type, parser version): the
entries are kept as gzipped JSON under ``<raw_dir>/landed/feeds/<parser version>/`` and
every later replay of that payload reads them instead of parsing. A new parser version
(feedparser upgraded, ``feeds.py`` or ``urls.py`` edited, ``PARSER_REVISION`` bumped) is a
new folder, so its first replay parses everything again; old folders can be deleted.

Entries are written atomically and carry their own key; one that does not decompress, does
not decode, names another key or has columns of the wrong shape is ignored and re-parsed.
Payloads that do not parse are not cached: the error is raised again from the payload.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import feedparser

from pipelines.ingest import feeds, urls
from pipelines.ingest.feeds import PAYLOAD_COLUMNS, PayloadEntries, parse_payload
from pipelines.ingest.rawstore import gzip_bytes, write_atomic

log = logging.getLogger("pipelines.ingest")

# Bump when parsing changes in a way the fingerprint below cannot see (a dependency other
# than feedparser, the Python version's date or URL handling): it invalidates the cache.
PARSER_REVISION = 1
FORMAT = 1
_OPTIONAL = type(None)
_REQUIRED = frozenset({"position", "entry_id"})


@functools.cache
def parser_version() -> str:
    """The cache key of the feed parser: feedparser's version, our revision, and a digest of
    the modules whose code decides the entries (so an edit never reuses stale entries)."""
    digest = hashlib.sha256()
    for module in (feeds, urls):
        digest.update(Path(module.__file__).read_bytes())
    return f"feedparser-{feedparser.__version__}-r{PARSER_REVISION}-{digest.hexdigest()[:12]}"


def context_key(base_url: str | None, content_type: str | None) -> str:
    """16 hex of what, besides the bytes, decides how a payload parses."""
    text = json.dumps([base_url, content_type], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class FeedEntriesCache:
    """Parsed entries keyed by (payload SHA-256, base URL, content type, parser version)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha: str, version: str, base_url: str | None, content_type: str | None) -> Path:
        """Where the entries of payload ``sha`` parsed by ``version`` are kept."""
        name = f"{sha}.{context_key(base_url, content_type)}.json.gz"
        return self.root / version / sha[:2] / name

    def get(
        self, sha: str, version: str, base_url: str | None, content_type: str | None
    ) -> PayloadEntries | None:
        """The stored entries, or None when missing or not trustworthy (then re-parse)."""
        path = self.path(sha, version, base_url, content_type)
        try:
            document = json.loads(gzip.decompress(path.read_bytes()))
        except FileNotFoundError:
            return None
        except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
            log.warning("%s: damaged parsed-feed cache entry (%s); parsing again", path, exc)
            return None
        key = _key(sha, version, base_url, content_type)
        entries = _entries(document, key)
        if entries is None:
            log.warning("%s: parsed-feed cache entry does not fit its key; parsing again", path)
        return entries

    def put(
        self,
        sha: str,
        version: str,
        base_url: str | None,
        content_type: str | None,
        entries: PayloadEntries,
    ) -> None:
        """Store the entries atomically (readers see the old file or the whole new one)."""
        path = self.path(sha, version, base_url, content_type)
        write_atomic(path, encode(sha, version, base_url, content_type, entries))


def encode(
    sha: str, version: str, base_url: str | None, content_type: str | None, entries: PayloadEntries
) -> bytes:
    """The stored form of one payload's entries: gzipped JSON that carries its own key."""
    document = {
        "key": _key(sha, version, base_url, content_type),
        "warnings": entries.warnings,
        "title": entries.title,
        "version": entries.version,
        "language": entries.language,
        "columns": entries.columns,
    }
    # ASCII escapes keep any lone surrogate a feed smuggled in encodable, and round-trip.
    return gzip_bytes(json.dumps(document, separators=(",", ":")).encode("ascii"))


def _key(sha: str, version: str, base_url: str | None, content_type: str | None) -> dict:
    return {
        "format": FORMAT,
        "payload_sha256": sha,
        "parser_version": version,
        "base_url": base_url,
        "content_type": content_type,
    }


def _entries(document: Any, key: dict) -> PayloadEntries | None:
    """The document as entries when it has exactly the expected key and shape."""
    if not isinstance(document, dict) or document.get("key") != key:
        return None
    columns = document.get("columns")
    if not isinstance(columns, dict) or set(columns) != set(PAYLOAD_COLUMNS):
        return None
    lengths = {len(v) if isinstance(v, list) else -1 for v in columns.values()}
    if len(lengths) != 1 or -1 in lengths:
        return None
    for name, kind in PAYLOAD_COLUMNS.items():
        allowed = kind if name in _REQUIRED else kind | _OPTIONAL
        if not all(isinstance(v, allowed) and not isinstance(v, bool) for v in columns[name]):
            return None
    warnings = document.get("warnings")
    if not isinstance(warnings, list) or not all(isinstance(w, str) for w in warnings):
        return None
    meta = [document.get(name) for name in ("title", "version", "language")]
    if not all(isinstance(value, str | _OPTIONAL) for value in meta):
        return None
    return PayloadEntries({n: columns[n] for n in PAYLOAD_COLUMNS}, warnings, *meta)


def cached_payload_entries(
    cache: FeedEntriesCache,
    sha: str,
    load_payload: Callable[[], bytes],
    *,
    source: str,
    base_url: str | None,
    content_type: str | None,
) -> tuple[PayloadEntries, bool]:
    """Entries of payload ``sha`` from the cache, parsing and storing them on a miss.

    Returns (entries, True when they came from the cache). ``load_payload`` is called only
    on a miss; a payload that does not parse raises :class:`~pipelines.ingest.feeds.FeedError`
    and is not cached.
    """
    version = parser_version()
    found = cache.get(sha, version, base_url, content_type)
    if found is not None:
        return found, True
    entries = parse_payload(
        load_payload(), source=source, base_url=base_url, content_type=content_type
    )
    try:
        cache.put(sha, version, base_url, content_type, entries)
    except OSError as exc:
        # A read-only raw zone still replays; it only parses again next time.
        log.warning("%s: could not store parsed feed entries (%s)", cache.root, exc)
    return entries, False
