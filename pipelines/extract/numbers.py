"""Counts in news prose: digits, number words, vague quantities and their qualifiers.

"a pair of rockets" is 2, "a dozen" 12, "dozens" at least 24, "at least 12" 12 or more,
"more than 20" 21 or more, "up to 5" at most 5, "some 30" about 30. A count is a range
(`low`, `high`; `high` None = open-ended) with a qualifier from the extraction contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}

# Vague quantities: (low, high, qualifier). "dozens" is open-ended from two dozen.
VAGUE = {
    "a pair of": (2, 2, "exact"),
    "a couple of": (2, 2, "about"),
    "a couple": (2, 2, "about"),
    "both": (2, 2, "exact"),
    "a dozen": (12, 12, "about"),
    "half a dozen": (6, 6, "about"),
    "a half-dozen": (6, 6, "about"),
    "a half dozen": (6, 6, "about"),
    "dozens of": (24, None, "at_least"),
    "dozens": (24, None, "at_least"),
    "scores of": (40, None, "at_least"),
    "hundreds of": (200, None, "at_least"),
    "hundreds": (200, None, "at_least"),
    "thousands of": (2000, None, "at_least"),
    "several": (3, 9, "about"),
    "a few": (2, 5, "about"),
    "a handful of": (2, 6, "about"),
    "many": (5, None, "at_least"),
    "numerous": (5, None, "at_least"),
    "multiple": (2, None, "at_least"),
    "a number of": (2, None, "at_least"),
    "a score of": (20, 20, "about"),
}

# Qualifier phrases before a number.
QUALIFIERS = [
    ("at least", "at_least", 0),
    ("no fewer than", "at_least", 0),
    ("no less than", "at_least", 0),
    ("a minimum of", "at_least", 0),
    ("more than", "at_least", 1),
    ("over", "at_least", 1),
    ("upwards of", "at_least", 1),
    ("in excess of", "at_least", 1),
    ("up to", "at_most", 0),
    ("as many as", "at_most", 0),
    ("at most", "at_most", 0),
    ("no more than", "at_most", 0),
    ("fewer than", "at_most", -1),
    ("less than", "at_most", -1),
    ("under", "at_most", -1),
    ("about", "about", 0),
    ("around", "about", 0),
    ("approximately", "about", 0),
    ("roughly", "about", 0),
    ("nearly", "about", 0),
    ("almost", "about", 0),
    ("close to", "about", 0),
    ("some", "about", 0),
    ("an estimated", "about", 0),
    ("estimated", "about", 0),
    ("a total of", "exact", 0),
    ("a further", "exact", 0),
    ("another", "exact", 0),
    ("an additional", "exact", 0),
]

_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_TEN = "|".join(sorted(TENS, key=len, reverse=True))
_SCALE = "|".join(SCALES)
_SMALL = rf"(?:(?:{_TEN})(?:[\s-](?:{_UNIT}))?|(?:{_UNIT}))"
_WORDS = rf"(?:(?:a\s+|{_SMALL}\s+)?(?:{_SCALE})(?:\s+(?:and\s+)?{_SMALL})?|{_SMALL})"
_NUM_RE = re.compile(
    r"(?<![\w.])(?:"
    r"(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:\s*(?P<dscale>hundred|thousand|million))?"
    rf"|(?P<words>{_WORDS})"
    r")(?![\w])"
)
_VAGUE_RE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(k) for k in sorted(VAGUE, key=len, reverse=True))
    + r")(?![\w])"
)
_QUAL_RE = re.compile(
    r"(?:"
    + "|".join(re.escape(q) for q, _, _ in sorted(QUALIFIERS, key=lambda x: -len(x[0])))
    + r")\s+$"
)
_RANGE_RE = re.compile(r"^\s*(?:-|to|or|and)\s*$")


@dataclass(frozen=True)
class Count:
    """A count found in the text: [start, end) covers qualifier and number."""

    low: int | None
    high: int | None
    qualifier: str
    start: int
    end: int

    def as_contract(self) -> dict:
        return {"low": self.low, "high": self.high, "qualifier": self.qualifier}


def words_to_int(words: str) -> int | None:
    """'twenty-five' -> 25, 'two hundred and six' -> 206, 'a hundred' -> 100."""
    total = 0
    current = 0
    seen = False
    for w in re.split(r"[\s-]+", words.strip()):
        if w in ("and", ""):
            continue
        if w == "a":
            current = max(current, 1)
            continue
        if w in UNITS:
            current += UNITS[w]
            seen = True
        elif w in TENS:
            current += TENS[w]
            seen = True
        elif w in SCALES:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current
                current = 0
            seen = True
        else:
            return None
    return total + current if seen else None


def _apply_qualifier(low: str, start: int, value: int) -> tuple[int | None, int | None, str, int]:
    m = _QUAL_RE.search(low, max(0, start - 25), start)
    if not m:
        return value, value, "exact", start
    phrase = low[m.start() : start].strip()
    for q, kind, shift in QUALIFIERS:
        if phrase == q:
            if kind == "at_least":
                return value + shift, None, "at_least", m.start()
            if kind == "at_most":
                return (1 if value + shift >= 1 else 0), value + shift, "at_most", m.start()
            return value, value, kind, m.start()
    return value, value, "exact", start


def count_at(low: str, start: int, end: int) -> Count | None:
    """Parse the count that starts exactly at `start` (within `low[:end]`), if any."""
    vm = _VAGUE_RE.match(low, start, end)
    nm = _NUM_RE.match(low, start, end)
    if vm and (not nm or vm.end() >= nm.end()):
        lo, hi, q = VAGUE[vm.group(0)]
        # "a dozen" followed by a number word is not vague ("a couple of hundred")
        return Count(lo, hi, q, vm.start(), vm.end())
    if not nm:
        return None
    value = _value(nm)
    if value is None:
        return None
    lo, hi, q, qstart = _apply_qualifier(low, start, value)
    # "10 to 12", "two or three": a range.
    tail = _NUM_RE.search(low, nm.end(), min(end, nm.end() + 12))
    if tail and _RANGE_RE.match(low[nm.end() : tail.start()]):
        second = _value(tail)
        if second is not None and second > value and q == "exact":
            return Count(value, second, "about", qstart, tail.end())
    return Count(lo, hi, q, qstart, nm.end())


def _value(m: re.Match) -> int | None:
    if m.group("digits"):
        v = int(m.group("digits").replace(",", ""))
        if m.group("dscale"):
            v *= SCALES[m.group("dscale")]
        return v
    words = m.group("words")
    if words in ("a", "and"):
        return None
    return words_to_int(words)


def find_counts(low: str, start: int = 0, end: int | None = None) -> list[Count]:
    """Every count in `low[start:end]`, longest first at each position, not overlapping."""
    end = len(low) if end is None else end
    out: list[Count] = []
    pos = start
    candidates = sorted(
        {m.start() for m in _NUM_RE.finditer(low, start, end)}
        | {m.start() for m in _VAGUE_RE.finditer(low, start, end)}
    )
    for c in candidates:
        if c < pos:
            continue
        cnt = count_at(low, c, end)
        if cnt is None:
            continue
        if out and cnt.start < out[-1].end:
            cnt = Count(cnt.low, cnt.high, cnt.qualifier, max(cnt.start, out[-1].end), cnt.end)
        out.append(cnt)
        pos = cnt.end
    return out
