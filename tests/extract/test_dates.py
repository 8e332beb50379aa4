"""Date expressions resolved against the publication date, as a reader of the article would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipelines.extract.dates import DateMention, find_dates, relative_to
from pipelines.extract.text import fold

TUE = date(2020, 3, 17)  # a Tuesday
THU = date(2020, 3, 19)
SUN = date(2020, 3, 22)


def mention(sentence: str, phrase: str, published: date) -> DateMention:
    """The date mention that covers `phrase` in `sentence`."""
    low = fold(sentence)
    at = low.index(phrase.lower())
    found = [d for d in find_dates(low, published) if d.start <= at < d.end]
    assert found, f"no date found at {phrase!r} in {sentence!r}: {find_dates(low, published)}"
    return found[0]


@pytest.mark.parametrize(
    ("sentence", "phrase", "published", "day"),
    [
        # Month and day, US order: the most recent such day on or before publication.
        ("Rockets struck the base on March 11.", "March 11", TUE, date(2020, 3, 11)),
        # Early-January copy recalling a day of last year.
        (
            "The envoy was kidnapped on December 28.",
            "December 28",
            date(2021, 1, 4),
            date(2020, 12, 28),
        ),
        # Day, month and year, international order.
        ("The ambush took place on 11 March 2020.", "11 March 2020", TUE, date(2020, 3, 11)),
        # US numeric month/day without a year (local news).
        ("The shooting happened 3/11 near the school.", "3/11", TUE, date(2020, 3, 11)),
        # US numeric date with a four-digit year (court records, police blotters).
        (
            "Deputies responded on 01/31/2011 to a report of shots.",
            "01/31/2011",
            TUE,
            date(2011, 1, 31),
        ),
        # "on the 11th": this month when that day has passed ...
        ("The convoy was hit on the 11th.", "on the 11th", TUE, date(2020, 3, 11)),
        # ... else last month.
        ("The convoy was hit on the 11th.", "on the 11th", date(2020, 3, 5), date(2020, 2, 11)),
        # MUC-era wire dateline: day, abbreviated month in capitals, two-digit year.
        (
            "SAN SALVADOR, 4 FEB 90 (EFE) -- GUERRILLAS ATTACKED A POST.",
            "4 FEB 90",
            date(1990, 2, 5),
            date(1990, 2, 4),
        ),
        # Two-digit years after 2000 stay in this century.
        (
            "KABUL, 4 FEB 05 (AGENCY) -- A BOMB EXPLODED.",
            "4 FEB 05",
            date(2005, 2, 5),
            date(2005, 2, 4),
        ),
        # "late Monday night" published on a Tuesday is the day before ...
        ("Rockets hit the base late Monday night.", "late Monday night", TUE, date(2020, 3, 16)),
        # ... and published on a Thursday, the Monday of the same week.
        ("Rockets hit the base late Monday night.", "late Monday night", THU, date(2020, 3, 16)),
        # "on Tuesday" in a Tuesday paper is that very day.
        ("Gunmen opened fire on Tuesday.", "on Tuesday", TUE, TUE),
        # A weekday later in the week than publication is last week's.
        ("Gunmen opened fire on Wednesday.", "on Wednesday", TUE, date(2020, 3, 11)),
        # "yesterday" in a morning paper.
        ("Bandits abducted 40 villagers yesterday.", "yesterday", TUE, date(2020, 3, 16)),
    ],
)
def test_day_resolves_against_publication(
    sentence: str, phrase: str, published: date, day: date
) -> None:
    d = mention(sentence, phrase, published)
    assert (d.date_start, d.date_end, d.precision) == (day, day, "day")
    assert not d.is_statement


@pytest.mark.parametrize(
    ("sentence", "phrase", "published", "start", "end", "precision"),
    [
        # "last week" is the previous Monday-Sunday week ...
        (
            "Four soldiers died in an ambush last week.",
            "last week",
            TUE,
            date(2020, 3, 9),
            date(2020, 3, 15),
            "week",
        ),
        # ... even in a Sunday paper, where the current week is nearly over.
        (
            "Four soldiers died in an ambush last week.",
            "last week",
            SUN,
            date(2020, 3, 9),
            date(2020, 3, 15),
            "week",
        ),
        # "in December" in March is last December, the whole month.
        (
            "A contractor was killed in December.",
            "in December",
            TUE,
            date(2019, 12, 1),
            date(2019, 12, 31),
            "month",
        ),
    ],
)
def test_period_resolves_against_publication(
    sentence: str, phrase: str, published: date, start: date, end: date, precision: str
) -> None:
    d = mention(sentence, phrase, published)
    assert (d.date_start, d.date_end, d.precision) == (start, end, precision)


def test_since_late_month_runs_up_to_publication() -> None:
    # A cumulative statement: "since late October" is an interval ending at publication.
    d = mention("There have been 24 rocket attacks since late October.", "since late October", TUE)
    assert d.kind == "since"
    assert date(2019, 10, 15) <= d.date_start <= date(2019, 10, 31)
    assert d.date_end == TUE


def test_days_later_is_relative_to_the_previous_incident() -> None:
    # "Days later" has no date of its own; it follows the incident told before it.
    d = mention("Days later, a drone strike killed the commander.", "Days later", TUE)
    assert d.kind == "relative"
    assert d.as_interval() is None
    embassy = (date(2019, 12, 31), date(2019, 12, 31))
    start, end = relative_to(embassy, d, TUE)
    assert embassy[1] < start <= end
    # A few days, not weeks: the real strike came three days after.
    assert start <= embassy[1] + timedelta(days=3) <= end
    assert end <= embassy[1] + timedelta(days=14)


def test_relative_date_never_runs_past_publication() -> None:
    d = mention("Days later, a drone strike killed the commander.", "Days later", TUE)
    start, end = relative_to((TUE - timedelta(days=1), TUE - timedelta(days=1)), d, TUE)
    assert start <= end <= TUE


@pytest.mark.parametrize(
    ("sentence", "statement", "event"),
    [
        # The reporting verb before the weekday: the day of the statement.
        ("The military said Tuesday that rockets had hit the base.", "Tuesday", None),
        # The attack's day and the statement's day in one sentence.
        (
            "Rockets hit the base late Monday night, the military said Tuesday.",
            "Tuesday",
            "late Monday night",
        ),
        # "announced on" + weekday.
        ("The group announced on Wednesday that it had carried out the attack.", "Wednesday", None),
    ],
)
def test_statement_dates_are_flagged(sentence: str, statement: str, event: str | None) -> None:
    low = fold(sentence)
    said = mention(sentence, statement, THU)
    assert said.is_statement
    if event is not None:
        assert not mention(sentence, event, THU).is_statement
    # Only the statement's date is flagged.
    assert sum(d.is_statement for d in find_dates(low, THU)) == 1


@pytest.mark.parametrize(
    ("sentence", "phrase"),
    [
        ("A man pleaded guilty in a 2014 shooting that left one dead.", "2014"),
        ("He was convicted for the 2014 bar shooting.", "2014"),
    ],
)
def test_a_year_before_an_attack_word_dates_it(sentence: str, phrase: str) -> None:
    d = mention(sentence, phrase, date(2016, 3, 21))
    assert (d.date_start, d.date_end, d.precision) == (date(2014, 1, 1), date(2014, 12, 31), "year")


def test_a_year_before_other_words_is_no_date() -> None:
    low = fold("The 2014 election was held peacefully.")
    assert find_dates(low, date(2016, 3, 21)) == []


def test_month_day_year_with_dashes_needs_the_whole_year() -> None:
    published = date(2017, 1, 23)
    [d] = find_dates("on 01-22-2017 at 1:32 am", published)
    assert d.date_start == date(2017, 1, 22)
    assert find_dates("a 3-2-17 win", published) == []


# One phrase per form of every date pattern, in prose, so that the cheap pre-checks that
# spare a stretch the full patterns are tried against each form they must let through.
_EVERY_FORM = (
    "On 2020-03-11 and 3/11/2020 or 03-11-2020, and again 3/11, the 11th of March, 2020, "
    "March 11, 2020, 11 March and Sept. 4 and Jan 9, on the 11th, in mid-March, at the end "
    "of March 2020, in March 2020 or March '20, since late October, during June, in 2014, a"
    " 2014 bombing, late Monday night, on Saturday morning, past Fri, yesterday, last "
    "night, overnight, the previous day, the day before, the previous night, today, "
    "tonight, this morning, this afternoon, this evening, earlier today, earlier in the "
    "day, two days ago, a few weeks ago, several months ago, 3 years ago, just over two "
    "weeks after, about 10 days since, days later, two hours later, minutes later, a month "
    "later, the next day, the following morning, last week, this weekend, past month, "
    "earlier this year, late last year, early last month and the previous week."
)


def test_pre_checks_never_change_what_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.extract import dates

    low = fold(_EVERY_FORM)
    with_checks = find_dates(low, TUE)
    assert len(with_checks) >= 50  # the phrases above are dates
    monkeypatch.setattr(dates, "_NEEDS", {})
    assert find_dates(low, TUE) == with_checks
    # Stretch by stretch too: a pre-check looks only inside the stretch it guards.
    for a in range(0, len(low), 37):
        monkeypatch.setattr(dates, "_NEEDS", {})
        bare = find_dates(low, TUE, a, a + 80)
        monkeypatch.undo()
        assert find_dates(low, TUE, a, a + 80) == bare
