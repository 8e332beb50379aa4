"""The warehouse's conclusions on the bundled samples, given a perfect extractor.

raw/samples/expected.json holds, for every sample article, the records a perfect extractor
returns and, under analyst_answers, what the warehouse must conclude across articles (which
mentions are one incident, the final tolls). This lands those records as the extractor
would and checks dbt's event resolution against that answer key.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines import settings as settings_module

pytestmark = pytest.mark.e2e

EXPECTED = settings_module.PROJECT_ROOT / "raw" / "samples" / "expected.json"


@pytest.fixture(scope="module")
def resolved(gold_build):
    """The gold build (tests/e2e/conftest.py) and expected.json's analyst answers."""
    document = json.loads(EXPECTED.read_text(encoding="utf-8"))
    con = duckdb.connect(str(gold_build), read_only=True)
    yield document["analyst_answers"], con
    con.close()


def test_mentions_group_into_the_expected_incidents(resolved):
    answers, con = resolved
    groups: dict[str, set[str]] = {}
    for event_id, article_id, event_key in con.execute(
        "select event_id, article_id, event_key from marts.fct_event_reports"
    ).fetchall():
        groups.setdefault(event_id, set()).add(f"{article_id}#{event_key}")
    expected = sorted(sorted(incident["mentions"]) for incident in answers["incidents"])
    assert sorted(sorted(group) for group in groups.values()) == expected


def test_incident_totals(resolved):
    answers, con = resolved
    totals = answers["totals"]
    news = con.execute(
        "select count(*), count(*) filter (where not is_background_only) from marts.fct_attacks"
    ).fetchone()
    assert news == (totals["distinct_incidents"], totals["distinct_incidents_reported_as_news"])
    aggregates = con.execute("select count(*) from marts.fct_aggregate_statements").fetchone()
    assert aggregates == (totals["aggregate_records"],)


def test_the_multi_outlet_toll_is_the_final_one(resolved):
    answers, con = resolved
    incident = answers["multi_outlet_incident"]
    final_killed, final_wounded = incident["final_killed"], incident["final_wounded"]
    row = con.execute(
        "select a.killed_low, a.killed_high, a.wounded_low, a.wounded_high, a.source_count, "
        "a.perpetrator_name, a.perpetrator_status from marts.fct_attacks as a "
        "where a.event_id in (select event_id from marts.fct_event_reports where article_id = ?)",
        [incident["toll_steps"][0]["article"]],
    ).fetchone()
    assert row == (
        final_killed["low"],
        final_killed["high"],
        final_wounded["low"],
        final_wounded["high"],
        len(incident["outlets"]),
        incident["perpetrator"]["name"],
        incident["perpetrator"]["status"],
    )
