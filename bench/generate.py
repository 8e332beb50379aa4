"""Generate a synthetic raw zone: N article versions from many outlets over many days, stored as
the collector stores what it fetches (so ``replay_day`` rebuilds them without the network).

    uv run python -m bench.generate --articles 10000 --out .cache/bench/data-10000

Under ``<out>/raw/landed/`` it writes, per fetch day, every feed and page payload
(content-addressed, gzipped) and a ``fetches.jsonl`` fetch log with the same records the
collector writes: one feed fetch per outlet and day, one page fetch per new article version
(about 1% of them failing with HTTP 503, so the article falls back to its feed summary),
and ``reuse`` records for entries a feed still lists from earlier days. About one outlet in
ten publishes whole stories in its feed (no pages). Then one more day, the *increment*,
holds ``--increment-percent`` more article versions for the incremental benchmark.

Page text is stored too (``landed/texts/<engine version>/``), as ingest would have left it:
the page is rendered from the story, so its main text is known; a sample of pages is run
through the real engine and must give exactly that text (``--verify``), otherwise the
generator fails. So are each feed payload's parsed entries (``landed/feeds/<parser
version>/``): the generator runs the real feed parser on every feed it writes, as ingest
does at fetch time. ``--cold`` leaves both caches empty (every replay parses every feed and
extracts text from HTML).

``<out>/generated.json`` records the parameters, the days and the counts; a later call with
the same parameters and generator version reuses the folder.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import math
import multiprocessing
import random
import shutil
import sys
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

from bench import stories
from bench.stories import Incident, Outlet, Report, Story
from pipelines.ingest.collect import fetch_id
from pipelines.ingest.feedcache import FeedEntriesCache, encode, parser_version
from pipelines.ingest.feeds import parse_payload
from pipelines.ingest.pages import engine_version, page_text
from pipelines.ingest.rawstore import FETCH_LOG_NAME, gzip_bytes, sha256_hex
from pipelines.ingest.urls import canonical_url

# Bump when the stories, pages, feeds or fetch log change: folders of an older version are
# regenerated rather than reused. The source files' digest is part of the version too, so an
# edit never reuses data written by the code before it.
GENERATOR_VERSION = "2"
# The last day of the history; the increment is the day after. Fixed, so that generated
# data never depends on the day it is generated (and the increment is a valid Dagster
# partition: the fetch-day partitions start on 2026-11-01).
LAST_HISTORY_DAY = date(2026, 11, 20)
ARTICLES_PER_OUTLET_DAY = 5
QUIET_SHARE = 0.33
PAGE_FAILURE_RATE = 0.01
IN_PLACE_UPDATE_RATE = 0.05
BACKGROUND_RATE = 0.25
CARRIED_ENTRIES = 3  # entries a feed still lists from earlier days
DAYS_PER_TASK = 4
TOPICS = ("talks", "vote", "prices", "floods", "match", "market")


@dataclass(frozen=True)
class Params:
    """What a generated folder holds; equal params (and generator version) mean equal data."""

    articles: int
    days: int
    outlets: int
    seed: int
    increment_percent: float
    text_cache: bool  # ingest's caches filled: page texts and parsed feed entries
    engine: str
    feed_parser: str = ""  # the parser version whose entries are stored (with text_cache)
    generator_version: str = ""

    def __post_init__(self) -> None:
        if not self.generator_version:
            object.__setattr__(self, "generator_version", generator_version())
        if not self.feed_parser and self.text_cache:
            object.__setattr__(self, "feed_parser", parser_version())


def generator_version() -> str:
    """GENERATOR_VERSION plus a digest of the generator's own source files."""
    digest = hashlib.sha256()
    for name in ("generate.py", "stories.py"):
        digest.update((Path(__file__).resolve().parent / name).read_bytes())
    return f"{GENERATOR_VERSION}-{digest.hexdigest()[:12]}"


def default_shape(articles: int) -> tuple[int, int]:
    """(days, outlets) for N articles: both grow as the square root of N, so that a larger
    warehouse has more feeds *and* a longer history (10k: 63 days x 32 outlets; 100k: 200 x
    100; 1M: 632 x 316)."""
    days = max(3, round(math.sqrt(2 * articles / ARTICLES_PER_OUTLET_DAY)))
    outlets = max(2, round(articles / (days * ARTICLES_PER_OUTLET_DAY)))
    return days, outlets


# -- planning: which outlet publishes which article version on which day -----------------------


class Planner:
    """Walks the days in order and decides every article version; cheap and serial."""

    def __init__(self, params: Params) -> None:
        self.params = params
        self.rng = random.Random(f"plan-{params.seed}")
        self.outlets = stories.outlets(params.outlets, params.seed)
        self.world = stories.world()
        self.scheduled: dict[date, list[Report]] = {}
        self.recent: dict[str, deque[Incident]] = {}
        self.latest: dict[int, list[Report]] = {}  # per outlet: its newest entries
        self.incidents = 0
        self.by_country: dict[str, tuple[list[int], list[float]]] = {}
        for index, outlet in enumerate(self.outlets):
            for code, weight in zip(outlet.countries, outlet.weights, strict=True):
                ids, weights = self.by_country.setdefault(code, ([], []))
                ids.append(index)
                weights.append(weight)

    def history_days(self) -> list[date]:
        """The history's fetch days, oldest first."""
        first = LAST_HISTORY_DAY - timedelta(days=self.params.days - 1)
        return [first + timedelta(days=i) for i in range(self.params.days)]

    def quotas(self) -> list[tuple[date, int]]:
        """(day, article versions) for every history day and the increment, in order."""
        days = self.history_days()
        base, extra = divmod(self.params.articles, len(days))
        plan = [(day, base + (1 if i < extra else 0)) for i, day in enumerate(days)]
        increment = round(self.params.articles * self.params.increment_percent / 100)
        return [*plan, (LAST_HISTORY_DAY + timedelta(days=1), increment)]

    def day_plan(self, day: date, quota: int) -> tuple[list[Report], dict[int, list[Report]]]:
        """This day's new article versions, and the entries each outlet's feed still lists."""
        carried = {index: list(entries) for index, entries in self.latest.items()}
        todays = self.scheduled.pop(day, [])[:quota]
        while len(todays) < quota:
            if self.rng.random() < QUIET_SHARE:
                todays.append(self._quiet(day))
            else:
                todays.extend(self._incident(day, room=quota - len(todays)))
        todays.sort(key=lambda r: (r.outlet, r.published, r.key))
        for report in todays:
            entries = [r for r in self.latest.get(report.outlet, []) if r.key != report.key]
            self.latest[report.outlet] = [report, *entries][:CARRIED_ENTRIES]
        return todays, carried

    def _published(self, day: date) -> datetime:
        return datetime(day.year, day.month, day.day, 6, 0, tzinfo=UTC) + timedelta(
            minutes=self.rng.randrange(15 * 60)
        )

    def _url(self, outlet: int, day: date, slug: str, key: str) -> str:
        digest = hashlib.sha256(key.encode()).hexdigest()[:10]
        domain = self.outlets[outlet].domain
        return f"https://{domain}/news/{day:%Y/%m/%d}/{slug}-{digest}"

    def _report(self, outlet: int, day: date, key: str, slug: str, **fields) -> Report:
        fails = not self.outlets[outlet].full_text and self.rng.random() < PAGE_FAILURE_RATE
        return Report(
            key=key,
            outlet=outlet,
            day=day,
            published=self._published(day),
            page_fails=fails,
            url=self._url(outlet, day, slug, key),
            **fields,
        )

    def _quiet(self, day: date) -> Report:
        outlet = self.rng.randrange(len(self.outlets))
        key = f"q{self.params.seed}-{day.isoformat()}-{self.rng.getrandbits(48):012x}"
        return self._report(
            outlet, day, key, "news", incident=None, topic=self.rng.randrange(len(stories.QUIET))
        )

    def _incident(self, day: date, room: int) -> list[Report]:
        codes = list(self.by_country)
        code = self.rng.choices(codes, [stories.COUNTRIES[c][0] for c in codes])[0]
        self.incidents += 1
        key = f"i{self.params.seed}-{self.incidents}"
        incident = stories.new_incident(
            stories.stable_rng(key), key, code, day - timedelta(days=self.rng.choice((0, 0, 1)))
        )
        history = self.recent.setdefault(code, deque(maxlen=200))
        if history and self.rng.random() < BACKGROUND_RATE:
            earlier = self.rng.choice(history)
            incident = replace(
                incident,
                background_of=(earlier.attack, earlier.place.name, earlier.country, earlier.day),
            )
        history.append(incident)
        return self._reports(incident, day, room)

    def _reports(self, incident: Incident, day: date, room: int) -> list[Report]:
        ids, weights = self.by_country[incident.country]
        slug = stories.NOUNS[incident.attack].replace(" ", "-")
        outlets = [self.rng.choices(ids, weights)[0]]
        extra = self.rng.choices((0, 1, 2, 3, 4), (45, 25, 15, 10, 5))[0]
        for _ in range(extra):
            pick = self.rng.choices(ids, weights)[0]
            if pick not in outlets:
                outlets.append(pick)
        offsets = sorted([0] + [self.rng.choice((0, 1, 1, 2, 3)) for _ in outlets[1:]])
        share = self.rng.uniform(0.5, 1.0)
        today: list[Report] = []
        for nth, (outlet, offset) in enumerate(zip(outlets, offsets, strict=True)):
            share = min(1.0, share + (0 if nth == 0 else self.rng.uniform(0.0, 0.4)))
            when = day + timedelta(days=offset)
            report = self._report(
                outlet,
                when,
                f"{incident.key}-r{nth}",
                slug,
                incident=incident,
                nth=nth,
                share=share,
            )
            if offset == 0 and len(today) < room:
                today.append(report)
            else:
                self.scheduled.setdefault(when, []).append(report)
            if self.rng.random() < IN_PLACE_UPDATE_RATE:
                # Same article, same publication time; the page changed the next day. Its
                # fetch succeeds: after two failed fetches the text would be the summary both
                # times, and an unchanged text is no new version.
                update = replace(
                    report,
                    day=when + timedelta(days=1),
                    page_fails=False,
                    version=1,
                    share=1.0,
                    nth=nth + 1,
                )
                self.scheduled.setdefault(update.day, []).append(update)
        return today


# -- rendering: feeds, pages, fetch log ---------------------------------------------------------


@lru_cache(maxsize=512)
def _chrome(outlet: Outlet) -> tuple[str, str]:
    """The page around the story: masthead and mega-menu, ad slots, a grid of trending
    stories, social icons, scripts and styles, a link-heavy footer. With the story, about
    140 KB and 1,200 elements, in the range of real news pages (the sample pages are far
    lighter), so that HTML -> text costs here about what it costs on the web."""
    rng = stories.stable_rng(outlet.slug, "chrome")
    sections = [
        *("Home", "World", "Politics", "Business", "Security", "Opinion", "Video"),
        *("Sport", "Culture", "Science", "Health", "Weather", "Podcasts", "Newsletters"),
    ]
    domain = outlet.domain
    menu = "\n".join(
        f'        <li class="menu-item"><a href="https://{domain}/{s.lower()}/{i}">'
        f'<span class="label">{s} {i}</span></a></li>'
        for s in sections
        for i in range(1, 16)
    )
    trending = "\n".join(
        f'      <div class="card"><a href="https://{domain}/trending/{i}">'
        f'<img src="https://{domain}/img/{i}.jpg" alt=""></a>'
        f"<h3>{rng.choice(stories.OUTLET_PLACES)} {rng.choice(TOPICS)}</h3>"
        f"<p><span>{rng.randrange(2, 59)} min read</span></p></div>"
        for i in range(30)
    )
    icon = (
        '<svg viewBox="0 0 24 24"><path d="M12 2 2 7l10 5 10-5-10-5z"/>'
        '<path d="m2 17 10 5 10-5"/></svg>'
    )
    social = "\n".join(
        f'      <a class="social" href="https://{domain}/follow/{n}">{icon}</a>'
        for n in ("x", "facebook", "instagram", "youtube", "tiktok", "whatsapp", "telegram", "rss")
    )
    ads = "\n".join(
        f'  <div class="ad-slot" id="ad-{i}"><div class="ad-inner">'
        '<div class="ad-label">Advertisement</div></div></div>'
        for i in range(20)
    )
    script = "\n".join(
        f"      window.__cfg_{i} = {{slot: 'ad-{i}', sizes: [[300, 250], [728, 90], [970, 250]], "
        f"targeting: {{section: '{rng.choice(sections).lower()}', id: {rng.randrange(10**6)}, "
        f"keys: ['{rng.randrange(16**8):08x}', '{rng.randrange(16**8):08x}']}}}};"
        for i in range(400)
    )
    style = " ".join(
        f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{rng.randrange(16**6):06x}}}"
        for i in range(600)
    )
    head = f"""  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>{style}</style>
  <script>
{script}
  </script>"""
    footer_links = "\n".join(
        f'      <li><a href="https://{domain}/about/{s.lower()}/{i}">{s} {i}</a></li>'
        for s in sections
        for i in range(1, 9)
    )
    top = f"""<body class="article-page">
  <div id="cookie-consent" class="cookie-banner">
    <p>We use cookies to understand how readers use our site. <button>Accept all</button>
    <button>Manage settings</button></p>
  </div>
  <header class="masthead">
    <a class="logo" href="https://{domain}/">{html.escape(outlet.name)}</a>
    <nav class="primary-nav" aria-label="Sections">
      <ul>
{menu}
      </ul>
    </nav>
    <div class="social-links">
{social}
    </div>
  </header>
{ads}"""
    bottom = f"""  <section class="trending" aria-label="Trending">
    <h2>Trending now</h2>
    <div class="grid">
{trending}
    </div>
  </section>
  <section class="newsletter">
    <h2>The Morning Brief</h2>
    <form><label>Email <input type="email" name="email"></label> <button>Sign up</button></form>
  </section>
  <footer class="site-footer">
    <nav aria-label="Footer">
      <ul>
{footer_links}
      </ul>
    </nav>
    <p class="copyright">&copy; 2026 {html.escape(outlet.name)}.
      A fictional outlet; synthetic benchmark content.</p>
  </footer>
</body>
</html>"""
    return head, top + "\n@@MAIN@@\n" + bottom


def render_page(report: Report, outlet: Outlet, story: Story, related: list[str]) -> bytes:
    """The article's HTML page, laid out like the sample outlets' pages."""
    head, frame = _chrome(outlet)
    esc = html.escape
    body = "\n".join(f"        <p>{esc(p, quote=False)}</p>" for p in story.paragraphs)
    links = "\n".join(
        f'        <li><a href="https://{outlet.domain}/related/{i}">{esc(t)}</a></li>'
        for i, t in enumerate(related)
    )
    stamp = report.published.isoformat()
    main = f"""  <main>
    <article class="story">
      <div class="kicker" role="navigation"><a href="https://{outlet.domain}/{esc(story.section.lower())}">{esc(story.section)}</a></div>
      <h1 class="headline">{esc(story.title, quote=False)}</h1>
      <p class="standfirst">{esc(story.summary, quote=False)}</p>
      <div class="byline">By <span class="author">{esc(story.author)}</span> &middot;
        <time datetime="{stamp}">{report.published:%A %d %B %Y, %H:%M} UTC</time></div>
      <div class="share-tools"><a href="#">Share</a> <a href="#">Print</a>
        <a href="#">Email</a></div>
      <div class="story-body">
{body}
      </div>
      <ul class="tags"><li>{esc(story.section)}</li><li>Security</li></ul>
    </article>
    <aside class="related-stories" aria-label="Related stories">
      <h2>Related stories</h2>
      <ul>
{links}
      </ul>
    </aside>
  </main>"""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{esc(story.title)} | {esc(outlet.name)}</title>
  <meta name="description" content="{esc(story.summary)}">
  <meta property="og:type" content="article">
  <meta property="og:title" content="{esc(story.title)}">
  <meta property="article:published_time" content="{stamp}">
  <link rel="canonical" href="{esc(report.url)}">
{head}
</head>
{frame.replace("@@MAIN@@", main)}"""
    return page.encode("utf-8")


def _xml(text: str) -> str:
    return html.escape(text, quote=False)


def _content_html(story: Story) -> str:
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in story.paragraphs)


def render_feed(outlet: Outlet, entries: list[tuple[Report, Story]], built: datetime) -> bytes:
    """The outlet's feed (RSS 2.0 or Atom) listing ``entries``, newest first."""
    if outlet.feed_format == "atom":
        return _atom(outlet, entries, built)
    items = []
    for report, story in entries:
        content = (
            f"\n      <content:encoded><![CDATA[{_content_html(story)}]]></content:encoded>"
            if outlet.full_text
            else ""
        )
        items.append(
            f"""    <item>
      <title>{_xml(story.title)}</title>
      <link>{_xml(report.url)}</link>
      <guid isPermaLink="true">{_xml(report.url)}</guid>
      <pubDate>{format_datetime(report.published)}</pubDate>
      <dc:creator>{_xml(story.author)}</dc:creator>
      <category>{_xml(story.section)}</category>
      <description>{_xml(story.summary)}</description>{content}
    </item>"""
        )
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>{_xml(outlet.name)}</title>
    <link>https://{outlet.domain}/</link>
    <description>Synthetic benchmark content; a fictional outlet.</description>
    <language>en</language>
    <lastBuildDate>{format_datetime(built)}</lastBuildDate>
{body}
  </channel>
</rss>
""".encode()


def _atom(outlet: Outlet, entries: list[tuple[Report, Story]], built: datetime) -> bytes:
    items = []
    for report, story in entries:
        content = (
            f'\n    <content type="html">{_xml(_content_html(story))}</content>'
            if outlet.full_text
            else ""
        )
        updated = (report.published + timedelta(days=report.version)).isoformat()
        items.append(
            f"""  <entry>
    <title type="text">{_xml(story.title)}</title>
    <link rel="alternate" type="text/html" href="{_xml(report.url)}"/>
    <id>tag:{outlet.domain},2026:{report.key}</id>
    <published>{report.published.isoformat()}</published>
    <updated>{updated}</updated>
    <author><name>{_xml(story.author)}</name></author>
    <category term="{_xml(story.section)}"/>
    <summary type="text">{_xml(story.summary)}</summary>{content}
  </entry>"""
        )
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>{_xml(outlet.name)}</title>
  <link rel="alternate" type="text/html" href="https://{outlet.domain}/"/>
  <link rel="self" type="application/atom+xml" href="https://{outlet.domain}/atom.xml"/>
  <id>tag:{outlet.domain},2026:feed</id>
  <updated>{built.isoformat()}</updated>
{body}
</feed>
""".encode()


class DayWriter:
    """Writes one fetch day: payloads, page texts, parsed feed entries and the fetch log (no
    fsync: bulk data)."""

    def __init__(self, landed: Path, day: date, texts: Path | None) -> None:
        self.landed, self.day, self.texts = landed, day, texts
        # Ingest's two caches go together: a cold raw zone has neither.
        self.feeds = FeedEntriesCache(landed / "feeds") if texts is not None else None
        self.records: list[dict] = []
        self.bytes = 0

    def payload(self, data: bytes) -> str:
        sha = sha256_hex(data)
        path = self.landed / self.day.isoformat() / "payloads" / sha[:2] / f"{sha}.gz"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            blob = gzip_bytes(data)
            path.write_bytes(blob)
            self.bytes += len(blob)
        return sha

    def text(self, sha: str, text: str) -> None:
        if self.texts is None:
            return
        path = self.texts / sha[:2] / f"{sha}.txt.gz"
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = gzip_bytes(text.encode("utf-8"))
        path.write_bytes(blob)
        self.bytes += len(blob)

    def feed_entries(self, record: dict, payload: bytes) -> None:
        """The payload's entries by the real parser, where ingest's fetch leaves them."""
        if self.feeds is None:
            return
        sha, base_url, content_type = (
            record["payload_sha256"],
            record["base_url"],
            record["content_type"],
        )
        entries = parse_payload(
            payload, source=record["source"], base_url=base_url, content_type=content_type
        )
        version = parser_version()
        path = self.feeds.path(sha, version, base_url, content_type)
        path.parent.mkdir(parents=True, exist_ok=True)
        blob = encode(sha, version, base_url, content_type, entries)
        path.write_bytes(blob)
        self.bytes += len(blob)

    def close(self) -> None:
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in self.records]
        path = self.landed / self.day.isoformat() / FETCH_LOG_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(lines), encoding="utf-8")


def _fetch(source: str, kind: str, url: str, at: datetime, **fields) -> dict:
    record = {
        "record": "fetch",
        "fetch_id": fetch_id(source, url, at, kind),
        "fetch_date": at.date().isoformat(),
        "source": source,
        "kind": kind,
        "url": url,
        "fetched_at": at.isoformat(),
        "status": "ok",
        "http_status": 200,
        "payload_sha256": None,
        "payload_bytes": None,
        "content_type": None,
        "error": None,
        "final_url": url,
        "etag": None,
        "last_modified": None,
        "attempts": 1,
    }
    record.update(fields)
    return record


@dataclass
class DayTask:
    """Everything a worker needs to write one day."""

    day: date
    reports: list[Report]
    carried: dict[int, list[Report]]


@dataclass
class DayStats:
    """What one day's writing produced."""

    day: str
    versions: int = 0
    feeds: int = 0
    pages: int = 0
    page_errors: int = 0
    reused: int = 0
    bytes: int = 0
    words: int = 0


def _related(rng: random.Random) -> list[str]:
    return [f"{rng.choice(stories.OUTLET_PLACES)} {rng.choice(TOPICS)} latest" for _ in range(5)]


def write_day(task: DayTask, outlets: list[Outlet], landed: Path, texts: Path | None) -> DayStats:
    """Write one day: a feed per outlet with entries, the new pages, the fetch log."""
    writer = DayWriter(landed, task.day, texts)
    stats = DayStats(task.day.isoformat())
    mine: dict[int, list[Report]] = {}
    for report in task.reports:
        mine.setdefault(report.outlet, []).append(report)
    for index in sorted(set(mine) | set(task.carried)):
        outlet = outlets[index]
        at = datetime(
            task.day.year, task.day.month, task.day.day, 23, outlet.fetch_minute, tzinfo=UTC
        )
        new = mine.get(index, [])
        new_keys = {r.key for r in new}
        old = [r for r in task.carried.get(index, []) if r.key not in new_keys]
        written = [(r, stories.write_story(r, outlet)) for r in new]
        carried = [(r, stories.write_story(r, outlet)) for r in old]
        entries = sorted(written + carried, key=lambda e: e[0].published, reverse=True)
        feed_url = (
            f"https://{outlet.domain}/{'atom' if outlet.feed_format == 'atom' else 'rss'}.xml"
        )
        payload = render_feed(outlet, entries, at)
        feed = _fetch(
            outlet.slug,
            "feed",
            feed_url,
            at,
            payload_sha256=writer.payload(payload),
            payload_bytes=len(payload),
            content_type="application/atom+xml"
            if outlet.feed_format == "atom"
            else "application/rss+xml",
            base_url=feed_url,
            language="en",
            fetch_pages=not outlet.full_text,
            max_entries=None,
        )
        writer.records.append(feed)
        writer.feed_entries(feed, payload)
        stats.feeds += 1
        stats.versions += len(written)
        stats.words += sum(len(s.text.split()) for _, s in written)
        if outlet.full_text:
            continue
        for report, story in written:
            _page(writer, stats, outlet, feed, report, story, at)
        for report, story in carried:
            if report.page_fails:
                continue
            html_bytes = render_page(
                report,
                outlet,
                story,
                _related(stories.stable_rng(report.key, report.version, "related")),
            )
            writer.records.append(
                {
                    "record": "reuse",
                    "source": outlet.slug,
                    "feed_fetch_id": feed["fetch_id"],
                    "entry_url": canonical_url(report.url),
                    "url": report.url,
                    "payload_date": report.day.isoformat(),
                    "payload_sha256": sha256_hex(html_bytes),
                    "stored_fetched_at": datetime(
                        report.day.year,
                        report.day.month,
                        report.day.day,
                        23,
                        outlet.fetch_minute,
                        tzinfo=UTC,
                    ).isoformat(),
                    "fetched_at": at.isoformat(),
                }
            )
            stats.reused += 1
    writer.close()
    stats.bytes = writer.bytes
    return stats


def _page(
    writer: DayWriter,
    stats: DayStats,
    outlet: Outlet,
    feed: dict,
    report: Report,
    story: Story,
    at: datetime,
) -> None:
    common = {"feed_fetch_id": feed["fetch_id"], "entry_url": canonical_url(report.url)}
    if report.page_fails:
        writer.records.append(
            _fetch(
                outlet.slug,
                "page",
                report.url,
                at,
                status="error",
                http_status=503,
                error=f"{outlet.slug}: HTTP 503 Service Unavailable for {report.url} after 3 "
                "attempts; retried on the next poll",
                final_url=None,
                attempts=3,
                **common,
            )
        )
        stats.page_errors += 1
        return
    page = render_page(
        report, outlet, story, _related(stories.stable_rng(report.key, report.version, "related"))
    )
    sha = writer.payload(page)
    writer.text(sha, story.text)
    writer.records.append(
        _fetch(
            outlet.slug,
            "page",
            report.url,
            at,
            payload_sha256=sha,
            payload_bytes=len(page),
            content_type="text/html; charset=utf-8",
            **common,
        )
    )
    stats.pages += 1


# -- the command ---------------------------------------------------------------------------------

_WORKER: dict = {}


def _init_worker(params: Params, landed: str, texts: str | None) -> None:
    _WORKER["outlets"] = stories.outlets(params.outlets, params.seed)
    _WORKER["landed"] = Path(landed)
    _WORKER["texts"] = Path(texts) if texts else None
    stories.world()


def _write_days(tasks: list[DayTask]) -> list[DayStats]:
    return [write_day(t, _WORKER["outlets"], _WORKER["landed"], _WORKER["texts"]) for t in tasks]


def _tasks(planner: Planner) -> Iterator[list[DayTask]]:
    batch: list[DayTask] = []
    for day, quota in planner.quotas():
        reports, carried = planner.day_plan(day, quota)
        batch.append(DayTask(day, reports, carried))
        if len(batch) == DAYS_PER_TASK:
            yield batch
            batch = []
    if batch:
        yield batch


def manifest_path(out: Path) -> Path:
    """The JSON that says what a generated folder holds."""
    return out / "generated.json"


def is_current(out: Path, params: Params) -> bool:
    """True when ``out`` already holds exactly this generation."""
    path = manifest_path(out)
    if not path.exists():
        return False
    return json.loads(path.read_text("utf-8")).get("params") == asdict(params)


def verify_texts(landed: Path, engine: str, sample: int) -> tuple[int, int]:
    """(checked, equal): stored texts against the real engine on a spread of stored pages."""
    version = engine_version(engine)
    texts = sorted((landed / "texts" / version).glob("*/*.txt.gz"))
    if not texts:
        return 0, 0
    step = max(1, len(texts) // sample)
    payloads = {p.name: p for p in landed.glob("*/payloads/*/*.gz")} if len(texts) <= 200 else None
    checked = equal = 0
    for path in texts[::step][:sample]:
        sha = path.name.removesuffix(".txt.gz")
        found = (
            payloads.get(f"{sha}.gz")
            if payloads is not None
            else next(landed.glob(f"*/payloads/{sha[:2]}/{sha}.gz"), None)
        )
        if found is None:
            continue
        html_bytes = gzip.decompress(found.read_bytes())
        stored = gzip.decompress(path.read_bytes()).decode("utf-8")
        checked += 1
        equal += page_text(html_bytes, url=None, engine=engine) == stored
    return checked, equal


def generate(out: Path, params: Params, *, workers: int, verify: int = 100, log=print) -> dict:
    """Write the raw zone under ``out`` (replacing what was there) and return its manifest."""
    if out.exists():
        shutil.rmtree(out)
    landed = out / "raw" / "landed"
    landed.mkdir(parents=True)
    texts = landed / "texts" / engine_version(params.engine) if params.text_cache else None
    started = time.perf_counter()
    planner = Planner(params)
    totals: dict[str, int] = {}
    per_day: dict[str, int] = {}
    context = multiprocessing.get_context("fork")
    args = (params, str(landed), str(texts) if texts else None)
    if workers > 1:
        pool = context.Pool(workers, initializer=_init_worker, initargs=args)
        results = pool.imap(_write_days, _tasks(planner))
    else:
        _init_worker(*args)
        pool, results = None, map(_write_days, _tasks(planner))
    try:
        for day_stats in results:
            for stats in day_stats:
                per_day[stats.day] = stats.versions
                for name, value in asdict(stats).items():
                    if name != "day":
                        totals[name] = totals.get(name, 0) + value
            log(f"  generated up to {day_stats[-1].day}: {totals['versions']:,} article versions")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    checked, equal = verify_texts(landed, params.engine, verify) if texts and verify else (0, 0)
    if checked and equal != checked:
        raise SystemExit(
            f"{out}: the engine's text differs from the story on {checked - equal} of {checked} "
            "sampled pages; fix render_page (or run with --cold) before benchmarking"
        )
    days = planner.history_days()
    manifest = {
        "params": asdict(params),
        "history_days": [d.isoformat() for d in days],
        "increment_day": (LAST_HISTORY_DAY + timedelta(days=1)).isoformat(),
        "history_versions": sum(per_day[d.isoformat()] for d in days),
        "increment_versions": per_day[(LAST_HISTORY_DAY + timedelta(days=1)).isoformat()],
        "incidents": planner.incidents,
        "totals": totals,
        "mean_words": round(totals["words"] / max(1, totals["versions"]), 1),
        "texts_verified": [checked, equal],
        "text_engine_version": engine_version(params.engine) if params.text_cache else None,
        "feed_parser_version": params.feed_parser or None,
        "seconds": round(time.perf_counter() - started, 1),
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    manifest_path(out).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Entry point: ``python -m bench.generate --articles N --out DIR``."""
    from pipelines import settings as settings_module

    parser = argparse.ArgumentParser(
        prog="python -m bench.generate", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--articles", type=int, required=True, help="article versions in the history"
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write (replaced)")
    parser.add_argument("--days", type=int, help="history days (default: grows as sqrt(N))")
    parser.add_argument("--outlets", type=int, help="outlets (default: grows as sqrt(N))")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--increment-percent", type=float, default=1.0)
    parser.add_argument(
        "--cold", action="store_true", help="leave the page text and parsed-feed caches empty"
    )
    parser.add_argument("--workers", type=int, default=settings_module.usable_cpus())
    parser.add_argument("--verify", type=int, default=100, help="pages checked against the engine")
    parser.add_argument("--force", action="store_true", help="regenerate even when current")
    args = parser.parse_args(argv)
    days, outlets = default_shape(args.articles)
    params = Params(
        articles=args.articles,
        days=args.days or days,
        outlets=args.outlets or outlets,
        seed=args.seed,
        increment_percent=args.increment_percent,
        text_cache=not args.cold,
        engine=settings_module.load().page_text_engine,
    )
    out = args.out.resolve()
    if not args.force and is_current(out, params):
        print(f"{out}: already holds this generation; reused (--force to regenerate)")
        return 0
    print(
        f"generating {params.articles:,} article versions over {params.days} days "
        f"from {params.outlets} outlets into {out}"
    )
    manifest = generate(out, params, workers=max(1, args.workers), verify=args.verify)
    totals = manifest["totals"]
    print(
        f"done in {manifest['seconds']} s: {totals['versions']:,} versions "
        f"({manifest['incidents']:,} incidents), "
        f"{totals['pages']:,} pages, {totals['page_errors']:,} failed pages, "
        f"{totals['feeds']:,} feed fetches, "
        f"{totals['bytes'] / 1e6:,.0f} MB on disk, {manifest['mean_words']} words per article; "
        f"texts verified {manifest['texts_verified'][1]}/{manifest['texts_verified'][0]}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
