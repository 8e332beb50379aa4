"""Counts in news prose: digits, number words, vague quantities and their qualifiers."""

from __future__ import annotations

import pytest

from pipelines.extract.numbers import find_counts, words_to_int
from pipelines.extract.text import fold


@pytest.mark.parametrize(
    ("sentence", "span", "low", "high", "qualifier"),
    [
        # Plain digits, the usual form in agency copy.
        ("Police said 7 people died in the raid.", "7", 7, 7, "exact"),
        # Thousands separators in disaster-scale tolls.
        ("The ministry counted 1,200 people displaced.", "1,200", 1200, 1200, "exact"),
        # Hyphenated number words at the start of a sentence (style books spell them out).
        ("Twenty-five people were killed.", "twenty-five", 25, 25, "exact"),
        # British "and" inside spelled-out hundreds.
        (
            "Officials said three hundred and six people were missing.",
            "three hundred and six",
            306,
            306,
            "exact",
        ),
        # "a pair of rockets" is exactly two.
        ("A pair of rockets landed near the airbase.", "a pair of", 2, 2, "exact"),
        # "a dozen" is twelve, loosely.
        ("A dozen mortar rounds struck the camp.", "a dozen", 12, 12, "about"),
        # "dozens of" is open-ended from two dozen.
        ("Dozens of people were wounded.", "dozens of", 24, None, "at_least"),
        # "at least N": N or more.
        ("Police said at least 12 people died.", "at least 12", 12, None, "at_least"),
        # "more than N" excludes N itself.
        ("More than 20 people were wounded.", "more than 20", 21, None, "at_least"),
        # "some N" and "about N" are approximations of N.
        ("Some 30 people were wounded, the ministry said.", "some 30", 30, 30, "about"),
        ("About 40 villagers fled to the district town.", "about 40", 40, 40, "about"),
        # A range "N to M".
        ("Residents said 10 to 12 gunmen took part.", "10 to 12", 10, 12, "about"),
        # A range in words, "two or three".
        ("Witnesses saw two or three attackers.", "two or three", 2, 3, "about"),
    ],
)
def test_count_value_qualifier_and_span(
    sentence: str, span: str, low: int, high: int | None, qualifier: str
) -> None:
    low_text = fold(sentence)
    counts = find_counts(low_text)
    assert len(counts) == 1, counts
    c = counts[0]
    assert (c.low, c.high, c.qualifier) == (low, high, qualifier)
    # The span is the evidence a reader is shown: qualifier and number together.
    assert low_text[c.start : c.end] == span


def test_up_to_is_an_upper_bound() -> None:
    # "up to 5": at most five, never more, and the qualifier says so.
    (c,) = find_counts(fold("The blast wounded up to 5 people."))
    assert c.qualifier == "at_most"
    assert c.high == 5
    assert c.low is not None and 0 <= c.low <= 5


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("twenty-five", 25),  # hyphenated tens and units
        ("three hundred and six", 306),  # British "and"
        ("three hundred six", 306),  # American, without "and"
        ("a hundred", 100),  # "a" as one
        ("two thousand and five", 2005),  # scales above a hundred
        ("forty", 40),
        ("several", None),  # a vague word is not a number
    ],
)
def test_words_to_int(words: str, value: int | None) -> None:
    assert words_to_int(words) == value


def test_counts_are_found_in_order_without_overlap() -> None:
    # A lead with two tolls: both counts, left to right, spans disjoint.
    low_text = fold("At least three people were killed and more than 20 were wounded.")
    counts = find_counts(low_text)
    assert [(c.low, c.high, c.qualifier) for c in counts] == [
        (3, None, "at_least"),
        (21, None, "at_least"),
    ]
    assert counts[0].end <= counts[1].start
