"""Date expressions in news prose, resolved against the article's publication date.

Explicit dates ("March 11", "11 March 2020", "3/11", "4 FEB 90", "on the 11th"), weekdays
("late Monday night" is the most recent Monday on or before publication), deictic words
("yesterday", "last week", "in December" = the most recent December), vague parts of a
month ("since late October" is an interval up to publication), and anaphoric offsets
("days later" is relative to the previous incident, resolved by the caller).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from pipelines.extract import numbers

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
# How many days "a few", "several" and the like stand for; numbers come from `numbers`.
_VAGUE_DAYS = {"a": 1, "an": 1, "several": 3, "a few": 2, "few": 2, "a couple of": 2}

_MON = r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d|'?\d\d)"
_WD = r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?P<part>early|late|mid|the middle of|the end of|the beginning of|the start of|end of|beginning of|start of|middle of)"
_NUMW = (
    r"(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|several|a few|a couple of)"
)

# Order matters: the first pattern to match at a position wins; longer forms come first.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<day>[0-3]\d)\b")),
    (
        "mdy_slash",  # "1/22/17", "01/22/2017", and with dashes only with the whole year
        re.compile(
            r"\b(?P<m>[01]?\d)(?:/(?P<day>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)|"
            r"-(?P<day2>[0-3]?\d)-(?P<year2>(?:19|20)\d\d))\b"
        ),
    ),
    ("md_slash", re.compile(r"(?<![\d/])(?P<m>[01]?\d)/(?P<day>[0-3]?\d)(?![\d/])")),
    ("dmy", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MON},?\s+{_YEAR}\b")),
    ("mdy", re.compile(rf"\b{_MON}\s+{_DAY},?\s+{_YEAR}\b")),
    ("dm", re.compile(rf"\b{_DAY}(?:\s+of)?\s+{_MON}(?![a-z])")),
    ("md", re.compile(rf"\b{_MON}\s+{_DAY}(?![\d:])\b")),
    ("the_nth", re.compile(r"\bon the (?P<day>[0-3]?\d)(?:st|nd|rd|th)\b")),
    ("part_month", re.compile(rf"\b{_PART}[\s-]+{_MON}(?:,?\s+{_YEAR})?(?![a-z])")),
    ("month_year", re.compile(rf"\b(?:in\s+)?{_MON}\s+{_YEAR}\b")),
    (
        "month",
        re.compile(
            rf"\b(?:in|during|since|by|until|through|of|last|this|early|late|mid-?)\s+{_MON}(?![a-z])"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?:in|since|during)\s+(?P<year>(?:19|20)\d\d)\b(?!\s*(?:people|persons|attacks|troops))"
            # "a 2014 shooting", "the 2019 bombing": the year as an attribute of the attack
            r"|\b(?:a|an|the)\s+(?P<year2>(?:19|20)\d\d)\s+(?=(?:\w+\s+)?(?:shooting|shootings|"
            r"bombing|bombings|attack|attacks|killing|killings|murder|murders|massacre|ambush|"
            r"raid|kidnapping|abduction|assassination|blast|explosion|rampage|standoff)\b)"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"\b(?:(?:late|early|last|this|on|past)\s+)?{_WD}(?:\s+(?P<tod>morning|afternoon|evening|night|overnight))?\b"
        ),
    ),
    (
        "yesterday",
        re.compile(
            r"\b(?:yesterday|last night|overnight|the previous day|the day before|the previous night)\b"
        ),
    ),
    (
        "today",
        re.compile(
            r"\b(?:today|tonight|this morning|this afternoon|this evening|earlier today|earlier in the day)\b"
        ),
    ),
    (
        "ago",
        re.compile(rf"\b{_NUMW}\s+(?P<unit>day|days|week|weeks|month|months|year|years)\s+ago\b"),
    ),
    (
        "before_anchor",
        re.compile(
            rf"\b(?:just\s+|only\s+)?(?:(?:over|about|nearly|almost|more than|less than|some|roughly|around)\s+)?{_NUMW}\s+(?P<unit>day|days|week|weeks|month|months)\s+(?:after|since)\b"
        ),
    ),
    (
        "later",
        re.compile(
            rf"\b(?:{_NUMW}\s+)?(?P<unit>day|days|hour|hours|week|weeks|month|months|minutes)\s+later\b|\bthe (?:next|following) (?P<unit2>day|morning|evening|night|week)\b"
        ),
    ),
    (
        "last_period",
        re.compile(
            r"\b(?P<which>last|this|past|previous|earlier this|late last|early last)\s+(?P<unit>week|weekend|month|year)\b"
        ),
    ),
]

# Cheap necessary conditions for each pattern: text it cannot match without. A stretch
# failing one is not scanned with the (much slower) full pattern, which could not match
# there anyway. Each test is text every match of its pattern contains: a tuple of words
# passes when any of them occurs (a plain substring search, the fastest), a pattern when it
# is found. Tests are tried in order, and kinds sharing a test share its answer.
_MON3 = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
_SPACE_MON = re.compile(rf"[\s-]{_MON3}")
_DAY_MON = re.compile(rf"\d(?:st|nd|rd|th)?(?:\s+of)?\s+{_MON3}")
_MON_NUM = re.compile(rf"{_MON3}[a-z]*\.?\s+['\d]")
_NEEDS: dict[str, tuple[tuple[str, ...] | re.Pattern, ...]] = {
    "iso": (re.compile(r"-[01]\d-"),),
    "mdy_slash": (re.compile(r"/|\d-[0-3]?\d-(?:19|20)\d\d"),),
    "md_slash": (("/",),),
    "dmy": (_SPACE_MON, _DAY_MON),
    "mdy": (_MON_NUM,),
    "dm": (_SPACE_MON, _DAY_MON),
    "md": (_MON_NUM,),
    "the_nth": (re.compile(r"on the \d"),),
    "part_month": (_SPACE_MON, re.compile(rf"(?:early|late|mid|of)[\s-]+{_MON3}")),
    "month_year": (_MON_NUM,),
    "month": (_SPACE_MON,),
    "year": (re.compile(r"(?:19|20)\d\d"),),
    "weekday": (("day",), re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day")),
    "yesterday": (("day", "night"), re.compile(r"yesterday|night|the (?:previous|day)")),
    "today": (
        ("day", "tonight", "this "),
        re.compile(r"today|tonight|this (?:morning|afternoon|evening)|in the day"),
    ),
    "ago": (("ago",),),
    "before_anchor": (("after", "since"), re.compile(r"(?:day|week|month)s?\s+(?:after|since)")),
    "later": (("later", "the next ", "the following "),),
    "last_period": (
        ("week", "month", "year"),
        re.compile(r"(?:last|this|past|previous)\s+(?:week|month|year)"),
    ),
}


def _passes(test: tuple[str, ...] | re.Pattern, low: str, start: int, end: int) -> bool:
    if isinstance(test, tuple):
        return any(low.find(w, start, end) >= 0 for w in test)
    return test.search(low, start, end) is not None


_REPORT_VERB = re.compile(
    r"\b(?:said|says|say|told|announced|reported|reports|stated|added|confirmed|noted|"
    r"claimed|denied|according to|statement|quoted|declared|revealed|explained|warned|"
    r"tweeted|posted|wrote|published|issued|insisted)\b"
)


@dataclass(frozen=True)
class DateMention:
    """A date expression, resolved to an interval (or left for the caller: `relative`)."""

    start: int
    end: int
    date_start: date | None
    date_end: date | None
    precision: str  # day | week | month | year
    kind: str  # absolute | deictic | relative (days later: to the previous incident) | since
    offset_days: tuple[int, int] = (0, 0)  # for kind == relative
    is_statement: bool = False  # the date a statement was made, not when the event happened
    # For kind == relative: "previous" = from the last date told before ("days later"),
    # "current" = back from the incident at hand ("two weeks after a drone strike").
    anchor: str = "previous"

    def as_interval(self) -> tuple[date, date] | None:
        if self.date_start is None or self.date_end is None:
            return None
        return self.date_start, self.date_end


def _year(y: str | None, published: date) -> int | None:
    if not y:
        return None
    y = y.lstrip("'")
    if len(y) == 2:
        full = 1900 + int(y)
        return full + 100 if full + 100 <= published.year + 1 else full
    return int(y)


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _recent(m: int, d: int, published: date) -> date | None:
    """The most recent m/d on or before publication (a day of slack for time zones)."""
    for y in (published.year, published.year - 1):
        cand = _safe(y, m, d)
        if cand and cand <= published + timedelta(days=1):
            return cand
    return None


def _recent_month(m: int, published: date) -> tuple[date, date]:
    y = published.year if m <= published.month else published.year - 1
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _weekday(wd: int, published: date, last: bool) -> date:
    back = (published.weekday() - wd) % 7
    if last and back == 0:
        back = 7
    return published - timedelta(days=back)


def _month_part(part: str, y: int, m: int) -> tuple[date, date]:
    last = calendar.monthrange(y, m)[1]
    if part in ("early", "the beginning of", "beginning of", "the start of", "start of"):
        return date(y, m, 1), date(y, m, 10)
    if part in ("mid", "the middle of", "middle of"):
        return date(y, m, 11), date(y, m, 20)
    return date(y, m, 21), date(y, m, last)


def _days(word: str | None) -> int:
    if not word:
        return 1
    if word.isdigit():
        return int(word)
    return _VAGUE_DAYS.get(word) or numbers.words_to_int(word) or 1


_MAY_DAY = re.compile(r"may\s+\d")
_MONTH_CUE = re.compile(r"\b(?:in|during|since|last|early|late|mid)\s")
_IN_MAY = re.compile(r"\b(?:in|since|during|last|early|late|mid)[\s-]+may\b")


def _resolve(kind: str, m: re.Match, low: str, published: date) -> DateMention | None:
    g = m.groupdict()
    s, e = m.start(), m.end()
    if kind == "iso":
        d = _safe(int(g["year"]), int(g["m"]), int(g["day"]))
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind == "mdy_slash":
        y = _year(g["year"] or g["year2"], published)
        d = _safe(y, int(g["m"]), int(g["day"] or g["day2"])) if y else None
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind == "md_slash":
        # "3/11" is US month/day; fractions and scores ("1/2", "24/7") are not dates.
        mo, dy = int(g["m"]), int(g["day"])
        if not (1 <= mo <= 12 and 1 <= dy <= 31) or low[max(0, s - 1) : s] in ("$",):
            return None
        d = _recent(mo, dy, published)
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind in ("dmy", "mdy"):
        y = _year(g["year"], published)
        d = _safe(y, MONTHS[g["mon"]], int(g["day"])) if y else None
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind in ("dm", "md"):
        dy = int(g["day"])
        if not 1 <= dy <= 31:
            return None
        if g["mon"] == "may" and kind == "md" and not _MAY_DAY.match(low[s:e]):
            return None
        d = _recent(MONTHS[g["mon"]], dy, published)
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind == "the_nth":
        dy = int(g["day"])
        d = _safe(published.year, published.month, dy)
        if d is None or d > published:
            prev = published.replace(day=1) - timedelta(days=1)
            d = _safe(prev.year, prev.month, dy)
        return DateMention(s, e, d, d, "day", "absolute") if d else None
    if kind == "part_month":
        mo = MONTHS[g["mon"]]
        y = _year(g.get("year"), published) or _recent_month(mo, published)[0].year
        a, b = _month_part(g["part"], y, mo)
        since = low[max(0, s - 6) : s].strip().endswith("since")
        if since:
            return DateMention(s - 6, e, a, published, "month", "since")
        return DateMention(s, e, a, b, "week" if g["part"] != "end of" else "week", "absolute")
    if kind == "month_year":
        mo, y = MONTHS[g["mon"]], _year(g["year"], published)
        if y is None:
            return None
        a, b = date(y, mo, 1), date(y, mo, calendar.monthrange(y, mo)[1])
        return DateMention(s, e, a, b, "month", "absolute")
    if kind == "month":
        word = low[s:e]
        if g["mon"] in ("may", "mar", "sat", "sun") and not _MONTH_CUE.search(word):
            return None
        if g["mon"] == "may":
            return None if not _IN_MAY.search(word) else _month(word, g, published, s, e)
        return _month(word, g, published, s, e)
    if kind == "year":
        y = int(g["year"] or g["year2"])
        if y > published.year:
            return None
        a, b = date(y, 1, 1), date(y, 12, 31)
        if low[s:e].startswith("since"):
            return DateMention(s, e, a, published, "year", "since")
        return DateMention(s, e, a, min(b, published), "year", "absolute")
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"]]
        words = low[s:e]
        last = words.startswith("last ")
        d = _weekday(wd, published, last)
        # "late Monday night" ends after midnight: the day stays Monday.
        return DateMention(s, e, d, d, "day", "deictic")
    if kind == "yesterday":
        w = low[s:e]
        d = published - timedelta(days=1)
        if w in ("last night", "overnight", "the previous night"):
            return DateMention(s, e, d, published, "day", "deictic")
        if w in ("the previous day", "the day before"):
            return DateMention(s, e, None, None, "day", "relative", (-1, -1))
        return DateMention(s, e, d, d, "day", "deictic")
    if kind == "today":
        return DateMention(s, e, published, published, "day", "deictic")
    if kind == "ago":
        n, unit = _days(g["n"]), g["unit"].rstrip("s")
        if unit == "day":
            d = published - timedelta(days=n)
            return DateMention(s, e, d, d, "day", "deictic")
        if unit == "week":
            d = published - timedelta(days=7 * n)
            return DateMention(
                s, e, d - timedelta(days=3), d + timedelta(days=3), "week", "deictic"
            )
        if unit == "month":
            d = published - timedelta(days=30 * n)
            return DateMention(
                s, e, d - timedelta(days=15), d + timedelta(days=15), "month", "deictic"
            )
        d = published - timedelta(days=365 * n)
        return DateMention(
            s, e, d - timedelta(days=182), d + timedelta(days=182), "year", "deictic"
        )
    if kind == "before_anchor":
        k = _days(g["n"])
        unit = g["unit"].rstrip("s")
        span = {"day": (k, k), "week": (7 * k - 3, 7 * k + 4), "month": (30 * k - 10, 30 * k + 10)}[
            unit
        ]
        precision = "day" if unit == "day" else "week" if unit == "week" else "month"
        return DateMention(
            s, e, None, None, precision, "relative", (-span[1], -span[0]), anchor="current"
        )
    if kind == "later":
        unit = (g.get("unit") or g.get("unit2") or "day").rstrip("s")
        if unit in ("hour", "minute", "morning", "evening", "night"):
            off = (0, 1) if unit in ("hour", "minute") else (1, 1)
            return DateMention(s, e, None, None, "day", "relative", off)
        n = g.get("n")
        if unit == "week":
            k = _days(n) if n else 1
            return DateMention(s, e, None, None, "week", "relative", (7 * k - 3, 7 * k + 3))
        if unit == "month":
            k = _days(n) if n else 1
            return DateMention(s, e, None, None, "month", "relative", (30 * k - 15, 30 * k + 15))
        if n is None:
            if "days" in low[s:e]:  # "days later": two to ten days after
                return DateMention(s, e, None, None, "week", "relative", (2, 10))
            return DateMention(s, e, None, None, "day", "relative", (1, 1))
        k = _days(n)
        if n in ("several", "a few", "few", "a couple of"):
            return DateMention(s, e, None, None, "week", "relative", (2, 7))
        return DateMention(s, e, None, None, "day", "relative", (k, k))
    if kind == "last_period":
        which, unit = g["which"], g["unit"]
        if unit in ("week", "weekend"):
            if which in ("this", "earlier this"):
                a = published - timedelta(days=published.weekday())
                return DateMention(s, e, a, published, "week", "deictic")
            if which == "past":
                return DateMention(
                    s, e, published - timedelta(days=7), published, "week", "deictic"
                )
            monday = published - timedelta(days=published.weekday() + 7)
            if unit == "weekend":
                return DateMention(
                    s, e, monday + timedelta(days=5), monday + timedelta(days=6), "week", "deictic"
                )
            return DateMention(s, e, monday, monday + timedelta(days=6), "week", "deictic")
        if unit == "month":
            if which in ("this", "earlier this"):
                return DateMention(s, e, published.replace(day=1), published, "month", "deictic")
            if which == "past":
                return DateMention(
                    s, e, published - timedelta(days=30), published, "month", "deictic"
                )
            end = published.replace(day=1) - timedelta(days=1)
            return DateMention(s, e, end.replace(day=1), end, "month", "deictic")
        if which in ("this", "earlier this"):
            return DateMention(s, e, date(published.year, 1, 1), published, "year", "deictic")
        if which == "past":
            return DateMention(s, e, published - timedelta(days=365), published, "year", "deictic")
        y = published.year - 1
        return DateMention(s, e, date(y, 1, 1), date(y, 12, 31), "year", "deictic")
    return None


def _month(word: str, g: dict, published: date, s: int, e: int) -> DateMention:
    mo = MONTHS[g["mon"]]
    a, b = _recent_month(mo, published)
    if word.startswith("since"):
        return DateMention(s, e, a, published, "month", "since")
    if word.startswith("late") or word.startswith("early") or word.startswith("mid"):
        part = "late" if word.startswith("late") else "early" if word.startswith("early") else "mid"
        a2, b2 = _month_part(part, a.year, mo)
        return DateMention(s, e, a2, b2, "week", "absolute")
    return DateMention(s, e, a, b, "month", "absolute")


def find_dates(
    low: str, published: date, start: int = 0, end: int | None = None
) -> list[DateMention]:
    """Every date expression in `low[start:end]`, non-overlapping, leftmost-longest."""
    end = len(low) if end is None else end
    found: list[DateMention] = []
    present: dict[tuple[str, ...] | re.Pattern, bool] = {}
    for kind, pat in _PATTERNS:
        possible = True
        for test in _NEEDS.get(kind, ()):
            ok = present.get(test)
            if ok is None:
                ok = present[test] = _passes(test, low, start, end)
            if not ok:
                possible = False
                break
        if not possible:
            continue
        for m in pat.finditer(low, start, end):
            if any(m.start() < f.end and f.start < m.end() for f in found):
                continue
            dm = _resolve(kind, m, low, published)
            if dm is not None:
                found.append(dm)
    found.sort(key=lambda d: d.start)
    return [_mark_statement(low, d) for d in found]


_METADATA_BEFORE = re.compile(
    r"\b(?:published|updated|posted|last updated|created|modified|copyright|filed)\s*:?\s*(?:on\s+)?(?:\w+day,?\s+)?$"
)
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told \w+|announced|reported|stated|added|confirmed|declared|noted|claimed|denied|statement|reports?)(?:\s+(?:on|late|early|this))?\s*,?\s*$"
)
_SAID_AFTER = re.compile(r"\s*,?\s*(?:said|told|announced|reported|according)\b")
_ON_BEFORE = re.compile(r"\b(?:on|in|at)\s*$")


def _mark_statement(low: str, d: DateMention) -> DateMention:
    """A date glued to a reporting verb ("the military said Tuesday", "announced on
    Wednesday") dates the statement, not the event."""
    if d.kind not in ("deictic", "absolute") or d.precision not in ("day",):
        return d
    before = low[max(0, d.start - 22) : d.start]
    after = low[d.end : d.end + 14]
    if _METADATA_BEFORE.search(before):
        return replace(d, is_statement=True)  # page metadata, not the event
    if _SAID_BEFORE.search(before):
        return replace(d, is_statement=True)
    if _SAID_AFTER.match(after) and not _ON_BEFORE.search(before):
        return replace(d, is_statement=True)
    return d


def relative_to(prev: tuple[date, date], d: DateMention, published: date) -> tuple[date, date]:
    """Resolve an anaphoric date ("days later") against the previous incident's interval."""
    lo, hi = d.offset_days
    a = prev[0] + timedelta(days=lo)
    b = prev[1] + timedelta(days=hi)
    return min(a, published), min(b, published)
