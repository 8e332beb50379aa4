"""News pages as the ingest stores them: a headline line above a datelined story, ages
beside tolls, a siege told closer up, and an earlier attack recalled in passing.

Each text is written for these tests; the rules they pin down are general."""

from __future__ import annotations

from typing import Any

from pipelines.extract import extract_article


def run(text: str, published: str = "2026-11-10") -> list[dict[str, Any]]:
    return extract_article({"article_id": "t", "published_at": published, "text": text})


def incidents(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in records if r["kind"] == "incident"]


HEADLINED = (
    "Militants claim ambush that killed three in North Waziristan\n\n"
    "PESHAWAR, Pakistan (Example Wire) — Militants ambushed a convoy near Miran Shah in "
    "Pakistan's North Waziristan district on Monday, killing two soldiers and one "
    "contractor, officials said.\n\n"
    "Four other soldiers were wounded in the firefight, the officials said."
)


def test_a_headline_and_its_story_are_one_incident() -> None:
    found = incidents(run(HEADLINED))
    assert len(found) == 1, found
    r = found[0]
    assert r["killed"] == {"low": 3, "high": 3, "qualifier": "exact"}
    assert r["wounded"] == {"low": 4, "high": 4, "qualifier": "exact"}
    assert r["date_start"] == "2026-11-09"


def test_the_dateline_below_a_headline_is_not_the_place() -> None:
    # "in North Waziristan" ends the headline; it does not introduce PESHAWAR below it.
    (r,) = incidents(run(HEADLINED))
    assert r["location"]["name"] == "Miran Shah"
    assert r["location"]["country_code"] == "PK"


def test_a_headline_about_another_day_stays_apart() -> None:
    text = (
        "Gunmen kill two in Kano on Friday\n\n"
        "KANO — Gunmen shot dead a trader in Kano on Monday, police said."
    )
    found = incidents(run(text, "2026-11-10"))
    assert {r["date_start"] for r in found} == {"2026-11-06", "2026-11-09"}


def test_a_named_unit_after_the_place_name_is_its_kind() -> None:
    text = (
        "GUSAU — Armed bandits abducted 30 people yesterday in a raid on a village in Tsafe "
        "Local Government Area of Zamfara State, police said."
    )
    (r,) = incidents(run(text))
    assert r["location"]["name"] == "Tsafe"
    assert r["location"]["admin1"] == "Zamfara"
    # "bandits" says what the attackers were, not who.
    assert r["perpetrator"] == {"name": None, "status": "unknown"}


def test_ages_beside_a_toll_are_not_counts() -> None:
    text = (
        "JACKSON, Miss. (Example Wire) — Two people died and five were hurt after gunmen "
        "opened fire on a crowd in Jackson on Saturday night, police said. A man of 19 and "
        "a woman of 23 died at the scene. The wounded, aged between 16 and 31, were taken "
        "to hospital."
    )
    (r,) = incidents(run(text, "2026-11-16"))
    assert r["killed"] == {"low": 2, "high": 2, "qualifier": "exact"}
    assert r["wounded"] == {"low": 5, "high": 5, "qualifier": "exact"}


SIEGE = (
    "MOGADISHU — Fighters stormed a hotel in Mogadishu on Thursday evening, killing eight "
    "people in a siege that lasted until Friday, officials said.\n\n"
    "The gunmen opened fire on guards at the gate of the hotel in the Abdiaziz district and "
    "threw grenades into the lobby, a police commander said.\n\n"
    "Six civilians and two police officers were killed and 14 people were wounded, he said.\n\n"
    "The assault came about 10 hours after a suicide car bomb at a checkpoint killed at "
    "least 12 people."
)


def test_the_attackers_told_closer_up_are_the_same_attack() -> None:
    found = [r for r in incidents(run(SIEGE, "2026-11-13")) if not r["is_background"]]
    assert len(found) == 1, found
    r = found[0]
    # Grenades thrown along the way do not make the raid a bombing.
    assert r["attack_type"] in ("armed_assault", "storming")
    assert r["killed"] == {"low": 8, "high": 8, "qualifier": "exact"}
    assert r["wounded"] == {"low": 14, "high": 14, "qualifier": "exact"}
    assert r["location"]["name"] == "Mogadishu"


def test_an_attack_the_news_came_after_is_an_earlier_incident() -> None:
    background = [r for r in incidents(run(SIEGE, "2026-11-13")) if r["is_background"]]
    assert len(background) == 1, background
    r = background[0]
    assert r["attack_type"] == "bombing"
    assert r["killed"] == {"low": 12, "high": None, "qualifier": "at_least"}
    assert r["date_start"] == "2026-11-12"
    # Told as what the news came hours after: the same city, the dateline's.
    assert r["location"]["name"] == "Mogadishu"


def test_a_list_of_the_dead_ends_with_a_single_victim() -> None:
    text = (
        "BAGHDAD — A rocket attack on an air base killed seven people on Monday, the "
        "military said. The dead were two American contractors, four Iraqi soldiers and a "
        "Filipino national employed by a caterer, a statement said."
    )
    (r,) = incidents(run(text, "2026-11-19"))
    groups = {(g["nationality"], g["low"]) for g in r["casualty_groups"] if g["nationality"]}
    assert groups == {("US", 2), ("IQ", 4), ("PH", 1)}


def test_a_list_of_the_dead_does_not_swallow_who_said_it() -> None:
    text = (
        "BAGHDAD — The toll of a rocket attack on an air base rose to five on Monday. The "
        "dead are two American contractors and three Iraqi soldiers, an Iraqi military "
        "official said."
    )
    (r,) = incidents(run(text, "2026-11-19"))
    killed = [g for g in r["casualty_groups"] if g["status"] == "killed" and g["nationality"]]
    assert {(g["nationality"], g["low"]) for g in killed} == {("US", 2), ("IQ", 3)}


def test_a_business_named_like_a_small_town_is_not_the_place() -> None:
    text = (
        "BOGOTA, 6 SEP 89 (RADIO CADENA) -- [TEXT] A BOMB EXPLODED TODAY ON THE SIXTH FLOOR "
        "OF THE HILTON HOTEL IN CARTAGENA, KILLING TWO PEOPLE. ANOTHER BOMB EXPLODED AT THE "
        "PRESTO INSTALLATIONS IN MEDELLIN."
    )
    places = {
        (r["location"] or {}).get("name", "").upper() for r in incidents(run(text, "1989-09-06"))
    }
    assert "HILTON" not in places and "PRESTO" not in places
    assert "CARTAGENA" in places


def test_the_capital_is_a_word_not_a_region_named_capital() -> None:
    text = (
        "SAN SALVADOR, 12 NOV 89 (RADIO VENCEREMOS) -- [TEXT] A DYNAMITE EXPLOSION IN THE "
        "CAPITAL CITY KILLED NINE WORKERS TODAY."
    )
    (r,) = incidents(run(text, "1989-11-12"))
    assert r["location"]["country_code"] == "SV"
