"""Killed and wounded from one sentence: counts, victim groups, nationality, zero and unknown."""

from __future__ import annotations

from typing import Any

import pytest

from pipelines.extract import lexicon
from pipelines.extract.casualties import KILLED, WOUNDED, Fact, find_facts, total
from pipelines.extract.text import fold, is_all_caps


def facts(sentence: str) -> list[Fact]:
    """Facts as the extractor reads them: demonyms found by the dictionary, offsets mapped
    to ISO codes (the map `find_facts` expects)."""
    low = fold(sentence)
    hits = lexicon.get().scan(sentence, low, is_all_caps(sentence))
    demonyms = {h.start: h.entry.value for h in hits if h.entry.category == "demonym"}
    return find_facts(low, 0, len(low), demonyms, sentence)


def toll(low: int, high: int | None, qualifier: str = "exact") -> dict[str, Any]:
    return {"low": low, "high": high, "qualifier": qualifier}


@pytest.mark.parametrize(
    ("sentence", "killed", "wounded"),
    [
        # The classic lead: a participle pair with a qualifier on the first count.
        pytest.param(
            "A car bomb exploded outside the courthouse, killing at least three people and "
            "wounding 30 others.",
            toll(3, None, "at_least"),
            toll(30, 30),
            id="participle-pair-with-qualifier",
        ),
        # Two groups sharing one verb add up.
        pytest.param(
            "Three soldiers and three police officers were killed when their convoy was ambushed.",
            toll(6, 6),
            None,
            id="two-groups-one-verb",
        ),
        # A pronoun victim: one person.
        pytest.param(
            "Gunmen stopped the judge's car on the highway and opened fire, killing him.",
            toll(1, 1),
            None,
            id="pronoun-victim",
        ),
        # A singular victim named by relation.
        pytest.param(
            "A grenade was thrown into the house and his wife was killed.",
            toll(1, 1),
            None,
            id="relation-victim",
        ),
        # A singular victim described by age (local crime news).
        pytest.param(
            "A 25-year-old man was killed in the shooting.",
            toll(1, 1),
            None,
            id="age-described-victim",
        ),
        # A toll update.
        pytest.param("The death toll rose to 7 on Thursday.", toll(7, 7), None, id="toll-update"),
        # "including" introduces a subset, not more victims.
        pytest.param(
            "Eleven people were killed, including three women.",
            toll(11, 11),
            None,
            id="including-subset",
        ),
        pytest.param(
            "Eleven people died, among them three children who were killed in their beds.",
            toll(11, 11),
            None,
            id="among-them-subset",
        ),
        # "no one was injured" says nobody was hurt: zero, not unknown.
        pytest.param(
            "The mortar round landed in a parking lot, but no one was injured.",
            toll(0, 0),
            toll(0, 0),
            id="no-one-injured",
        ),
        pytest.param("Nobody was hurt in the blast.", toll(0, 0), toll(0, 0), id="nobody-hurt"),
        # Years, percentages, distances and rounds fired are not people.
        pytest.param(
            "The bombing in 2014 killed 9 people at the market.",
            toll(9, 9),
            None,
            id="year-not-people",
        ),
        pytest.param(
            "Turnout fell to 40 percent after gunmen killed two election workers.",
            toll(2, 2),
            None,
            id="percent-not-people",
        ),
        pytest.param(
            "The convoy was 15 km from the border when 3 soldiers were killed.",
            toll(3, 3),
            None,
            id="distance-not-people",
        ),
        pytest.param(
            "Two rockets landed 300 metres from the embassy late on Sunday.",
            None,
            None,
            id="metres-not-people",
        ),
        pytest.param(
            "The gunmen fired 30 rounds at the bus, wounding a passenger.",
            None,
            toll(1, 1),
            id="rounds-not-people",
        ),
    ],
)
def test_toll(sentence: str, killed: dict | None, wounded: dict | None) -> None:
    fs = facts(sentence)
    assert total(fs, KILLED)[0] == killed
    assert total(fs, WOUNDED)[0] == wounded


def test_no_mention_of_casualties_is_unknown_not_zero() -> None:
    # A military statement that "made no mention of casualties" does not say nobody died.
    fs = facts(
        "The army confirmed the attack in a brief statement, making no mention of casualties."
    )
    assert any(f.is_unknown for f in fs)
    assert total(fs, KILLED)[0] is None
    assert total(fs, WOUNDED)[0] is None


@pytest.mark.parametrize(
    ("sentence", "status", "groups"),
    [
        # Victims listed by nationality after the verb.
        pytest.param(
            "The rockets killed two American contractors and an Iraqi soldier.",
            KILLED,
            {("US", 2), ("IQ", 1)},
            id="listed-after-verb",
        ),
        # The same kind of list as the subject of a passive verb.
        pytest.param(
            "Two Ugandan soldiers and a Somali worker were wounded.",
            WOUNDED,
            {("UG", 2), ("SO", 1)},
            id="passive-subject-list",
        ),
        # "The dead were ..." closing the sentence.
        pytest.param(
            "The dead were two Kenyan teachers and three Somali soldiers.",
            KILLED,
            {("KE", 2), ("SO", 3)},
            id="the-dead-were",
        ),
    ],
)
def test_groups_keep_their_nationality(sentence: str, status: str, groups: set) -> None:
    fs = [f for f in facts(sentence) if f.status == status and not f.is_perpetrator]
    assert {(f.nationality, f.low) for f in fs} == groups
    n = sum(count for _, count in groups)
    assert total(fs, status)[0] == toll(n, n)


@pytest.mark.parametrize(
    "sentence",
    [
        # "the bomber also died": the attacker is counted apart from the victims.
        pytest.param(
            "The blast at the checkpoint killed four policemen, and the bomber also died.",
            id="bomber-also-died",
        ),
        # A suicide bomber who blew himself up is one dead attacker.
        pytest.param(
            "A suicide bomber blew himself up at a police checkpoint, killing four officers.",
            id="bomber-blew-himself-up",
        ),
    ],
)
def test_dead_attacker_is_kept_apart_from_victims(sentence: str) -> None:
    fs = facts(sentence)
    perpetrators = [f for f in fs if f.status == KILLED and f.is_perpetrator]
    assert sum(f.low for f in perpetrators) == 1
    killed, behind = total(fs, KILLED)
    # Victims only in the lower bound; the attacker at most widens the range.
    assert killed["low"] == 4
    assert killed["high"] in (4, 5)
    assert any(not f.is_perpetrator for f in behind)
