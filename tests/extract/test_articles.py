"""Whole articles through `extract_article`: what a reader of each article would expect."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from pipelines.extract import ArticleError, extract_article

from .articles import ARTICLES, GROUP_SPELLINGS, claim_article


def extract(article_id: str) -> list[dict[str, Any]]:
    return extract_article(ARTICLES[article_id])


def incidents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["kind"] == "incident"]


def news(records: list[dict[str, Any]]) -> dict[str, Any]:
    """The incident the article reports as news (the first one not told as context)."""
    found = [r for r in incidents(records) if not r["is_background"]]
    assert found, f"no news incident among {records}"
    return found[0]


def test_gtd_style_summary() -> None:
    # "On Monday, in <town>, <province>, <country>, unknown gunmen shot and killed ..."
    records = extract("gtd-kandahar")
    assert len(incidents(records)) == 1
    r = news(records)
    assert r["attack_type"] == "armed_assault"
    assert "firearm" in r["weapons"]
    assert (r["date_start"], r["date_end"], r["date_precision"]) == (
        "2016-05-09",
        "2016-05-09",
        "day",
    )
    assert r["location"]["country_code"] == "AF"
    assert r["killed"] == {"low": 2, "high": 2, "qualifier": "exact"}
    assert r["perpetrator"] == {"name": None, "status": "unknown"}
    assert "no_claim" in {a["type"] for a in r["attributions"]}


def test_acled_style_note_codes_the_bracketed_place() -> None:
    # "near Leego village (Burhakaba, Bay)": the village, in Bay region of Somalia.
    r = news(extract("acled-leego"))
    assert r["location"]["name"] == "Leego"
    assert r["location"]["admin1"] == "Bay"
    assert r["location"]["country_code"] == "SO"
    assert r["date_start"] == r["date_end"] == "2021-08-28"
    assert r["killed"] == {"low": 3, "high": 3, "qualifier": "exact"}


@pytest.mark.parametrize(
    ("article_id", "perpetrator", "attributions"),
    [
        # "X claimed responsibility in a statement on Telegram": claimed.
        pytest.param(
            "claim-mogadishu",
            {"name": "Al Shabaab", "status": "claimed"},
            [{"type": "claim", "actor": "Al Shabaab"}],
            id="claim-on-telegram",
        ),
        # "No group has claimed ..., but Washington blamed Kataib Hezbollah": who blames whom.
        pytest.param(
            "blame-taji",
            {"name": "Kataib Hezbollah", "status": "blamed"},
            [
                {"type": "no_claim"},
                {"type": "blame", "actor": "Kataib Hezbollah", "by": "United States"},
            ],
            id="washington-blames",
        ),
        # "Suspected Boko Haram militants killed ...": suspected, not stated.
        pytest.param(
            "suspect-nganzai",
            {"name": "Boko Haram", "status": "suspected"},
            [{"type": "suspect", "actor": "Boko Haram"}],
            id="suspected-group",
        ),
        # "Al Shabaab attacked ...": the group is the subject, so stated.
        pytest.param(
            "stated-jowhar", {"name": "Al Shabaab", "status": "stated"}, [], id="group-as-subject"
        ),
        # "Al Shabaab militants attacked ..." (ACLED's usual wording): stated as well.
        pytest.param(
            "acled-leego",
            {"name": "Al Shabaab", "status": "stated"},
            [],
            id="group-militants-as-subject",
        ),
        # "unknown gunmen", "No group claimed responsibility": nobody.
        pytest.param(
            "gtd-kandahar",
            {"name": None, "status": "unknown"},
            [{"type": "no_claim"}],
            id="unknown-gunmen-no-claim",
        ),
    ],
)
def test_perpetrator_and_attributions(
    article_id: str, perpetrator: dict[str, Any], attributions: list[dict[str, Any]]
) -> None:
    r = news(extract(article_id))
    assert {k: r["perpetrator"][k] for k in ("name", "status")} == perpetrator
    for expected in attributions:
        assert any(a.items() >= expected.items() for a in r["attributions"]), (
            f"{expected} not among {r['attributions']}"
        )


@pytest.mark.parametrize(
    ("article_id", "name", "country"),
    [
        # A GTD chain "in Kandahar city, Kandahar province, Afghanistan".
        pytest.param("gtd-kandahar", "Kandahar", "AF", id="gtd-chain"),
        # The ACLED bracket "(Burhakaba, Bay)" locates a village the gazetteer may lack.
        pytest.param("acled-leego", "Leego", "SO", id="acled-bracket"),
        # "in Karachi on Friday": a weekday after the city must not hide the city.
        pytest.param("place-karachi", "Karachi", "PK", id="city-then-weekday"),
        # A curated base "north of Baghdad" is the Iraqi one.
        pytest.param("blame-taji", "Taji", "IQ", id="base-north-of-capital"),
        # The Kabul dateline is where the report was filed; the attack was in Kandahar.
        pytest.param("dateline-kabul", "Kandahar", "AF", id="dateline-is-not-the-place"),
        # All capitals: the town in the body, not the dateline's capital.
        pytest.param("caps-soyapango", "Soyapango", "SV", id="all-caps-body-town"),
    ],
)
def test_place_of_the_news_incident(article_id: str, name: str, country: str) -> None:
    loc = news(extract(article_id))["location"]
    assert loc is not None
    assert loc["country_code"] == country
    assert (loc["name"] or "").casefold() == name.casefold()


@pytest.mark.parametrize(
    ("article_id", "day"),
    [
        # "On Monday" in a Tuesday paper.
        pytest.param("gtd-kandahar", date(2016, 5, 9), id="on-monday"),
        # "on Saturday" in a Monday paper.
        pytest.param("suspect-nganzai", date(2019, 7, 27), id="on-saturday"),
        # "late Monday night, the coalition said Tuesday" in a Wednesday paper: Monday.
        pytest.param("statement-besmaya", date(2020, 3, 16), id="statement-day-is-not-event-day"),
        # "LAST NIGHT" in copy filed on 4 February 1990.
        pytest.param("caps-soyapango", date(1990, 2, 3), id="all-caps-last-night"),
        # A dateline "KABUL, May 12" dates the report; the attack was "on Monday".
        pytest.param("dateline-kabul", date(2021, 5, 10), id="dateline-date-is-not-event-day"),
        # All capitals: "ON 2 FEBRUARY" in the body beats the dateline's "4 FEB 90".
        pytest.param("caps-dated", date(1990, 2, 2), id="all-caps-body-date"),
    ],
)
def test_date_of_the_news_incident(article_id: str, day: date) -> None:
    r = news(extract(article_id))
    start, end = date.fromisoformat(r["date_start"]), date.fromisoformat(r["date_end"])
    assert start <= day <= end, (r["date_start"], r["date_end"])
    # A night may run past midnight; anything wider is not a day-precise answer.
    assert end - start <= timedelta(days=1)


def test_no_mention_of_casualties_leaves_tolls_unknown() -> None:
    # "The statement made no mention of casualties": null, not zero.
    r = news(extract("statement-besmaya"))
    assert r["attack_type"] == "shelling"
    assert "rocket" in r["weapons"]
    assert r["location"]["country_code"] == "IQ"
    assert r["killed"] is None
    assert r["wounded"] is None


def test_all_caps_wire_copy() -> None:
    records = extract("caps-soyapango")
    assert len(incidents(records)) == 1
    r = news(records)
    assert r["attack_type"] == "armed_assault"
    assert "firearm" in r["weapons"]
    assert r["killed"] == {"low": 2, "high": 2, "qualifier": "exact"}
    assert r["wounded"] == {"low": 3, "high": 3, "qualifier": "exact"}


@pytest.mark.parametrize(
    "article_id",
    [
        "nonviolent-protest",  # a peaceful march escorted by police
        "nonviolent-earthquake",  # a natural disaster with a large toll
        "nonviolent-arrest",  # an arrest over planned attacks, after a police raid
        "nonviolent-vote",  # a parliament vote on the security forces' budget
        "nonviolent-defused",  # a bomb found and defused
        "nonviolent-defused-described",  # the same, with the device's charge described
    ],
)
def test_non_violent_news_yields_no_incident(article_id: str) -> None:
    assert incidents(extract(article_id)) == []


def test_cumulative_statement_is_an_aggregate_never_an_incident() -> None:
    # "Since January, 40 attacks have killed at least 200 people"
    records = extract("aggregate-burkina")
    assert incidents(records) == []
    (agg,) = records
    assert agg["kind"] == "aggregate"
    assert agg["killed"] == {"low": 200, "high": None, "qualifier": "at_least"}
    assert agg["date_start"] == "2021-01-01"
    assert agg["date_end"] == "2021-06-01"
    assert agg.get("count", 40) == 40


def test_cumulative_statement_after_news_adds_no_incident() -> None:
    records = extract("aggregate-after-news")
    (incident,) = incidents(records)
    assert not incident["is_background"]
    assert incident["killed"] == {"low": 11, "high": 11, "qualifier": "exact"}
    assert incident["date_start"] == "2021-05-30"
    assert [r["kind"] for r in records].count("aggregate") == 1


def test_earlier_attack_told_as_context_is_background() -> None:
    records = extract("background-gao")
    r = news(records)
    assert r["attack_type"] == "bombing"
    assert r["date_start"] == "2021-11-19"
    assert r["killed"] == {"low": 4, "high": 4, "qualifier": "exact"}
    background = [x for x in incidents(records) if x["is_background"]]
    assert len(background) == 1
    (earlier,) = background
    # "In September": the whole of last September.
    assert (earlier["date_start"], earlier["date_end"]) == ("2021-09-01", "2021-09-30")
    assert earlier["date_precision"] == "month"
    assert earlier["killed"] == {"low": 2, "high": 2, "qualifier": "exact"}


@pytest.mark.parametrize("spelling", GROUP_SPELLINGS)
def test_group_names_match_in_any_case_and_article_form(spelling: str) -> None:
    # Dictionary matching ignores case and accepts "al-", "al " and "Al " forms.
    r = news(extract_article(claim_article(spelling)))
    assert r["perpetrator"]["name"] == "Al Shabaab"
    assert r["perpetrator"]["status"] == "claimed"


@pytest.mark.parametrize(
    ("article", "problem"),
    [
        ({"article_id": "a", "published_at": "2021-01-01"}, "text"),
        ({"article_id": "a", "published_at": "2021-01-01", "text": None}, "text"),
        ({"published_at": "2021-01-01", "text": "Gunmen killed two."}, "article_id"),
        ({"article_id": "a", "text": "Gunmen killed two."}, "published_at"),
        ({"article_id": "a", "published_at": "last Tuesday", "text": "x"}, "published_at"),
    ],
)
def test_malformed_article_is_rejected_with_the_field_named(article: dict, problem: str) -> None:
    with pytest.raises(ArticleError, match=problem):
        extract_article(article)
