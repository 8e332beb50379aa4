"""What the report shows, read from the analyst database's marts into plain dataclasses.

Every query reads the ``marts`` schema (plus the evidence sentences in
``staging.stg_raw__evidence``); a database without marts gives an empty report, never an
error, so the report can be built on the first day too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb
import pycountry

# Status of the data behind a report.
READY, NO_DATABASE, NO_MARTS, NO_ATTACKS = "ready", "no_database", "no_marts", "no_attacks"

CHART_COUNTRIES = 10
TOP_PERPETRATORS = 10
LATEST_ATTACKS = 25
EVIDENCE_PER_ATTACK = 3
ARTICLES_PER_ATTACK = 5

# fct_attacks.attribution_class: the report's attribution shares, in display order.
ATTRIBUTION_CLASSES: tuple[tuple[str, str], ...] = (
    ("claimed", "Claimed"),
    ("blamed", "Blamed (named by others)"),
    ("unattributed", "Unattributed"),
)
# Marts built before attribution_class existed: perpetrator_status -> the same shares, plus
# perpetrators stated by the reports themselves.
ATTRIBUTION_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("claimed", "Claimed", ("claimed",)),
    ("stated", "Named by reports", ("stated",)),
    ("blamed", "Blamed or suspected", ("blamed", "suspected")),
    ("unattributed", "Unattributed", ("unknown",)),
)


@dataclass(frozen=True)
class Point:
    """Attacks and casualties of one country in one period."""

    attacks: int = 0
    killed: int = 0
    wounded: int = 0


@dataclass(frozen=True)
class CountrySeries:
    """One country's totals and its attacks and casualties per period."""

    country_code: str | None
    country_name: str
    attacks: int
    killed: int
    wounded: int
    unknown_toll: int  # attacks whose death toll no report states
    last_date: date | None
    points: dict[date, Point] = field(default_factory=dict)


@dataclass(frozen=True)
class Perpetrator:
    """A named perpetrator and the attacks attributed to it (strongest attribution)."""

    name: str
    attacks: int
    killed: int
    wounded: int
    statuses: dict[str, int]
    last_date: date | None


@dataclass(frozen=True)
class ArticleLink:
    """An article that reported an attack."""

    title: str | None
    url: str | None
    source: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class Attack:
    """One of the latest attacks, with the sentences that evidence it."""

    event_id: str
    start_date: date | None
    end_date: date | None
    date_precision: str | None
    attack_type: str | None
    place_name: str | None
    admin1: str | None
    country_code: str | None
    perpetrator_name: str | None
    perpetrator_status: str | None
    killed_best: int | None
    killed_high: int | None
    wounded_best: int | None
    wounded_high: int | None
    source_count: int
    is_background_only: bool
    evidence: list[str]
    articles: list[ArticleLink]


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows."""

    status: str
    generated_at: datetime
    published_at: str | None = None
    totals: dict[str, Any] = field(default_factory=dict)
    period: str = "week"
    periods: list[date] = field(default_factory=list)
    countries: list[CountrySeries] = field(default_factory=list)
    perpetrators: list[Perpetrator] = field(default_factory=list)
    attribution: list[tuple[str, str, int]] = field(default_factory=list)
    latest: list[Attack] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        """True when there is no attack to show."""
        return self.status != READY


def country_name(code: str | None) -> str:
    """ "Somalia" for "SO"; the code itself when unknown; "Unknown country" for none."""
    if not code:
        return "Unknown country"
    country = pycountry.countries.get(alpha_2=code.upper())
    return getattr(country, "common_name", None) or getattr(country, "name", None) or code


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0])


def choose_period(first: date, last: date) -> str:
    """Days for a few weeks of data, weeks up to about a year, months beyond."""
    span = (last - first).days
    if span <= 45:
        return "day"
    return "week" if span <= 400 else "month"


def period_start(day: date, period: str) -> date:
    """The first day of the period holding ``day`` (weeks start on Monday)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def period_range(first: date, last: date, period: str) -> list[date]:
    """Every period from the one holding ``first`` to the one holding ``last``."""
    current, end = period_start(first, period), period_start(last, period)
    periods = []
    while current <= end:
        periods.append(current)
        if period == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if period == "week" else 1)
    return periods


def load_report_data(
    con: duckdb.DuckDBPyConnection | None,
    *,
    generated_at: datetime,
    published_at: str | None = None,
) -> ReportData:
    """Read the report's contents from an open (read-only) analyst database connection."""
    if con is None:
        return ReportData(NO_DATABASE, generated_at, published_at)
    if not _has_table(con, "marts", "fct_attacks"):
        return ReportData(NO_MARTS, generated_at, published_at)
    totals = _totals(con)
    if not totals["attacks"]:
        return ReportData(NO_ATTACKS, generated_at, published_at, totals=totals)
    first, last = totals["first_date"], totals["last_date"]
    period = choose_period(first, last) if first and last else "week"
    return ReportData(
        status=READY,
        generated_at=generated_at,
        published_at=published_at,
        totals=totals,
        period=period,
        periods=period_range(first, last, period) if first and last else [],
        countries=_countries(con, period),
        perpetrators=_perpetrators(con),
        attribution=_attribution(con),
        latest=_latest(con),
    )


def _totals(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    row = _rows(
        con,
        """
        select
            count(*) as attacks,
            coalesce(sum(killed_best), 0) as killed,
            coalesce(sum(wounded_best), 0) as wounded,
            count(distinct country_code) as countries,
            min(start_date) as first_date,
            max(start_date) as last_date,
            max(last_reported_at) as last_reported_at
        from marts.fct_attacks
        """,
    )[0]
    row["sources"] = 0
    if _has_table(con, "marts", "dim_sources"):
        row["sources"] = con.execute("select count(*) from marts.dim_sources").fetchone()[0]
    return row


def _countries(con: duckdb.DuckDBPyConnection, period: str) -> list[CountrySeries]:
    totals = _rows(
        con,
        """
        select
            country_code,
            count(*) as attacks,
            coalesce(sum(killed_best), 0) as killed,
            coalesce(sum(wounded_best), 0) as wounded,
            count(*) filter (where killed_best is null) as unknown_toll,
            max(start_date) as last_date
        from marts.fct_attacks
        group by country_code
        order by attacks desc, killed desc, country_code nulls last
        """,
    )
    points: dict[str | None, dict[date, Point]] = {}
    for row in _rows(
        con,
        """
        select
            country_code,
            start_date,
            count(*) as attacks,
            coalesce(sum(killed_best), 0) as killed,
            coalesce(sum(wounded_best), 0) as wounded
        from marts.fct_attacks
        where start_date is not null
        group by all
        """,
    ):
        bucket = points.setdefault(row["country_code"], {})
        key = period_start(row["start_date"], period)
        old = bucket.get(key, Point())
        bucket[key] = Point(
            old.attacks + row["attacks"], old.killed + row["killed"], old.wounded + row["wounded"]
        )
    return [
        CountrySeries(
            country_code=row["country_code"],
            country_name=country_name(row["country_code"]),
            attacks=row["attacks"],
            killed=row["killed"],
            wounded=row["wounded"],
            unknown_toll=row["unknown_toll"],
            last_date=row["last_date"],
            points=points.get(row["country_code"], {}),
        )
        for row in totals
    ]


def _perpetrators(con: duckdb.DuckDBPyConnection) -> list[Perpetrator]:
    name_sql = "perpetrator_name"
    join = ""
    if _has_table(con, "marts", "dim_actors"):
        # The canonical name when the perpetrator is a known alias, else the reported one.
        name_sql = "coalesce(actors.canonical_name, attacks.perpetrator_name)"
        join = (
            "left join marts.dim_actors as actors on attacks.perpetrator_actor_id = actors.actor_id"
        )
    rows = _rows(
        con,
        f"""
        select
            {name_sql} as name,
            count(*) as attacks,
            coalesce(sum(attacks.killed_best), 0) as killed,
            coalesce(sum(attacks.wounded_best), 0) as wounded,
            max(attacks.start_date) as last_date,
            list(attacks.perpetrator_status order by attacks.perpetrator_status) as statuses
        from marts.fct_attacks as attacks
        {join}
        where attacks.perpetrator_name is not null and attacks.perpetrator_status <> 'unknown'
        group by 1
        order by attacks desc, killed desc, name
        limit ?
        """,
        [TOP_PERPETRATORS],
    )
    perpetrators = []
    for row in rows:
        statuses: dict[str, int] = {}
        for status in row["statuses"]:
            statuses[status] = statuses.get(status, 0) + 1
        perpetrators.append(
            Perpetrator(
                name=row["name"],
                attacks=row["attacks"],
                killed=row["killed"],
                wounded=row["wounded"],
                statuses=statuses,
                last_date=row["last_date"],
            )
        )
    return perpetrators


def _attribution(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    if _has_column(con, "marts", "fct_attacks", "attribution_class"):
        column, classes = (
            "attribution_class",
            [(k, label, (k,)) for k, label in ATTRIBUTION_CLASSES],
        )
    else:
        column, classes = "perpetrator_status", list(ATTRIBUTION_GROUPS)
    counts = dict(
        con.execute(f"select {column}, count(*) from marts.fct_attacks group by 1").fetchall()
    )
    known = {value for _, _, values in classes for value in values}
    groups = [
        (key, label, sum(counts.get(value, 0) for value in values))
        for key, label, values in classes
    ]
    other = sum(n for status, n in counts.items() if status not in known)
    if other:
        groups.append(("other", "Other", other))
    return groups


def _latest(con: duckdb.DuckDBPyConnection) -> list[Attack]:
    rows = _rows(
        con,
        """
        select *
        from marts.fct_attacks
        order by start_date desc nulls last, last_reported_at desc nulls last, event_id
        limit ?
        """,
        [LATEST_ATTACKS],
    )
    ids = [row["event_id"] for row in rows]
    evidence = _evidence(con, ids)
    articles = _articles(con, ids)
    return [
        Attack(
            event_id=row["event_id"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            date_precision=row["date_precision"],
            attack_type=row["attack_type"],
            place_name=row["place_name"],
            admin1=row["admin1"],
            country_code=row["country_code"],
            perpetrator_name=row["perpetrator_name"],
            perpetrator_status=row["perpetrator_status"],
            killed_best=row["killed_best"],
            killed_high=row["killed_high"],
            wounded_best=row["wounded_best"],
            wounded_high=row["wounded_high"],
            source_count=row["source_count"] or 0,
            is_background_only=bool(row["is_background_only"]),
            evidence=evidence.get(row["event_id"], []),
            articles=articles.get(row["event_id"], []),
        )
        for row in rows
    ]


def _evidence(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> dict[str, list[str]]:
    """Distinct evidence sentences per event: the first reports' first."""
    if not event_ids or not _has_view_or_table(con, "staging", "stg_raw__evidence"):
        return {}
    rows = _rows(
        con,
        """
        with sentences as (
            select
                reports.event_id,
                coalesce(evidence.sentence_text, evidence.quoted_text) as sentence,
                min(reports.article_published_at) as first_seen,
                min(evidence.evidence_index) as first_index
            from marts.fct_event_reports as reports
            inner join staging.stg_raw__evidence as evidence
                on reports.mention_id = evidence.mention_id
            where reports.event_id in (select unnest(?))
            group by all
        )
        select event_id, sentence
        from sentences
        where sentence is not null and trim(sentence) <> ''
        qualify row_number() over (
            partition by event_id order by first_seen nulls last, first_index, sentence
        ) <= ?
        order by event_id, first_seen nulls last, first_index, sentence
        """,
        [event_ids, EVIDENCE_PER_ATTACK],
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["event_id"], []).append(row["sentence"])
    return found


def _articles(con: duckdb.DuckDBPyConnection, event_ids: list[str]) -> dict[str, list[ArticleLink]]:
    if not event_ids or not _has_table(con, "marts", "fct_event_reports"):
        return {}
    rows = _rows(
        con,
        """
        with reports as (
            select distinct event_id, article_title, article_url, source_id, article_published_at
            from marts.fct_event_reports
            where event_id in (select unnest(?))
        )
        select *
        from reports
        qualify row_number() over (
            partition by event_id order by article_published_at nulls last, article_url
        ) <= ?
        order by event_id, article_published_at nulls last, article_url
        """,
        [event_ids, ARTICLES_PER_ATTACK],
    )
    found: dict[str, list[ArticleLink]] = {}
    for row in rows:
        found.setdefault(row["event_id"], []).append(
            ArticleLink(
                row["article_title"],
                row["article_url"],
                row["source_id"],
                row["article_published_at"],
            )
        )
    return found


def _has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_columns() "
        "where schema_name = ? and table_name = ? and column_name = ?",
        [schema, table, column],
    ).fetchone()
    return bool(found and found[0])


def _has_view_or_table(con: duckdb.DuckDBPyConnection, schema: str, name: str) -> bool:
    found = con.execute(
        "select count(*) from duckdb_views() where schema_name = ? and view_name = ?",
        [schema, name],
    ).fetchone()
    return bool(found and found[0]) or _has_table(con, schema, name)
