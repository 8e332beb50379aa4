"""People's names, compass quarters and everyday compounds are not places.

Invented local-news stories in the manner of American papers: names that are also towns or
regions elsewhere ("Mary" is a province of Turkmenistan, "Payne" a town in Ohio) must not
pull the incident abroad.
"""

from __future__ import annotations

from datetime import date

from pipelines.extract import persons
from pipelines.extract.text import make_doc

from .articles import extract_text


def test_speakers_introduced_and_aged_names_are_people() -> None:
    doc = make_doc(
        'Police said Nicholas Glenn, 25, opened fire. "I was shot," said Mary. '
        "A 24-year-old Sundra Payne fled. A man named Ortiz was held. Police identified him as "
        "Gerald Sykes. Ortega, the owner, fled. Officials said in "
        "Houston that the city was calm.",
        date(2020, 1, 1),
    )
    people = persons.person_names(doc)
    assert {"nicholas glenn", "glenn", "mary", "sundra payne", "payne", "ortiz", "ortega"} <= people
    assert "houston" not in people and "in" not in people
    assert persons.is_person("Glenn's", people) and persons.is_person("Syke's", people)


def test_people_in_wire_capitals() -> None:
    doc = make_doc(
        "THE ARMY SAID IN SAN SALVADOR THAT RODRIGUEZ, 34, WAS KILLED, SAID PABLO.",
        date(1990, 1, 1),
    )
    people = persons.person_names(doc)
    assert {"rodriguez", "pablo"} <= people
    assert not {"san", "salvador", "in"} & people


def test_words_after_a_given_name_are_a_surname_unless_the_article_goes_there() -> None:
    doc = make_doc(
        "Police say Gerald Sykes was shot at home. IN WHICH GONZALO RODRIGUEZ GACHA DIED. "
        "Photo: Mark Keszler Salinas police. She drove to Salinas. Suspects Travonte Berry, "
        "20, and Michael C. Melon, 18. The Luis Carlos Galan Airport reopened.",
        date(2020, 1, 1),
    )
    people = persons.person_names(doc)
    assert {"sykes", "rodriguez", "gacha", "gonzalo", "keszler", "melon", "berry"} <= people
    assert "salinas" not in people  # the article also goes to Salinas
    assert "galan" not in people and "airport" not in people


def test_a_speaker_named_like_a_foreign_region_does_not_move_the_shooting() -> None:
    text = (
        "Memphis police are searching for a woman who shot five people inside a nightclub "
        "early Saturday.\n\n"
        '"I was like, I\'m shot," said Mary. "Everybody was running around."\n\n'
        "Mary hopes the shooter will turn herself in. Police said Mary was one of five "
        "people hit."
    )
    [record] = extract_text(text, "2013-02-04")
    location = record["location"] or {}
    assert location.get("country_code") in (None, "US")
    assert location.get("name") != "Mary"


def test_a_city_quarter_is_not_a_region_abroad() -> None:
    text = (
        "D.C. police are investigating a shooting in Southwest that left three men and two "
        "women injured early Sunday morning, police said."
    )
    [record] = extract_text(text, "2014-08-10")
    assert (record["location"] or {}).get("country_code") in (None, "US")


def test_a_state_named_after_an_island_and_french_doors_stay_american() -> None:
    text = (
        "New Jersey State troopers shot a 76-year-old man inside his own home in Upper "
        "Deerfield Township late Friday after a 911 call was traced to the wrong house. "
        "They fired through the French doors, his family said. Troopers were taken to a "
        "hospital in Vineland and released."
    )
    [record] = extract_text(text, "2016-07-30")
    assert record["location"]["country_code"] == "US"


def test_plurals_of_everyday_words_in_capitals_are_not_towns() -> None:
    text = (
        "BOGOTA, 3 OCT 89 (RADIO) -- [TEXT] THE COURT UPHELD THE IMPLEMENTATION OF FINES "
        "AND PROCEDURES ISSUED ON 18 AUGUST, THE SAME DAY SENATOR LUIS GALAN WAS ASSASSINATED."
    )
    for record in extract_text(text, "1989-10-03"):
        assert (record["location"] or {}).get("country_code") in (None, "CO")
