"""The analysts' HTML report: every section, a clear empty state, offline, and article text
escaped everywhere (it comes from strangers' feeds)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import dagster as dg
import duckdb
import pytest

import pipelines.extract
from pipelines.defs import build_definitions
from pipelines.defs.partitions import today_key
from pipelines.report.build import REPORT_FILE_NAME, build_report, read_report_data
from pipelines.report.data import (
    NO_ATTACKS,
    NO_DATABASE,
    NO_MARTS,
    READY,
    ArticleLink,
    Attack,
    CountrySeries,
    Perpetrator,
    Point,
    ReportData,
)
from pipelines.report.render import render_report, safe_href
from pipelines.settings import Settings
from tests.e2e.test_pipeline import stub_extract
from tests.ingest.helpers import Item, rss

from .helpers import write_sources

SECTIONS = ["overview", "over-time", "perpetrators", "attribution", "latest-attacks"]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

# Text an article could carry, each aimed at a different way of breaking out of the page.
HOSTILE = {
    "script": "<script>alert('x')</script>",
    "image": '<img src=x onerror="alert(1)">',
    "attribute": '" onmouseover="alert(2)" x="',
    "closing": "</td></tr></table><iframe src=//evil.example>",
    "comment": "<!-- --><svg onload=alert(3)>",
}


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def assert_inert(page: str) -> Tags:
    """No element or attribute that could run code or load anything."""
    tags = parse(page)
    names = {name for name, _ in tags.tags}
    assert not names & {"script", "iframe", "img", "object", "embed", "link", "base", "form"}
    for name, attrs in tags.tags:
        assert not [a for a in attrs if a.startswith("on")], (name, attrs)
        href = attrs.get("href") or ""
        assert href == "" or href.startswith(("http://", "https://")), href
        assert "src" not in attrs, (name, attrs)
    return tags


def hostile_data() -> ReportData:
    text = " ".join(HOSTILE.values())
    attack = Attack(
        event_id=f"e1{HOSTILE['attribute']}",
        start_date=date(2026, 11, 20),
        end_date=date(2026, 11, 21),
        date_precision="day",
        attack_type=HOSTILE["script"],
        place_name=HOSTILE["image"],
        admin1=HOSTILE["closing"],
        country_code="SO",
        perpetrator_name=HOSTILE["comment"],
        perpetrator_status=HOSTILE["attribute"],
        killed_best=12,
        killed_high=15,
        wounded_best=None,
        wounded_high=None,
        source_count=2,
        is_background_only=False,
        evidence=[f"A car bomb killed 12. {text}"],
        articles=[
            ArticleLink(HOSTILE["script"], "javascript:alert(4)", HOSTILE["image"], NOW),
            ArticleLink("Real story", f"https://news.example/a?q={HOSTILE['attribute']}", "s", NOW),
        ],
    )
    return ReportData(
        status=READY,
        generated_at=NOW,
        published_at=HOSTILE["script"],
        totals={"attacks": 1, "killed": 12, "wounded": 0, "countries": 1, "sources": 1},
        period="day",
        periods=[date(2026, 11, 20)],
        countries=[
            CountrySeries(
                country_code=HOSTILE["attribute"],
                country_name=HOSTILE["closing"],
                attacks=1,
                killed=12,
                wounded=0,
                unknown_toll=0,
                last_date=date(2026, 11, 20),
                points={date(2026, 11, 20): Point(1, 12, 0)},
            )
        ],
        perpetrators=[
            Perpetrator(HOSTILE["comment"], 1, 12, 0, {HOSTILE["image"]: 1}, date(2026, 11, 20))
        ],
        attribution=[("claimed", HOSTILE["script"], 1)],
        latest=[attack],
    )


def test_article_text_is_escaped_everywhere_in_the_report():
    page = render_report(hostile_data())
    tags = assert_inert(page)
    text = "".join(tags.text)
    # Shown to the reader as the article wrote it, just never interpreted.
    for payload in HOSTILE.values():
        assert payload in text or payload in page.replace("&quot;", '"'), payload
    hrefs = [attrs["href"] for name, attrs in tags.tags if name == "a"]
    assert hrefs == [f"https://news.example/a?q={HOSTILE['attribute']}"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/x", "https://news.example/x"),
        ("javascript:alert(1)", None),  # script in a link
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("//evil.example/x", None),  # protocol-relative: no scheme to check
        ('https://news.example/"><script>', "https://news.example/&quot;&gt;&lt;script&gt;"),
    ],
)
def test_only_http_links_become_links(url: str, expected: str | None):
    assert safe_href(url) == expected


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (NO_DATABASE, "No analyst database has been published yet"),
        (NO_MARTS, "no marts yet"),
        (NO_ATTACKS, "No attacks in the warehouse yet"),
    ],
)
def test_an_empty_report_says_why_and_keeps_every_section(status: str, says: str):
    page = render_report(ReportData(status=status, generated_at=NOW))
    assert_inert(page)
    assert 'id="empty-state"' in page and says in page
    for section in SECTIONS:
        assert f'id="{section}"' in page
    assert page.count('class="note no-data"') == len(SECTIONS) - 1  # all but the overview


def test_the_report_needs_nothing_from_the_network(tmp_path: Path):
    page = render_report(hostile_data())
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    tags = parse(page)
    assert not [attrs for _, attrs in tags.tags if "src" in attrs]
    assert "<link" not in page and "@import" not in page and "url(" not in page


def test_build_report_from_a_missing_and_an_empty_database(tmp_path: Path):
    missing = build_report(tmp_path / "nothing.duckdb", tmp_path / "reports", now=NOW)
    assert missing.status == NO_DATABASE and missing.path.name == REPORT_FILE_NAME
    analyst = tmp_path / "conflict_analyst.duckdb"
    con = duckdb.connect(str(analyst))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_attacks (event_id varchar, start_date date, "
        "country_code varchar, killed_best integer, wounded_best integer, "
        "last_reported_at timestamptz)"
    )
    con.close()
    empty = build_report(analyst, tmp_path / "reports", now=NOW)
    assert empty.status == NO_ATTACKS and empty.attacks == 0
    assert "No attacks in the warehouse yet" in empty.path.read_text()
    # Written atomically: no temporary file left beside it.
    assert [p.name for p in (tmp_path / "reports").iterdir()] == [REPORT_FILE_NAME]


ATTACK_COLUMNS = (
    "event_id varchar, start_date date, end_date date, date_precision varchar, "
    "attack_type varchar, place_name varchar, admin1 varchar, country_code varchar, "
    "perpetrator_name varchar, perpetrator_status varchar, attribution_class varchar, "
    "killed_best integer, killed_high integer, wounded_best integer, wounded_high integer, "
    "source_count integer, is_background_only boolean, last_reported_at timestamptz"
)
# event, day, country, perpetrator, its status, attribution class, killed, wounded
ATTACKS = [
    ("a1", date(2026, 11, 2), "IQ", "Group A", "claimed", "claimed", 5, 2),
    ("a2", date(2026, 11, 9), "IQ", "Group A", "claimed", "claimed", 3, None),
    ("a3", date(2026, 11, 9), "SO", "Group B", "blamed", "blamed", None, 4),
    # Named by the report itself, never by a claim or a blame: counted as blamed.
    ("a4", date(2026, 11, 20), "SO", "Group B", "stated", "blamed", 1, 0),
    ("a5", date(2026, 11, 21), "SO", None, "unknown", "unattributed", 2, 1),
]


def analyst_copy(path: Path, *, with_class: bool = True) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema marts")
        con.execute(f"create table marts.fct_attacks ({ATTACK_COLUMNS})")
        for event, day, country, who, status, klass, killed, wounded in ATTACKS:
            con.execute(
                "insert into marts.fct_attacks by name select ? as event_id, ? as start_date, "
                "? as country_code, ? as perpetrator_name, ? as perpetrator_status, "
                "? as attribution_class, ? as killed_best, ? as wounded_best, "
                "'bombing' as attack_type, 1 as source_count, false as is_background_only",
                [event, day, country, who, status, klass, killed, wounded],
            )
        if not with_class:
            con.execute("alter table marts.fct_attacks drop column attribution_class")
    finally:
        con.close()
    return path


def test_the_report_adds_up_attacks_by_country_perpetrator_and_attribution(tmp_path: Path):
    data = read_report_data(analyst_copy(tmp_path / "conflict_analyst.duckdb"), NOW)
    assert data.status == READY
    assert data.totals["attacks"] == 5 and data.totals["killed"] == 11
    assert data.totals["wounded"] == 7
    # Over time by country: three weeks' span gives days; Somalia first (three attacks).
    assert data.period == "day" and data.periods[0] == date(2026, 11, 2)
    somalia, iraq = data.countries
    assert (somalia.country_code, somalia.attacks, somalia.killed, somalia.unknown_toll) == (
        "SO",
        3,
        3,
        1,
    )
    assert iraq.points[date(2026, 11, 9)] == Point(1, 3, 0)
    assert [(p.name, p.attacks, p.killed) for p in data.perpetrators] == [
        ("Group A", 2, 8),
        ("Group B", 2, 1),
    ]
    assert data.attribution == [
        ("claimed", "Claimed", 2),
        ("blamed", "Blamed (named by others)", 2),
        ("unattributed", "Unattributed", 1),
    ]
    assert [attack.event_id for attack in data.latest] == ["a5", "a4", "a2", "a3", "a1"]


def test_marts_without_attribution_class_fall_back_to_the_perpetrator_status(tmp_path: Path):
    path = analyst_copy(tmp_path / "conflict_analyst.duckdb", with_class=False)
    shares = {key: count for key, _, count in read_report_data(path, NOW).attribution}
    assert shares == {"claimed": 2, "stated": 1, "blamed": 1, "unattributed": 1}


HOSTILE_PAGE_TEXT = (
    "A car bomb killed 12 people at a checkpoint in Mogadishu on Thursday "
    "<script>alert('body')</script> <img src=x onerror=alert(1)> police said."
)
HOSTILE_TITLE = "Car bomb kills 12 <script>alert('title')</script>"


def write_hostile_outlet(folder: Path) -> Path:
    """A local outlet whose page and title carry markup as text (escaped in the HTML)."""
    (folder / "pages").mkdir(parents=True)
    (folder / "pages" / "bomb.html").write_text(
        "<html><head><title>x</title></head><body><article><h1>Car bomb</h1><p>"
        + HOSTILE_PAGE_TEXT.replace("<", "&lt;").replace(">", "&gt;")
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    # Escaped twice: once for XML, once more so that the entry's HTML title shows the markup.
    title = HOSTILE_TITLE.replace("<", "&lt;").replace(">", "&gt;")
    item = Item(title, "pages/bomb.html", guid="bomb", pub_date="Thu, 12 Nov 2026 09:00:00 +0300")
    (folder / "feed.xml").write_text(rss([item]), encoding="utf-8")
    return folder / "feed.xml"


@pytest.mark.e2e
def test_the_report_asset_escapes_text_that_came_through_the_pipeline(
    pipeline_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(pipelines.extract, "extract_article", stub_extract)
    monkeypatch.setattr(pipelines.extract, "EXTRACTOR_VERSION", "9.9.9-test")
    feed = write_hostile_outlet(tmp_path / "hostile-outlet")
    write_sources(pipeline_env, [{"name": "hostile-outlet", "url": str(feed)}])
    defs = build_definitions()
    result = dg.materialize(
        list(defs.assets),
        resources=defs.resources,
        partition_key=today_key(),
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    report = pipeline_env.reports_dir / REPORT_FILE_NAME
    event = result.asset_materializations_for_node("analyst_report")[0]
    assert event.metadata["path"].value == str(report)
    assert event.metadata["attacks"].value == 1

    con = duckdb.connect(str(pipeline_env.analyst_path), read_only=True)
    try:
        sentence = con.execute("select sentence_text from staging.stg_raw__evidence").fetchone()[0]
        title = con.execute("select article_title from marts.fct_event_reports").fetchone()[0]
    finally:
        con.close()
    # The markup really reached the marts as text ...
    assert "<script>alert('body')</script>" in sentence
    assert "<img src=x onerror=alert(1)>" in sentence
    # ... and the report shows it without letting it act.
    page = report.read_text(encoding="utf-8")
    tags = assert_inert(page)
    text = "".join(tags.text)
    assert sentence in text
    assert title in text
    assert "&lt;script&gt;alert(&#x27;body&#x27;)&lt;/script&gt;" in page
