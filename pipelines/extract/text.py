"""Text preparation for extraction: a case-folded shadow of the text, paragraphs and sentences.

Every later stage works on character offsets into the original text, so the shadow copy
(`Doc.low`) has exactly the same length as the text: lower-cased, curly quotes and dashes
folded to ASCII one character for one character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
    }
)


def fold(text: str) -> str:
    """Lower-case and fold punctuation without changing the string's length."""
    low = text.translate(_FOLD).lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. 'İ') lower-case into two code points; fold them one by one.
    return "".join(c if len(c) == 1 else c[0] for c in (ch.lower() for ch in text.translate(_FOLD)))


# Abbreviations after which a period does not end a sentence.
_ABBREV = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "cpt",
    "sgt",
    "cpl",
    "pvt",
    "adm",
    "gov",
    "sen",
    "rep",
    "rev",
    "st",
    "sr",
    "jr",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "u.s",
    "u.n",
    "u.k",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "approx",
    "km",
    "ft",
    "mt",
    "ave",
    "blvd",
    "rd",
    "hwy",
    "msgr",
    "prof",
    "pres",
    "brig",
    "cmdr",
    "insp",
    "supt",
    "det",
    "ofc",
    "fig",
    "dept",
    "univ",
    "mssrs",
    "messrs",
}

_SENT_END = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")
_PARA_SPLIT = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Sentence:
    """A sentence as a span of the original text; `index` counts from the article's start."""

    index: int
    start: int
    end: int
    paragraph: int


@dataclass
class Doc:
    """One article ready for extraction."""

    text: str
    low: str
    published: date
    is_caps: bool
    sentences: list[Sentence] = field(default_factory=list)
    actors: list = field(default_factory=list)  # actor mentions, set once they are found

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing a character offset (binary search)."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None


# The letters counted: [A-Z\u00c0-\u00de] and [a-z\u00df-\u00ff], all within Latin-1, so
# counting is deleting them from the Latin-1 bytes (other characters dropped) and measuring.
_UPPER = bytes([*range(0x41, 0x5B), *range(0xC0, 0xDF)])
_LOWER = bytes([*range(0x61, 0x7B), *range(0xDF, 0x100)])


def is_all_caps(text: str) -> bool:
    """Old wire copy comes in capitals; casing is then no clue to names."""
    head = text[:4000].encode("latin-1", "ignore")
    upper = len(head) - len(head.translate(None, _UPPER))
    lower = len(head) - len(head.translate(None, _LOWER))
    if upper + lower < 20:
        return False
    return upper / (upper + lower) > 0.85


def _hard_wrapped(lines: list[str]) -> bool:
    """Wire copy wraps lines at a fixed width: single newlines there are spaces."""
    long_lines = [ln for ln in lines if len(ln.strip()) > 0]
    if len(long_lines) < 3:
        return False
    width = max(len(ln) for ln in long_lines)
    near_width = sum(1 for ln in long_lines[:-1] if len(ln) >= 0.7 * width)
    return width <= 100 and near_width >= 0.6 * (len(long_lines) - 1)


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph into blocks: lines are separate unless the paragraph is hard-wrapped
    or a line visibly continues (ends mid-sentence and the next starts in lower case)."""
    chunk = text[start:end]
    lines = chunk.split("\n")
    if len(lines) == 1 or _hard_wrapped(lines):
        return [(start, end)]
    spans: list[tuple[int, int]] = []
    pos = start
    cur_start = start
    for i, line in enumerate(lines):
        line_end = pos + len(line)
        nxt = lines[i + 1].lstrip() if i + 1 < len(lines) else ""
        stripped = line.rstrip()
        continues = (
            bool(nxt)
            and bool(stripped)
            and stripped[-1] not in ".!?:\"'"
            and (nxt[0].islower() or stripped[-1] in ",;-")
        )
        if not continues:
            spans.append((cur_start, line_end))
            cur_start = line_end + 1
        pos = line_end + 1
    return [(a, b) for a, b in spans if text[a:b].strip()]


_INITIALS = re.compile(r"(?:[a-z]\.)+[a-z]")
_NEXT_WORD = re.compile(r"\s*([A-Za-z]+)")


def _split_block(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside one block, skipping periods of abbreviations and initials."""
    out: list[tuple[int, int]] = []
    cur = start
    for m in _SENT_END.finditer(text, start, end):
        dot = m.start()
        # The word before the period.
        j = dot
        while j > cur and not text[j - 1].isspace():
            j -= 1
        word = text[j:dot].strip("\"'([").lower()
        if word in _ABBREV or (len(word) == 1 and word.isalpha()):
            continue
        if _INITIALS.fullmatch(word):  # U.S. / a.m.
            nxt = text[m.end() :].lstrip()[:1]
            if not nxt or not nxt.isupper():
                continue
            # "in the U.S. The ..." ends a sentence; "U.S. Army" does not: look at next word.
            next_word = _NEXT_WORD.match(text, m.end())
            if next_word and next_word.group(1) in _CONTINUATIONS:
                continue
        out.append((cur, m.end()))
        cur = m.end()
        while cur < end and text[cur].isspace():
            cur += 1
    if cur < end and text[cur:end].strip():
        out.append((cur, end))
    return out


# Capitalised words that usually continue a name after "U.S." rather than open a sentence.
_CONTINUATIONS = {
    "Army",
    "Navy",
    "Air",
    "Marine",
    "Marines",
    "Embassy",
    "Consulate",
    "Forces",
    "Force",
    "Military",
    "Troops",
    "Department",
    "State",
    "Secretary",
    "President",
    "Government",
    "Special",
    "Central",
    "Command",
    "Ambassador",
    "Officials",
    "Official",
    "Attorney",
    "Coast",
    "Senate",
    "House",
    "Congress",
    "Capitol",
    "Postal",
    "Marshals",
    "Marshal",
    "District",
    "Court",
    "Soldiers",
    "Soldier",
    "Citizen",
    "Citizens",
    "Contractor",
    "Contractors",
    "Service",
    "Treasury",
    "Defense",
    "Defence",
    "Drone",
    "Drones",
    "Strikes",
    "Strike",
    "Envoy",
    "Representative",
    "Patrol",
    "Border",
    "Intelligence",
    "Navy's",
}


def sentences(text: str) -> list[Sentence]:
    """Paragraphs on blank lines, blocks on unwrapped newlines, then sentences."""
    out: list[Sentence] = []
    pos = 0
    para = 0
    for m in list(_PARA_SPLIT.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        if text[pos:end].strip():
            for b_start, b_end in _line_spans(text, pos, end):
                for s, e in _split_block(text, b_start, b_end):
                    while s < e and text[s].isspace():
                        s += 1
                    while e > s and text[e - 1].isspace():
                        e -= 1
                    if e > s:
                        out.append(Sentence(len(out), s, e, para))
            para += 1
        pos = m.end() if m else len(text)
    return out


def make_doc(text: str, published: date) -> Doc:
    """Prepare an article's text for the extraction stages."""
    return Doc(
        text=text,
        low=fold(text),
        published=published,
        is_caps=is_all_caps(text),
        sentences=sentences(text),
    )
