"""dbt over hand-written raw rows (the extraction contract's shape): the marts' answers.

The articles and records are written for this test: three outlets report one rocket attack
on Ain al-Asad with rising tolls; one outlet reports a car bomb and a hotel assault in
Mogadishu on the same day, another mentions the car bomb as background; an aggregate
statement; a bombing where "no one was injured"; an article re-read by a newer extractor
that retracts its event; an article whose text changed after the first fetch.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import duckdb
import pytest

from pipelines.warehouse.mentions import Extraction, stable_id

pytestmark = pytest.mark.e2e

VERSION = "0.3.0"


def at(day: int, hour: int = 6) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def figure(low: int, high: int | None = None, qualifier: str = "exact") -> dict[str, Any]:
    return {"low": low, "high": low if qualifier == "exact" else high, "qualifier": qualifier}


def extraction(article: dict[str, Any], records: list[dict], version: str = VERSION):
    return Extraction(
        article_id=article["article_id"],
        article_version=article["article_version"],
        extractor_version=version,
        extracted_at=at(25),
        text=article["text"],
        records=records,
    )


def scenario(record, make_article, make_fetch):
    """Articles, fetches and extractions of the test world."""
    text = "Rockets hit the base late Monday night, officials said. Three were killed."
    herald = make_article("herald-1", source="tigris-herald", published_at=at(17), text=text)
    wire = make_article("wire-1", source="frontier-wire", published_at=at(18))
    times = make_article("times-1", source="harmattan-times", published_at=at(19))
    horn = make_article("horn-1", source="horn-dispatch", published_at=at(12, 18))
    quiet = make_article("herald-2", source="tigris-herald", published_at=at(20))
    retracted = make_article("wire-2", source="frontier-wire", published_at=at(21))
    old = make_article("wire-3", source="frontier-wire", published_at=at(21), version="v1")
    new = make_article(
        "wire-3", source="frontier-wire", published_at=at(21), version="v2", fetched_at=at(22)
    )
    ain_al_asad = {
        "location": {
            "name": "Ain al-Asad",
            "country_code": "IQ",
            "admin1": "Anbar",
            "lat": 33.80,
            "lon": 42.44,
            "precision": "site",
        }
    }
    mogadishu = {
        "location": {
            "name": "Mogadishu",
            "country_code": "SO",
            "admin1": "Banadir",
            "lat": 2.04,
            "lon": 45.34,
            "precision": "city",
        },
        "date_start": "2026-11-12",
        "date_end": "2026-11-12",
    }
    extractions = [
        extraction(
            herald,
            [
                record(
                    "herald-1",
                    **ain_al_asad,
                    killed=figure(3),
                    wounded=figure(6),
                    casualty_groups=[
                        {
                            "status": "killed",
                            "group": "American contractors",
                            "nationality": "US",
                            "low": 2,
                            "high": 2,
                        },
                        {
                            "status": "killed",
                            "group": "Iraqi soldier",
                            "nationality": "IQ",
                            "low": 1,
                            "high": 1,
                        },
                    ],
                    attributions=[{"type": "no_claim"}],
                    evidence=[
                        {
                            "field": "date",
                            "start": text.index("late Monday night"),
                            "end": text.index("late Monday night") + len("late Monday night"),
                        }
                    ],
                )
            ],
        ),
        extraction(
            wire,
            [
                record(
                    "wire-1",
                    **ain_al_asad,
                    killed=figure(5),
                    wounded=figure(11),
                    perpetrator={"name": "Islamic Resistance in Iraq", "status": "claimed"},
                    attributions=[{"type": "claim", "actor": "Islamic Resistance in Iraq"}],
                ),
                record(
                    "wire-1",
                    event_key="e2",
                    kind="aggregate",
                    is_background=True,
                    date_start="2026-01-01",
                    date_end="2026-11-18",
                    date_precision="month",
                    location={
                        "name": None,
                        "country_code": "IQ",
                        "admin1": None,
                        "lat": None,
                        "lon": None,
                        "precision": "country",
                    },
                    count=43,
                    killed=figure(11, None, "at_least"),
                ),
            ],
        ),
        # Another name for the base, a kilometre away; "more than 20" wounded.
        extraction(
            times,
            [
                record(
                    "times-1",
                    location={
                        "name": "Ain al-Asad air base",
                        "country_code": "IQ",
                        "admin1": "Anbar",
                        "lat": 33.79,
                        "lon": 42.45,
                        "precision": "site",
                    },
                    killed=figure(7),
                    wounded=figure(21, None, "at_least"),
                    perpetrator={"name": "Kataib Hezbollah", "status": "blamed"},
                    attributions=[
                        {"type": "blame", "actor": "Kataib Hezbollah", "by": "United States"}
                    ],
                ),
                record(
                    "times-1",
                    event_key="e2",
                    is_background=True,
                    attack_type="bombing",
                    weapons=["car_bomb"],
                    date_start="2026-11-01",
                    date_end="2026-11-30",
                    date_precision="month",
                    location={
                        "name": "Mogadishu",
                        "country_code": "SO",
                        "admin1": None,
                        "lat": None,
                        "lon": None,
                        "precision": "city",
                    },
                ),
            ],
        ),
        # Two attacks in one city on one day, in one article.
        extraction(
            horn,
            [
                record(
                    "horn-1",
                    **mogadishu,
                    attack_type="bombing",
                    weapons=["car_bomb"],
                    killed=figure(12, None, "at_least"),
                    perpetrator={"name": "Al Shabaab", "status": "suspected"},
                ),
                record(
                    "horn-1",
                    event_key="e2",
                    **mogadishu,
                    attack_type="storming",
                    weapons=["firearm"],
                    killed=figure(8),
                    wounded=figure(14),
                    casualty_groups=[
                        {
                            "status": "killed",
                            "group": "civilians",
                            "nationality": "SO",
                            "low": 6,
                            "high": 6,
                        },
                        {
                            "status": "killed",
                            "group": "perpetrators",
                            "nationality": "SO",
                            "low": 4,
                            "high": 4,
                            "is_perpetrator": True,
                        },
                    ],
                    perpetrator={"name": "Al Shabaab", "status": "claimed"},
                    attributions=[{"type": "claim", "actor": "Al Shabaab"}],
                ),
            ],
        ),
        # "No one was injured": a stated zero, not an unknown.
        extraction(
            quiet,
            [
                record(
                    "herald-2",
                    attack_type="bombing",
                    weapons=["ied"],
                    date_start="2026-11-19",
                    date_end="2026-11-19",
                    location={
                        "name": "Diwaniyah",
                        "country_code": "IQ",
                        "admin1": "Qadisiyah",
                        "lat": 31.99,
                        "lon": 44.92,
                        "precision": "city",
                    },
                    killed=figure(0),
                    wounded=figure(0),
                )
            ],
        ),
        # An older extractor saw an attack here; the newer one found none.
        extraction(
            retracted,
            [
                record(
                    "wire-2",
                    location={
                        "name": "Kirkuk",
                        "country_code": "IQ",
                        "admin1": "Kirkuk",
                        "lat": 35.47,
                        "lon": 44.39,
                        "precision": "city",
                    },
                    date_start="2026-11-20",
                    date_end="2026-11-20",
                )
            ],
            version="0.2.0",
        ),
        extraction(retracted, [], version="0.10.0"),
        # The text changed: only the current version's record counts.
        extraction(
            old,
            [
                record(
                    "wire-3",
                    attack_type="armed_assault",
                    location={
                        "name": "Hit",
                        "country_code": "IQ",
                        "admin1": "Anbar",
                        "lat": 33.64,
                        "lon": 42.83,
                        "precision": "city",
                    },
                    date_start="2026-11-20",
                    date_end="2026-11-20",
                    killed=figure(2),
                )
            ],
        ),
        extraction(
            new,
            [
                record(
                    "wire-3",
                    attack_type="armed_assault",
                    location={
                        "name": "Hit",
                        "country_code": "IQ",
                        "admin1": "Anbar",
                        "lat": 33.64,
                        "lon": 42.83,
                        "precision": "city",
                    },
                    date_start="2026-11-20",
                    date_end="2026-11-20",
                    killed=figure(4),
                )
            ],
        ),
    ]
    articles = [herald, wire, times, horn, quiet, retracted, old, new]
    fetches = [
        make_fetch(source, at(17))
        for source in ("tigris-herald", "frontier-wire", "harmattan-times", "horn-dispatch")
    ]
    fetches.append(make_fetch("horn-dispatch", at(18), status="error"))
    return articles, fetches, extractions


@pytest.fixture(scope="module")
def warehouse(dbt_session, tmp_path_factory, contract_record, make_article, make_fetch, land_raw):
    """Land the scenario, run `dbt build` once, and open the result read-only."""
    tmp = tmp_path_factory.mktemp("marts")
    dbt_session.empty_warehouse()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIPELINES_WAREHOUSE_DIR", str(dbt_session.warehouse_dir))
        mp.setenv("PIPELINES_RAW_DIR", str(tmp / "raw"))
        articles, fetches, extractions = scenario(contract_record, make_article, make_fetch)
        land_raw(articles=articles, fetches=fetches, extractions=extractions)
        built = dbt_session.dbt("build")
        assert built.returncode == 0, built.stdout[-5000:]
    con = duckdb.connect(str(dbt_session.warehouse_dir / "conflict.duckdb"), read_only=True)
    yield con
    con.close()


def one(con, sql: str, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def test_one_incident_from_three_outlets_is_one_attack(warehouse):
    row = one(
        warehouse,
        "select article_count, source_count, mention_count, start_date, place_name, attack_type "
        "from marts.fct_attacks where country_code = 'IQ' and attack_type = 'shelling'",
    )
    assert row[:3] == (3, 3, 3)
    assert str(row[3]) == "2026-11-16"
    assert row[4] == "Ain al-Asad"


def test_later_tolls_supersede_earlier_ones(warehouse):
    # Reported 3, then 5, then 7 killed; 6, then 11, then "more than 20" wounded: 7 killed
    # in all (not 15), and at least 21 wounded with no upper bound.
    row = one(
        warehouse,
        "select killed_low, killed_best, killed_high, wounded_low, wounded_best, wounded_high "
        "from marts.fct_attacks where attack_type = 'shelling'",
    )
    assert row == (7, 7, 7, 21, 21, None)
    steps = warehouse.execute(
        "select r.killed_low from marts.fct_event_reports as r "
        "inner join marts.fct_attacks as a using (event_id) "
        "where a.attack_type = 'shelling' order by r.article_published_at"
    ).fetchall()
    assert steps == [(3,), (5,), (7,)]
    spread = one(
        warehouse,
        "select c.min_reported_count, c.max_reported_count, c.report_count "
        "from marts.fct_casualties as c inner join marts.fct_attacks as a using (event_id) "
        "where a.attack_type = 'shelling' and c.is_total and c.casualty_status = 'killed'",
    )
    assert spread == (3, 7, 3)


def test_a_claim_outranks_blame_and_names_resolve_to_actors(warehouse):
    row = one(
        warehouse,
        "select a.perpetrator_name, a.perpetrator_status, d.canonical_name "
        "from marts.fct_attacks as a left join marts.dim_actors as d "
        "on a.perpetrator_actor_id = d.actor_id where a.attack_type = 'shelling'",
    )
    assert row == ("Islamic Resistance in Iraq", "claimed", "Islamic Resistance in Iraq")
    statements = warehouse.execute(
        "select t.attribution_type, t.actor_name, d.canonical_name, t.stated_by_name "
        "from marts.fct_attributions as t inner join marts.fct_attacks as a using (event_id) "
        "left join marts.dim_actors as d on t.actor_id = d.actor_id "
        "where a.attack_type = 'shelling' order by 1"
    ).fetchall()
    assert statements == [
        ("blame", "Kataib Hezbollah", "Kataib Hezbollah", "United States"),
        ("claim", "Islamic Resistance in Iraq", "Islamic Resistance in Iraq", None),
        ("no_claim", None, None, None),
    ]


def test_two_attacks_in_one_city_on_one_day_stay_two(warehouse):
    rows = warehouse.execute(
        "select attack_type, article_count, source_count, killed_best "
        "from marts.fct_attacks where country_code = 'SO' order by attack_type"
    ).fetchall()
    # The background mention in another outlet joins the car bomb, not the hotel assault.
    assert rows == [("bombing", 2, 2, 12), ("storming", 1, 1, 8)]


def test_aggregates_are_kept_apart_from_attacks(warehouse):
    assert one(
        warehouse,
        "select incident_count, killed_low, killed_high from marts.fct_aggregate_statements",
    ) == (43, 11, None)
    assert one(
        warehouse,
        "select count(*) from marts.fct_event_reports "
        "where mention_id in (select mention_id from marts.fct_aggregate_statements)",
    ) == (0,)


def test_a_stated_zero_is_zero_and_an_unstated_figure_is_null(warehouse):
    assert one(
        warehouse,
        "select killed_best, wounded_best from marts.fct_attacks where place_name = 'Diwaniyah'",
    ) == (0, 0)
    # The background mention of the car bomb gives no toll; the bomb's own report does.
    assert one(
        warehouse,
        "select wounded_low, wounded_best from marts.fct_attacks "
        "where attack_type = 'bombing' and country_code = 'SO'",
    ) == (None, None)


def test_casualty_groups_per_nationality(warehouse):
    rows = warehouse.execute(
        "select c.casualty_status, c.victim_group, c.nationality_code, c.best_count "
        "from marts.fct_casualties as c inner join marts.fct_attacks as a using (event_id) "
        "where a.attack_type = 'shelling' and not c.is_total order by 2"
    ).fetchall()
    assert rows == [
        ("killed", "american contractors", "US", 2),
        ("killed", "iraqi soldier", "IQ", 1),
    ]


def test_the_attackers_own_dead_are_kept_apart_from_the_victims(warehouse):
    rows = warehouse.execute(
        "select c.victim_group, c.is_perpetrator, c.best_count "
        "from marts.fct_casualties as c inner join marts.fct_attacks as a using (event_id) "
        "where a.attack_type = 'storming' and not c.is_total order by 1"
    ).fetchall()
    assert rows == [("civilians", False, 6), ("perpetrators", True, 4)]
    # Victims by nationality count the six civilians, not the four attackers.
    assert warehouse.execute(
        "select n.best_count from marts.fct_casualties_by_nationality as n "
        "inner join marts.fct_attacks as a using (event_id) "
        "where a.attack_type = 'storming' and n.nationality_code = 'SO'"
    ).fetchall() == [(6,)]


def test_the_newest_extractor_and_article_version_win(warehouse):
    # 0.10.0 (newer than 0.2.0 in version order, older as text) found nothing in wire-2.
    assert one(warehouse, "select count(*) from marts.fct_attacks where place_name = 'Kirkuk'") == (
        0,
    )
    assert one(warehouse, "select killed_best from marts.fct_attacks where place_name = 'Hit'") == (
        4,
    )


def test_facts_trace_back_to_articles_and_evidence(warehouse):
    row = one(
        warehouse,
        "select r.article_id, e.quoted_text, e.sentence_text "
        "from marts.fct_attacks as a "
        "inner join marts.fct_event_reports as r on r.event_id = a.event_id "
        "inner join staging.stg_raw__evidence as e on e.mention_id = r.mention_id "
        "where a.attack_type = 'shelling'",
    )
    assert row == (
        "herald-1",
        "late Monday night",
        "Rockets hit the base late Monday night, officials said.",
    )


def test_dimensions_cover_the_facts(warehouse):
    assert one(warehouse, "select count(*) from marts.dim_sources") == (4,)
    assert one(
        warehouse, "select error_count from marts.dim_sources where source_id = 'horn-dispatch'"
    ) == (1,)
    assert one(
        warehouse,
        "select count(*) from marts.fct_attacks as a "
        "left join marts.dim_locations as l using (location_id) "
        "where l.location_id is null",
    ) == (0,)
    assert one(
        warehouse,
        "select acled_sub_event_type, gtd_attack_type from marts.fct_attacks "
        "where attack_type = 'storming'",
    ) == ("Violent demonstration", "Facility/Infrastructure Attack")


def test_an_event_is_named_after_its_first_report(warehouse):
    # Deterministic ids: the hash of the first report's mention id, whatever the build.
    first_report = stable_id("herald-1", "v1", VERSION, "e1")
    expected = hashlib.md5(f"event|{first_report}".encode()).hexdigest()
    assert one(
        warehouse,
        "select event_id, anchor_mention_id from marts.fct_attacks where attack_type = 'shelling'",
    ) == (expected, first_report)
