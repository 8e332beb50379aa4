"""Feed parsing: stored RSS / Atom bytes in, one normalised Polars frame of entries out.

The bytes are made safe and regular before feedparser sees them: decoded with an explicit
encoding decision, stripped of characters XML forbids, and refused outright when they
declare entities (entity expansion is how a few hundred bytes become gigabytes) or are an
HTML page rather than a feed.
"""

from __future__ import annotations

import calendar
import codecs
import email.utils
import hashlib
import html
import io
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import polars as pl

from pipelines.ingest.schema import ENTRIES_SCHEMA
from pipelines.ingest.urls import canonical_url

INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
ROOT_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
INTERNAL_SUBSET = re.compile(r"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)
XML_DECL = re.compile(r"^<\?xml[^>]*\?>", re.IGNORECASE)
XML_DECL_ENCODING = re.compile(
    rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.IGNORECASE
)
CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", re.IGNORECASE)
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Web content labelled Latin-1 is in practice Windows-1252 (curly quotes, dashes): browsers
# decode it so, and decoding it as Latin-1 would turn those into control characters.
ENCODING_ALIASES = {"iso-8859-1": "windows-1252", "latin-1": "windows-1252", "ascii": "utf-8"}
# Links kept as article identities; others (javascript:, data:) are dropped at parse time.
# Collection decides separately which of these may be fetched.
FEED_LINK_SCHEMES = ("http", "https", "ftp", "file", "")
FEED_ROOTS = ("rss", "feed", "rdf", "channel")
EARLIEST_PLAUSIBLE = datetime(1970, 1, 2, tzinfo=UTC)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MICROSECOND = timedelta(microseconds=1)
# Tags after which text starts a new paragraph.
BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt"),
        *("fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table"),
        *("tbody", "thead", "tfoot", "tr", "ul"),
    }
)
SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "iframe", "svg", "object"})


class FeedError(ValueError):
    """Nothing usable came out of a feed payload; the message names the source and what to do."""


@dataclass
class ParsedFeed:
    """Entries of one feed payload (``ENTRIES_SCHEMA``) and what was odd about it."""

    entries: pl.DataFrame
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
    version: str | None = None


# -- plain text ------------------------------------------------------------------------------


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIP_TAGS:
            self._skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            # Source newlines are layout, not structure: only tags make paragraphs.
            self.parts.append(re.sub(r"\s+", " ", data))


def normalise_whitespace(text: str | None) -> str | None:
    """Collapse spaces inside paragraphs, keep paragraphs apart by one blank line; "" -> None."""
    if text is None:
        return None
    paragraphs = re.split(r"\n[ \t\r\f\v\u00a0]*\n", text.replace("\r\n", "\n"))
    cleaned = [re.sub(r"\s+", " ", p).strip() for p in paragraphs]
    joined = "\n\n".join(p for p in cleaned if p)
    return joined or None


def html_to_text(value: str | None) -> str | None:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blocks as paragraphs."""
    if value is None:
        return None
    if "<" not in value and "&" not in value:
        return normalise_whitespace(value)
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    text = "".join(collector.parts)
    # Two line breaks in a row (<br><br>) are how many feeds separate paragraphs.
    text = re.sub(r" *\n *\n *", "\n\n", text)
    text = re.sub(r" *\n *", " ", text.replace("\n\n", "\x00")).replace("\x00", "\n\n")
    return normalise_whitespace(text)


def detail_to_text(value: str | None, content_type: str | None) -> str | None:
    """Plain text of a feed text construct, honouring its declared type."""
    if value is None:
        return None
    if (content_type or "").lower() == "text/plain":
        return normalise_whitespace(html.unescape(value))
    return html_to_text(value)


# -- times -----------------------------------------------------------------------------------


def parse_time(raw: str | None, parsed: time.struct_time | None = None) -> datetime | None:
    """A feed date as an aware UTC datetime; naive times are taken as UTC; junk -> None.

    Tries RFC 822 (RSS) and ISO 8601 (Atom) on the raw string first, which keeps the offset
    exactly, then feedparser's own parse (it knows many odd formats, already in UTC).
    """
    value: datetime | None = None
    if raw and raw.strip():
        value = _parse_time_text(raw.strip())
    if value is None and parsed is not None:
        try:
            value = datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
        except (OverflowError, ValueError, TypeError):
            value = None
    if value is None or value < EARLIEST_PLAUSIBLE:
        return None
    return value


def _parse_time_text(raw: str) -> datetime | None:
    try:
        value = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        try:
            value = datetime.fromisoformat(raw)
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


# -- bytes to safe text ----------------------------------------------------------------------


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return ENCODING_ALIASES.get(canonical, canonical)


def _http_charset(content_type: str | None) -> str | None:
    match = CHARSET_PARAM.search(content_type or "")
    return match.group(1) if match else None


def decode_payload(payload: bytes, content_type: str | None = None) -> tuple[str, str, list[str]]:
    """Decode feed bytes: BOM, then the XML declaration, then the HTTP charset, then UTF-8,
    then Windows-1252. Returns (text, encoding used, warnings)."""
    warnings: list[str] = []
    for bom, name in BOMS:
        if payload.startswith(bom):
            return payload[len(bom) :].decode(name, errors="replace"), name, warnings
    declared_raw = XML_DECL_ENCODING.match(payload[:1024])
    declared = declared_raw.group(1).decode("ascii") if declared_raw else None
    candidates = [_codec(declared), _codec(_http_charset(content_type)), "utf-8", "windows-1252"]
    if declared and _codec(declared) is None:
        warnings.append(f"unknown declared encoding {declared!r}; guessed instead")
    for name in dict.fromkeys(c for c in candidates if c):
        try:
            text = payload.decode(name)
        except UnicodeDecodeError:
            continue
        if declared and _codec(declared) not in (None, name):
            warnings.append(f"bytes are not valid {declared}; decoded as {name}")
        return text, name, warnings
    warnings.append("no encoding fits the bytes; decoded as Latin-1")
    return payload.decode("latin-1"), "latin-1", warnings


@dataclass(frozen=True)
class _Prolog:
    doctype: str | None
    has_internal_subset: bool
    root: str | None


def _read_prolog(text: str) -> _Prolog:
    """Find the DOCTYPE and the root element without an XML parser (which could expand)."""
    pos, doctype, subset = 0, None, False
    length = len(text)
    while pos < length:
        while pos < length and text[pos].isspace():
            pos += 1
        if text.startswith("<?", pos):
            end = text.find("?>", pos)
            pos = length if end < 0 else end + 2
        elif text.startswith("<!--", pos):
            end = text.find("-->", pos)
            pos = length if end < 0 else end + 3
        elif text[pos : pos + 9].upper() == "<!DOCTYPE":
            gt, bracket = text.find(">", pos), text.find("[", pos)
            subset = subset or (bracket >= 0 and (gt < 0 or bracket < gt))
            doctype = text[pos : (gt if gt >= 0 else pos + 200)][:200]
            if subset:
                return _Prolog(doctype, True, None)
            pos = length if gt < 0 else gt + 1
        elif text.startswith("<!", pos):
            return _Prolog(doctype, True, None)  # an ENTITY or other declaration outside DTD
        elif text.startswith("<", pos):
            match = ROOT_TAG.match(text, pos)
            return _Prolog(doctype, subset, match.group(1) if match else None)
        else:
            return _Prolog(doctype, subset, None)
    return _Prolog(doctype, subset, None)


def _refuse_unsafe(text: str, source: str, where: str) -> None:
    prolog = _read_prolog(text)
    # An internal subset is where entities are declared; one after the root element is
    # invalid anyway, but a lenient parser must not get the chance to honour it.
    if prolog.has_internal_subset or INTERNAL_SUBSET.search(text):
        raise FeedError(
            f"{source}: {where} declares a DTD with entities; refused without parsing "
            "(entity expansion can exhaust memory). Ask the publisher for a plain RSS/Atom "
            "feed or disable the source"
        )
    root = (prolog.root or "").lower()
    if root == "html" or (prolog.doctype or "").lower().startswith("<!doctype html"):
        raise FeedError(
            f"{source}: {where} is an HTML page, not a feed. Point the source's url at the "
            'site\'s RSS or Atom feed (look for a link rel="alternate" in the page)'
        )


def prepare_payload(
    payload: bytes, *, source: str, where: str, content_type: str | None
) -> tuple[bytes, list[str]]:
    """Turn raw feed bytes into clean UTF-8 XML for feedparser, or raise :class:`FeedError`."""
    if not payload.strip():
        raise FeedError(f"{source}: {where} is empty. Check the feed URL or try again later")
    text, _, warnings = decode_payload(payload, content_type)
    text = text.lstrip("\ufeff \t\r\n")
    _refuse_unsafe(text, source, where)
    stripped, count = INVALID_XML_CHARS.subn("", text)
    if count:
        warnings.append(f"removed {count} character(s) that XML does not allow")
    body = XML_DECL.sub("", stripped, count=1).lstrip()
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8"), warnings


# -- entries ---------------------------------------------------------------------------------


def _detail(entry: Any, key: str) -> tuple[str | None, str | None]:
    # dict.get: feedparser's own get maps legacy key names, which these keys never need,
    # and costs several times as much on every entry.
    value = dict.get(entry, key)
    detail = dict.get(entry, f"{key}_detail") or {}
    return (value if isinstance(value, str) else None), detail.get("type")


def _content(entry: Any) -> tuple[str | None, str | None]:
    items = [c for c in dict.get(entry, "content") or [] if isinstance(c.get("value"), str)]
    if not items:
        return None, None
    # Prefer markup over plain text: it carries the paragraph structure.
    items.sort(key=lambda c: 0 if "html" in (c.get("type") or "") else 1)
    return items[0]["value"], items[0].get("type")


def _entry_language(entry: Any) -> str | None:
    for key in ("title_detail", "summary_detail"):
        language = (dict.get(entry, key) or {}).get("language")
        if language:
            return language
    for item in dict.get(entry, "content") or []:
        if item.get("language"):
            return item["language"]
    return None


def _resolve_link(link: str | None, base_url: str | None) -> str | None:
    if not link or not link.strip():
        return None
    link = link.strip()
    if base_url:
        link = urljoin(base_url, link)
    return link if urlsplit(link).scheme.lower() in FEED_LINK_SCHEMES else None


def _own(entry: Any, key: str) -> Any:
    # FeedParserDict.get("updated") answers with "published" when there is no updated
    # (a deprecated compatibility mapping); read the stored value only.
    return dict.get(entry, key)


def _micros(value: datetime | None) -> int | None:
    """An aware datetime as microseconds since the epoch (how Polars stores it)."""
    return None if value is None else (value - EPOCH) // ONE_MICROSECOND


def _raw_entry(entry: Any, position: int, base_url: str | None) -> dict[str, Any]:
    title, title_type = _detail(entry, "title")
    summary, summary_type = _detail(entry, "summary")
    content, content_type = _content(entry)
    summary_text = detail_to_text(summary, summary_type)
    content_text = detail_to_text(content, content_type)
    # feedparser files a second description (e.g. a media:description photo caption) as
    # content; a "content" shorter than the summary is never the article's body.
    if content_text and summary_text and len(content_text) < len(summary_text):
        content_text = None
    title_text = detail_to_text(title, title_type)
    guid = dict.get(entry, "id") or None
    link = _resolve_link(dict.get(entry, "link"), base_url)
    published = parse_time(_own(entry, "published"), _own(entry, "published_parsed"))
    if guid is not None:
        entry_id = guid
    elif link is not None:
        entry_id = link
    else:
        entry_id = fallback_entry_id(title_text, published)
    return {
        "position": position,
        "guid": guid,
        "link": link,
        "title": title_text,
        "summary": summary_text,
        "content": content_text,
        "published_at": _micros(published),
        "updated_at": _micros(parse_time(_own(entry, "updated"), _own(entry, "updated_parsed"))),
        "entry_language": _entry_language(entry),
        "entry_id": entry_id,
        "url": canonical_url(link) if link is not None else None,
    }


def fallback_entry_id(title: str | None, published_at: datetime | None) -> str:
    """An id for entries with neither guid nor link: a hash of title and published time."""
    stamp = published_at.isoformat() if published_at else ""
    digest = hashlib.sha256(f"{title or ''}\n{stamp}".encode()).hexdigest()
    return f"sha256:{digest[:32]}"


# What one payload holds, whoever fetched it and whenever: the part of parsing worth caching.
# Times are microseconds since the epoch, UTC (JSON-friendly; cast to Datetime when framed).
PAYLOAD_COLUMNS: dict[str, type] = {
    "position": int,
    "guid": str,
    "link": str,
    "title": str,
    "summary": str,
    "content": str,
    "published_at": int,  # as the entry states it; no fallback yet
    "updated_at": int,
    "entry_language": str,
    "entry_id": str,  # guid, else link, else a hash of title + published time
    "url": str,  # canonical form of link
}
_PAYLOAD_DTYPES = {
    name: (pl.Int32 if name == "position" else pl.Int64 if kind is int else pl.String)
    for name, kind in PAYLOAD_COLUMNS.items()
}


@dataclass
class PayloadEntries:
    """The usable entries of one feed payload, column by column (``PAYLOAD_COLUMNS``), and
    what was odd about the payload. Independent of the source and the fetch time."""

    columns: dict[str, list[Any]]
    warnings: list[str] = field(default_factory=list)
    title: str | None = None
    version: str | None = None
    language: str | None = None

    def __len__(self) -> int:
        return len(self.columns["position"])


@dataclass(frozen=True)
class FeedContext:
    """Who fetched a payload when: what turns payload entries into ``ENTRIES_SCHEMA`` rows."""

    source: str
    fetched_at: datetime
    default_language: str | None = None


def _language_expr() -> pl.Expr:
    tag = pl.coalesce(
        pl.col("entry_language"), pl.col("_feed_language"), pl.col("_default_language")
    )
    return tag.str.strip_chars().str.to_lowercase().str.extract(r"^([a-z]{2,3})(?:[-_]|$)", 1)


def entries_frame(
    feeds: list[tuple[PayloadEntries, FeedContext]], *, feed_index: str | None = None
) -> pl.DataFrame:
    """One ``ENTRIES_SCHEMA`` frame for many payloads, in order (columnar from here on).

    With ``feed_index``, a column of that name (Int32) gives each row's place in ``feeds``.
    """
    columns: dict[str, list[Any]] = {name: [] for name in PAYLOAD_COLUMNS}
    per_feed: dict[str, list[Any]] = {
        "source": [],
        "fetched_at": [],
        "_feed_language": [],
        "_default_language": [],
        "_feed": [],
    }
    for number, (payload, context) in enumerate(feeds):
        for name, values in columns.items():
            values.extend(payload.columns[name])
        count = len(payload)
        fetched = _micros(context.fetched_at.astimezone(UTC))
        for name, value in (
            ("source", context.source),
            ("fetched_at", fetched),
            ("_feed_language", payload.language),
            ("_default_language", context.default_language),
            ("_feed", number),
        ):
            per_feed[name].extend([value] * count)
    stamp = pl.Datetime("us", "UTC")
    frame = pl.DataFrame(
        {**columns, **per_feed},
        schema={
            **_PAYLOAD_DTYPES,
            "source": pl.String,
            "fetched_at": pl.Int64,
            "_feed_language": pl.String,
            "_default_language": pl.String,
            "_feed": pl.Int32,
        },
    ).with_columns(pl.col("published_at", "updated_at", "fetched_at").cast(stamp))
    time_known = pl.col("published_at").is_not_null() | pl.col("updated_at").is_not_null()
    frame = frame.with_columns(
        pl.coalesce("published_at", "updated_at", "fetched_at").alias("published_at"),
        (~time_known).alias("is_published_at_fallback"),
        _language_expr().alias("language"),
    )
    names = ENTRIES_SCHEMA.names() + ([feed_index] if feed_index else [])
    frame = frame.rename({"_feed": feed_index}) if feed_index else frame
    return frame.select(names).cast(dict(ENTRIES_SCHEMA))


def _feed_language(result: Any) -> str | None:
    feed = result.get("feed") or {}
    return feed.get("language") or (feed.get("title_detail") or {}).get("language") or None


def parse_payload(
    payload: bytes, *, source: str, base_url: str | None, content_type: str | None
) -> PayloadEntries:
    """Parse one stored feed payload into its usable entries, or raise :class:`FeedError`.

    ``base_url`` resolves relative links (the feed's final URL, or its path for local
    feeds); ``source`` only names the feed in errors. The result depends on nothing else,
    so it can be kept per (payload, base URL, content type, :func:`parser_version`).
    """
    where = f"feed {base_url or '(no URL)'}"
    data, warnings = prepare_payload(payload, source=source, where=where, content_type=content_type)
    # A stream, never bytes or str: feedparser treats a short string as a file name or URL.
    result = feedparser.parse(
        io.BytesIO(data),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    _check_result(result, source, where, warnings, _looks_like_feed(data))
    raw = [_raw_entry(entry, i, base_url) for i, entry in enumerate(result.entries)]
    usable = [r for r in raw if r["link"] or r["title"] or r["summary"] or r["content"]]
    if len(usable) < len(raw):
        warnings.append(f"dropped {len(raw) - len(usable)} entries with no link, title or text")
    feed = result.get("feed") or {}
    return PayloadEntries(
        columns={name: [r[name] for r in usable] for name in PAYLOAD_COLUMNS},
        warnings=warnings,
        title=feed.get("title"),
        version=result.get("version") or None,
        language=_feed_language(result),
    )


def feed_from_payload(payload: PayloadEntries, context: FeedContext) -> ParsedFeed:
    """The :class:`ParsedFeed` of parsed payload entries as fetched by ``context``."""
    return ParsedFeed(
        entries_frame([(payload, context)]),
        list(payload.warnings),
        payload.title,
        payload.version,
    )


def parse_feed(
    payload: bytes,
    *,
    source: str,
    fetched_at: datetime,
    base_url: str | None,
    content_type: str | None,
    default_language: str | None = None,
) -> ParsedFeed:
    """Parse one stored feed payload into entries, or raise :class:`FeedError` saying why not.

    ``base_url`` resolves relative links (the feed's final URL, or its path for local feeds);
    ``default_language`` is used when neither entry nor feed declares one.
    """
    parsed = parse_payload(payload, source=source, base_url=base_url, content_type=content_type)
    return feed_from_payload(parsed, FeedContext(source, fetched_at, default_language))


def _looks_like_feed(data: bytes) -> bool:
    root = _read_prolog(data[:4096].decode("utf-8", errors="ignore")).root or ""
    return root.split(":")[-1].lower() in FEED_ROOTS


def _check_result(
    result: Any, source: str, where: str, warnings: list[str], feed_root: bool
) -> None:
    bozo = result.get("bozo_exception") if result.get("bozo") else None
    if result.entries:
        if bozo is not None:
            warnings.append(
                f"not well-formed XML ({bozo.__class__.__name__}: {bozo}); "
                f"kept {len(result.entries)} entries recovered by the lenient parser"
            )
        return
    if not result.get("version") and not (feed_root and bozo is not None):
        raise FeedError(
            f"{source}: {where} is not an RSS or Atom feed"
            + (f" ({bozo.__class__.__name__}: {bozo})" if bozo is not None else "")
            + ". Check that the source's url points at the feed itself"
        )
    if bozo is not None:
        raise FeedError(
            f"{source}: {where} is broken XML with no recoverable entries "
            f"({bozo.__class__.__name__}: {bozo}). Usually truncated or a server error page; "
            "it is retried on the next run, tell the publisher if it persists"
        )
    warnings.append("the feed has no entries")
