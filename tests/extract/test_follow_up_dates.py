"""Follow-up stories: the attack's date, not the date of an arrest or of a later post.

Invented local-news stories in the manner of American papers.
"""

from __future__ import annotations

from .articles import extract_text


def test_it_happened_dates_the_shooting_and_the_arrest_date_does_not() -> None:
    text = (
        "Police have arrested a third man in connection with the September shooting that "
        "killed one and wounded four in Bridgeport.\n\n"
        "It happened the afternoon of Sept. 10 outside a market on Grand Avenue.\n\n"
        "Another alleged gunman, 19-year-old Riki Moore, was arrested Sept. 16."
    )
    [record] = extract_text(text, "2014-03-10")
    assert record["date_start"] == "2013-09-10"


def test_a_date_right_after_the_attack_word_is_the_attacks() -> None:
    text = (
        "A man who was shot in the head during the nightclub attack last month thanked "
        "people for their support Sunday in a Facebook post."
    )
    [record] = extract_text(text, "2016-07-26")
    assert record["date_start"] <= "2016-06-30" and record["date_end"] >= "2016-06-01"


def test_birth_dates_in_a_victim_list_are_not_the_date_and_dashed_dates_read() -> None:
    text = (
        "This is a follow up press release from the murder suicide investigation.\n\n"
        "SUSPECT\n\nJohn Q. Sample 07/04/1988 DECEASED, self-inflicted gunshot wound\n\n"
        "VICTIM\n\nAlex R. Example 03/02/1990 DECEASED\n\n"
        "On 01-22-2017 at 1:32 AM the Sheriff's Office received a call from a man who said "
        "he had shot his wife in the 200 block of Oak Shore Drive, Manvel, Texas."
    )
    records = extract_text(text, "2017-01-23")
    assert records and {r["date_start"] for r in records} == {"2017-01-22"}


def test_a_victim_killed_on_a_named_day_dates_the_story_told_after() -> None:
    text = (
        "WHITE OAK (Station) - An 11-year-old boy has been sentenced after he was found guilty "
        "of the murder of an 8-year-old girl.\n\n"
        "Jane Example, a student at White Oak Elementary, was killed October 3, 2015, outside "
        "her home.\n\n"
        "The judge wrote that the boy went inside and came back with a shotgun.\n\n"
        '"He then cocked the hammer of the gun and shot the victim," the court order read.'
    )
    records = extract_text(text, "2016-02-04")
    assert [r["date_start"] for r in records if not r["is_background"]] == ["2015-10-03"]
