"""Attack phrases and place chains of incident summaries.

Invented summaries in the manner of GTD's incident descriptions.
"""

from __future__ import annotations

import pytest

from .articles import extract_text


@pytest.mark.parametrize(
    ("text", "attack_type"),
    [
        (
            "On Friday, near Sui, Balochistan, Pakistan, unidentified militants planted "
            "explosive material on a gas well, causing the well to be destroyed.",
            "bombing",
        ),
        (
            "On Monday, in a village in Palamau, Jharkhand, India, militants stopped a jeep, "
            "ordered the workers out and set it on fire.",
            "facility_attack",
        ),
        (
            "On Thursday afternoon, in the town center of Beledweyne, Hiiraan, Somalia, "
            "militants stoned a man to death after an Islamic court sentenced him.",
            "armed_assault",
        ),
    ],
)
def test_summary_phrases_tell_an_attack(text: str, attack_type: str) -> None:
    [record] = extract_text(text, "2011-06-17")
    assert record["attack_type"] == attack_type


def test_a_place_chain_ends_at_its_country() -> None:
    text = (
        "On Sunday night, in Kabul, Kabul, Afghanistan, the US embassy compound was attacked "
        "by an Afghan security worker. One US citizen was killed."
    )
    [record] = extract_text(text, "2011-09-26")
    assert record["location"]["country_code"] == "AF"


def test_the_date_the_summary_opens_on_dates_the_attack_not_the_later_statement() -> None:
    text = (
        "On Thursday morning around 0700, in Kingking village, Pantukan, Compostela Valley, "
        "Philippines, suspected militants flagged down four motorcycles carrying security "
        "guards. One guard was shot and killed when he tried to resist. On 05/16/2011, a "
        "spokesperson of the group reported that the guns were taken."
    )
    [record] = extract_text(text, "2011-05-15")
    assert record["date_start"] == "2011-05-12"
