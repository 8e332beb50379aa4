"""The analysts' answers on the bundled samples, from feeds to the analyst copy, real extractor.

`sample_build` materialises every asset from raw/samples (what `make run` does by default);
these tests ask the analyst copy what `raw/samples/expected.json` says under
`analyst_answers`: one attack per incident however many outlets report it, the toll as
it rose report by report, who claimed it and whom governments blamed, the dead by
nationality, same-day attacks kept apart, background mentions joined to their incident,
aggregates kept out of the attacks, nothing from non-violent news, and the README's
example queries. Every test runs twice: on that build (`[extractor]`) and on the warehouse
dbt builds from the records a perfect extractor returns (`[gold]`, `gold_build`). A test
that passes on gold and fails on the extractor's build is an extractor problem; its
message names the article and what the warehouse made of it.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

import duckdb
import pytest

from pipelines.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

EXPECTED = PROJECT_ROOT / "raw" / "samples" / "expected.json"
README = PROJECT_ROOT / "README.md"


@pytest.fixture(scope="module")
def answers() -> dict[str, Any]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["analyst_answers"]


@pytest.fixture(scope="module", params=["extractor", "gold"])
def analyst(request):
    """The analyst copy of the samples' build, or the warehouse built from the gold records."""
    if request.param == "extractor":
        path = request.getfixturevalue("sample_build").analyst_path
    else:
        path = request.getfixturevalue("gold_build")
    con = duckdb.connect(str(path), read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="module")
def article_ids(analyst) -> dict[str, str]:
    """expected.json's article keys ('<outlet>/pages/<file>' or '<outlet>#<entry id>') -> ids."""
    ids = {}
    for article_id, source, entry_id, url in analyst.execute(
        "select article_id, source, entry_id, url from raw.articles"
    ).fetchall():
        # The gold build keys its articles by expected.json's keys.
        ids[article_id] = article_id
        ids[f"{source}#{entry_id}"] = article_id
        if url and "/pages/" in url:
            ids[f"{source}/pages/{url.rsplit('/pages/', 1)[1]}"] = article_id
    return ids


def article_key(record: str) -> str:
    """'<article key>#e2' -> '<article key>' (page keys have no '#' of their own)."""
    return record.rsplit("#", 1)[0]


def rows(con, sql: str, *params) -> list[tuple]:
    return con.execute(sql, list(params)).fetchall()


def utc(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


def reports_of(con, article_id: str) -> list[tuple]:
    """What the warehouse made of one article: its reports and the attacks they joined."""
    return rows(
        con,
        "select r.event_key, r.is_background, r.attack_type, r.start_date, r.place_name, "
        "r.country_code, r.killed_low, a.mention_count, a.place_name as attack_place "
        "from marts.fct_event_reports as r inner join marts.fct_attacks as a using (event_id) "
        "where r.article_id = ? order by r.event_key",
        article_id,
    )


def events_reported_as_news(con, article_id: str, on: str) -> list[str]:
    return [
        event_id
        for (event_id,) in rows(
            con,
            "select distinct r.event_id from marts.fct_event_reports as r "
            "inner join marts.fct_attacks as a using (event_id) "
            "where r.article_id = ? and not r.is_background and a.start_date <= ? "
            "and coalesce(a.end_date, a.start_date) >= ?",
            article_id,
            date.fromisoformat(on),
            date.fromisoformat(on),
        )
    ]


@pytest.fixture(scope="module")
def ain_al_asad(analyst, answers, article_ids) -> str:
    """The event the first report of the multi-outlet incident reports as news."""
    incident = answers["multi_outlet_incident"]
    first = article_ids[incident["toll_steps"][0]["article"]]
    events = events_reported_as_news(analyst, first, incident["date"])
    assert len(events) == 1, f"first report -> {events}; its reports: {reports_of(analyst, first)}"
    return events[0]


def test_the_incident_three_outlets_report_is_one_attack_with_three_sources(
    analyst, answers, article_ids
):
    incident = answers["multi_outlet_incident"]
    reports = {step["outlet"]: article_ids[step["article"]] for step in incident["toll_steps"]}
    events = {
        outlet: events_reported_as_news(analyst, article_id, incident["date"])
        for outlet, article_id in reports.items()
    }
    attacks = sorted({event for found in events.values() for event in found})
    detail = {outlet: reports_of(analyst, article_id) for outlet, article_id in reports.items()}
    assert len(attacks) == 1, f"{len(attacks)} attacks from the three reports: {detail}"
    row = rows(
        analyst,
        "select start_date, country_code, attack_type, source_count, article_count "
        "from marts.fct_attacks where event_id = ?",
        attacks[0],
    )[0]
    assert row == (
        date.fromisoformat(incident["date"]),
        incident["location"]["country_code"],
        incident["attack_type"],
        len(incident["outlets"]),
        len(incident["outlets"]),
    ), detail


def test_its_toll_rose_report_by_report(analyst, answers, ain_al_asad):
    # Reported history: 3 -> 5 -> 7 killed, one revision per report, in publication order,
    # the claim appearing with the second report and the blame with the third.
    incident = answers["multi_outlet_incident"]
    claim, blame = incident["claim"], incident["blame"]
    expected, claimed_by, blamed_on = [], None, None
    for step in incident["toll_steps"]:
        if "claim" in step["attributions"]:
            claimed_by = claim["actor"]
        if "blame" in step["attributions"]:
            blamed_on = f"{blame['actor']} (by {blame['by']})"
        killed, wounded = step["killed"], step["wounded"]
        expected.append(
            (
                step["outlet"],
                utc(step["published_at"]),
                killed["low"],
                killed["high"],
                wounded["low"],
                wounded["high"],
                claimed_by,
                blamed_on,
            )
        )
    got = rows(
        analyst,
        "select source_id, reported_at, killed_low, killed_high, wounded_low, wounded_high, "
        "claimed_by, blamed_on from marts.fct_toll_revisions "
        "where event_id = ? and history_source = 'reported' order by revision_number",
        ain_al_asad,
    )
    assert got == expected
    # Warehouse-observed history: one build saw every report at once, so one version, the
    # final toll.
    final_killed, final_wounded = incident["final_killed"], incident["final_wounded"]
    assert rows(
        analyst,
        "select killed_low, killed_high, wounded_low, wounded_high, reported_at "
        "from marts.fct_toll_revisions where event_id = ? and history_source = 'observed'",
        ain_al_asad,
    ) == [
        (
            final_killed["low"],
            final_killed["high"],
            final_wounded["low"],
            final_wounded["high"],
            utc(incident["toll_steps"][-1]["published_at"]),
        )
    ]


def test_its_claim_and_the_blame(analyst, answers, article_ids, ain_al_asad):
    incident = answers["multi_outlet_incident"]
    claim, blame, perpetrator = incident["claim"], incident["blame"], incident["perpetrator"]
    statements = rows(
        analyst,
        "select t.attribution_type, actor.canonical_name, speaker.canonical_name, "
        "t.first_reported_at from marts.fct_attributions as t "
        "left join marts.dim_actors as actor on t.actor_id = actor.actor_id "
        "left join marts.dim_actors as speaker on t.stated_by_actor_id = speaker.actor_id "
        "where t.event_id = ? order by all",
        ain_al_asad,
    )
    claims = {actor for kind, actor, _, _ in statements if kind == "claim"}
    blames = {(actor, speaker) for kind, actor, speaker, _ in statements if kind == "blame"}
    assert claims == {claim["actor"]}, statements
    assert blames == {(blame["actor"], blame["by"])}, statements
    # The first report said no group had claimed it; nothing else was said.
    assert {kind for kind, *_ in statements} == {"no_claim", "claim", "blame"}, statements
    first_claim = min(at for kind, _, _, at in statements if kind == "claim")
    published = {step["article"]: utc(step["published_at"]) for step in incident["toll_steps"]}
    assert first_claim == published[claim["first_reported_in"]]
    assert rows(
        analyst,
        "select perpetrator_name, perpetrator_status, claimed_by, blamed_on, attribution_class "
        "from marts.fct_attacks where event_id = ?",
        ain_al_asad,
    ) == [
        (
            perpetrator["name"],
            perpetrator["status"],
            claim["actor"],
            f"{blame['actor']} (by {blame['by']})",
            "claimed",
        )
    ]


def test_its_dead_by_nationality(analyst, answers, ain_al_asad):
    expected: dict[str, int] = {}
    for group in answers["multi_outlet_incident"]["final_casualty_groups"]:
        if group["status"] == "killed" and group["nationality"]:
            expected[group["nationality"]] = expected.get(group["nationality"], 0) + group["low"]
    got = dict(
        rows(
            analyst,
            "select nationality_code, best_count from marts.fct_casualties_by_nationality "
            "where event_id = ? and casualty_status = 'killed'",
            ain_al_asad,
        )
    )
    assert got == expected


def test_two_attacks_in_one_city_on_one_day_stay_two(analyst, answers, article_ids):
    same_day = answers["same_day_same_city_distinct"]
    found = {}
    for incident in same_day["incidents"]:
        article_id = article_ids[article_key(incident["record"])]
        found[incident["incident"]] = (
            events_reported_as_news(analyst, article_id, same_day["date"]),
            reports_of(analyst, article_id),
        )
    events = [event for found_events, _ in found.values() for event in found_events]
    assert len(events) == len(set(events)) == 2, found
    attacks_that_day = rows(
        analyst,
        "select event_id, country_code, place_name, attack_type from marts.fct_attacks "
        "where start_date = ? order by all",
        date.fromisoformat(same_day["date"]),
    )
    assert sorted(event for event, *_ in attacks_that_day) == sorted(events), attacks_that_day


def _background_cases() -> list[dict[str, Any]]:
    return json.loads(EXPECTED.read_text(encoding="utf-8"))["analyst_answers"][
        "background_mentions"
    ]


@pytest.mark.parametrize(
    "mention", _background_cases(), ids=lambda mention: mention.get("joins") or mention["record"]
)
def test_a_background_mention_joins_its_incident(analyst, article_ids, mention):
    # "A week after the Nov. 9 ambush": the earlier attack gains a report, not a twin; an
    # older incident with no story of its own stays one background-only attack.
    background_article = article_ids[article_key(mention["record"])]
    if mention["joins"]:
        found = rows(
            analyst,
            "select count(*) from marts.fct_event_reports as recalled "
            "inner join marts.fct_event_reports as news using (event_id) "
            "where recalled.article_id = ? and recalled.is_background "
            "and news.article_id = ? and not news.is_background",
            background_article,
            article_ids[article_key(mention["joins_record"])],
        )
    else:
        found = rows(
            analyst,
            "select count(*) from marts.fct_event_reports as r "
            "inner join marts.fct_attacks as a using (event_id) "
            "where r.article_id = ? and r.is_background and a.is_background_only "
            "and a.mention_count = 1",
            background_article,
        )
    assert found == [(1,)], reports_of(analyst, background_article)


def test_the_aggregate_is_only_an_aggregate_statement(analyst, answers, article_ids):
    totals = answers["totals"]
    for aggregate in answers["aggregates"]:
        article_id = article_ids[article_key(aggregate["record"])]
        statements = rows(
            analyst,
            "select incident_count, killed_low, killed_high from marts.fct_aggregate_statements "
            "where article_id = ?",
            article_id,
        )
        killed = aggregate["killed"]
        assert statements == [(aggregate["count"], killed["low"], killed["high"])]
        # Its period and toll never became an attack of their own.
        leaked = rows(
            analyst,
            "select event_key, start_date, killed_low from marts.fct_event_reports "
            "where article_id = ? and (start_date = ? or killed_low = ?)",
            article_id,
            date.fromisoformat(aggregate["date_start"]),
            killed["low"],
        )
        assert leaked == []
    assert rows(analyst, "select count(*) from marts.fct_aggregate_statements") == [
        (totals["aggregate_records"],)
    ]


def _non_violent() -> list[str]:
    document = json.loads(EXPECTED.read_text(encoding="utf-8"))
    return [story["article"] for story in document["analyst_answers"]["non_violent"]]


@pytest.mark.parametrize("article", _non_violent())
def test_non_violent_news_makes_no_event(analyst, article_ids, article):
    # A parliament vote, a defused bomb, a flood, a peaceful march.
    article_id = article_ids[article]
    assert reports_of(analyst, article_id) == []
    aggregates = "select count(*) from marts.fct_aggregate_statements where article_id = ?"
    assert rows(analyst, aggregates, article_id) == [(0,)]


def test_the_number_of_attacks(analyst, answers):
    # 19 incidents, 17 of them reported as news (two are only recalled as background).
    totals = answers["totals"]
    attacks = rows(
        analyst,
        "select a.start_date, a.country_code, a.place_name, a.attack_type, a.is_background_only, "
        "list(distinct r.source_id || ': ' || r.article_title || ' #' || r.event_key) "
        "from marts.fct_attacks as a inner join marts.fct_event_reports as r using (event_id) "
        "group by all order by all",
    )
    counts = (len(attacks), sum(1 for attack in attacks if not attack[4]))
    listing = "\n".join(map(str, attacks))
    assert counts == (
        totals["distinct_incidents"],
        totals["distinct_incidents_reported_as_news"],
    ), listing


def readme_example_queries() -> list[str]:
    """The SQL blocks of the README's "Example queries" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Example queries\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


def test_the_readme_example_queries_answer_on_the_samples(analyst, answers):
    # What a reader pastes into `duckdb -readonly warehouse/conflict_analyst.duckdb`.
    bases, statements, history = readme_example_queries()
    place = answers["multi_outlet_incident"]["location"]["name"]
    attacks_on_bases = rows(analyst, bases)
    assert any(row[1] and place.startswith(row[1]) for row in attacks_on_bases), attacks_on_bases
    assert rows(analyst, statements)
    assert [row[:2] for row in rows(analyst, history)][-1] == ("observed", 1)
