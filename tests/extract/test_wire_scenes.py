"""Wire copy that wraps lines inside date phrases, and attacks told after their scene.

Invented stories in the manner of 1980s wire services and agency reports.
"""

from __future__ import annotations

from pipelines.extract import assemble, gazetteer
from pipelines.extract.events import Incident, Mention
from pipelines.extract.places import PlaceMention

from .articles import extract_text


def _place_names(records: list[dict]) -> list[str]:
    return sorted((r["location"] or {}).get("name") or "" for r in records)


def test_a_line_break_inside_this_morning_still_dates_the_attack_today() -> None:
    text = (
        "BOGOTA, 27 AUG 89 (WIRE) -- [TEXT] THE MINISTER OF JUSTICE HAS RESIGNED.\n\n"
        "   MEANWHILE, CALI POLICE ANNOUNCED THAT, EARLY THIS\n"
        "MORNING, UNIDENTIFIED PERSONS PLACED SIX BOMBS IN BANK BRANCHES. FOUR OF\n"
        "THESE BOMBS EXPLODED, CAUSING DAMAGE, BUT THERE WERE NO VICTIMS.\n\n"
        "   THE MINISTER WENT TO THE UNITED STATES ON 25 AUGUST TO PRESENT A\n"
        "SECURITY PLAN FOR JUDGES."
    )
    [record] = extract_text(text, "1989-08-27")
    assert record["attack_type"] == "bombing"
    assert record["date_start"] == "1989-08-27"


def test_the_scene_set_before_they_attacked_dates_and_places_the_attack() -> None:
    text = (
        "Lima, 10 Dec 88 (Agency) -- [Text] Engineers working in the highlands are asking "
        "for protection.\n\n"
        "   According to reports, a group of terrorists last Wednesday entered the locality "
        "of Huancayo, Junin Department, and gathered the people in the main square. They "
        "took two engineers out of their offices and shot them to death.\n\n"
        "   Last Sunday, terrorists murdered four farmers in the small town of Andahuaylas, "
        "in the southern department of Apurimac."
    )
    records = {r["date_start"]: r for r in extract_text(text, "1988-12-10")}
    assert records["1988-12-07"]["location"]["name"] == "Huancayo"
    assert "1988-12-04" in records


def test_another_target_hit_elsewhere_is_an_attack_of_its_own() -> None:
    text = (
        "Bogota, 24 Oct 88 (Agency) -- [Text] Guerrillas ambushed a military convoy in Huila "
        "Department today, killing 12 soldiers.\n\n"
        "   Suspected guerrillas dynamited a bridge in Cali, injuring four people. Another "
        "bridge was blown up in Santander Department."
    )
    places = _place_names(extract_text(text, "1988-10-24"))
    assert places == ["Cali", "Huila", "Santander"]


def test_a_second_bomb_at_the_same_site_is_the_same_attack() -> None:
    text = (
        "On 22 February 2011, a bomb exploded outside a hotel in Moriani Beach, Corsica, "
        "France. A second bomb, which had not detonated, was later discovered and removed "
        "by security forces. Another soldier was killed in the blast."
    )
    assert len(extract_text(text, "2011-02-23")) == 1


def test_a_town_measured_from_the_city_of_another_attack_is_elsewhere() -> None:
    text = (
        "Lima, 1 Apr 90 (Agency) -- [Text] Seven bank branches were attacked and seriously "
        "damaged in Lima. In Huacho, a small town 150 km from Lima, terrorists bombed a "
        "radio station."
    )
    places = _place_names(extract_text(text, "1990-04-01"))
    assert places == ["Huacho", "Lima"]


def test_the_place_told_closer_up_south_of_the_city_is_the_same_attack() -> None:
    text = (
        "Iraqi officials say Islamic State militants have attacked a police base in a town "
        "used as a staging ground for the Mosul offensive, killing one policeman.\n\n"
        "A police spokesman said that three IS fighters attacked the base Sunday in Hamam "
        "al-Alil, some 30 kilometers south of Mosul."
    )
    assert len(extract_text(text, "2021-05-31")) == 1


def test_a_summary_of_attacks_told_one_by_one_is_an_aggregate() -> None:
    text = (
        "BOGOTA, 25 SEP 89 (AGENCY) -- [TEXT] THE POLICE HAVE REPORTED THAT THREE TERRORIST "
        "ATTACKS HERE IN BOGOTA AND IN THE CARIBBEAN PORT OF CARTAGENA LEFT TWO DEAD.\n\n"
        "   A BOMB EXPLODED IN A HOTEL IN CARTAGENA, KILLING TWO PEOPLE. ALMOST SIMULTANEOUSLY A "
        "SECOND BOMB DAMAGED A BANK.\n\n"
        "   MEANWHILE, IN BOGOTA, A BOMB EXPLODED AT AN OFFICE OF THE ELECTRIC COMPANY IN THE "
        "SUBURB OF SUBA."
    )
    records = extract_text(text, "1989-09-25")
    kinds = sorted(r["kind"] for r in records)
    assert kinds == ["aggregate", "incident", "incident"]


def test_one_of_two_related_attacks_is_the_incident_itself() -> None:
    text = (
        "On Sunday, in Mogadishu, Somalia, in one of two related attacks, militants kidnapped "
        "two men accused of spying. The two men were later executed by al-Shabaab militants "
        "in the district of Daynile in Mogadishu."
    )
    assert all(r["kind"] == "incident" for r in extract_text(text, "2011-09-01"))


def test_a_foreign_bureau_dateline_is_not_where_the_attack_was() -> None:
    text = (
        "MADRID (SPAIN), 19 NOV 89 (RADIO) -- [TEXT] THE BODIES OF THE SPANISH PRIESTS "
        "MURDERED LAST FRIDAY BY UNIFORMED MEN WERE BURIED IN SAN SALVADOR TODAY. THE SPANISH "
        "GOVERNMENT HAS ASKED FOR AN INVESTIGATION."
    )
    [record] = extract_text(text, "1989-11-19")
    assert record["location"]["country_code"] == "SV"


def test_a_country_named_in_passing_does_not_take_the_attack_abroad() -> None:
    """The story is Salvadoran and filed from San Salvador; its only place besides is
    "returned from Panama" in a clause that tells no attack."""
    gaz = gazetteer.load()

    def place(name: str, start: int, country: str, kind: str) -> PlaceMention:
        pm = PlaceMention(start, start + len(name), name, candidates=gaz.lookup(name))
        pm.resolved = next(c for c in pm.candidates if (c.country, c.kind) == (country, kind))
        return pm

    panama = place("Panama", 120, "PA", "country")
    panama.locative = True
    attack = Mention(0, 60, 0, is_event=True)
    aside = Mention(61, 200, 1, places=[panama])
    dateline = place("San Salvador", 0, "SV", "city")
    loc, _ = assemble.location(Incident([attack, aside]), dateline, "SV", {"SV", "PA"})
    assert loc["country_code"] == "SV"


def test_tolls_summed_over_a_month_are_aggregates_and_last_nights_bombing_is_news() -> None:
    text = (
        "Lima, 2 Dec 88 (Agency) -- [Text] Presumed Shining Path extremists ambushed and "
        "killed 68 peasants in the locality of Balcon, north of Ayacucho, on 22 November.\n\n"
        "   The wave of violence has hit tourist establishments in the city of Huaraz, where "
        "four inns were bombed last night.\n\n"
        "   Senator Bernales reported that 630 people were killed in violent acts in November. "
        "A total of 227 people were killed in urban violent acts."
    )
    records = extract_text(text, "1988-12-02")
    incidents = {r["date_start"]: r for r in records if r["kind"] == "incident"}
    assert incidents["1988-11-22"]["killed"]["low"] == 68
    assert incidents["1988-12-01"]["attack_type"] == "bombing"
    assert any(r["kind"] == "aggregate" for r in records)


def test_an_attack_verb_after_a_definite_subject_tells_an_attack() -> None:
    text = (
        "POPAYAN, 23 MAR 90 (RADIO) -- [TEXT] THE FARC MEMBERS BLEW UP A POWER SUBSTATION "
        "AND A POWER PYLON NEAR POPAYAN EARLY TODAY. A LARGE SECTION OF THE VALLEY WAS LEFT "
        "WITHOUT ELECTRICITY."
    )
    [record] = extract_text(text, "1990-03-23")
    assert record["attack_type"] == "bombing"
    assert record["date_start"] == "1990-03-23"
