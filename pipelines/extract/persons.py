"""People named in an article, so that their names are not read as places.

A word that names a place in one article is a first name or a surname in another: "Mary" is
a province of Turkmenistan, "Payne" a town in Ohio. The article itself tells which: a name
quoted as speaking ("...," said Mary Payne.) or introduced ("a woman named Mary", "identified
as Sundra Payne") names a person, and so do its words wherever else they appear
("Payne remains on the run", "Mary hopes").
"""

from __future__ import annotations

import calendar
import functools
import re
from pathlib import Path

from pipelines.extract.text import Doc

_GIVEN_NAMES_FILE = Path(__file__).resolve().parent / "data" / "given_names.txt"

# Verbs that put a speaker's name right after them, and phrases that introduce a name.
_SPEECH = r"(?:said|says|told|asked|added|explained|recalled)"
_NAMING = r"(?:named|identified (?:(?:him|her) )?as|known as|\d{1,3}-year-old|(?:mr|mrs|ms|dr)\.?)"
_NAME = r"[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z]+|(?:de|da|del|van|von|bin|al)(?=[ -][A-Z]))){0,3}"
_CAPS_NAME = r"[A-Z]{2,}(?:[ -][A-Z]{2,}){0,3}"
# The name must end the clause: "said Mary." and "said Diana Lafalce, her stepdaughter", not
# "said Mosul police chief ...".
_ENDS = r"(?=\s*(?:[.,;:!?\"')\u201d\u2019]|$))"
# An age ("Nicholas Glenn, 25,") or a role ("Santiago Jao, a candidate for deputy") after it.
_AGE = r",\s*\d{1,3}(?:[,;)]|\.(?!\d)|\s+(?:and|of|was|is|were|who)\b)"
_ROLE = (
    r",\s+(?:a|an|the)\s+(?:[a-z-]+\s+){0,3}(?:candidate|leader|member|spokesman|"
    r"spokeswoman|official|mayor|governor|minister|senator|deputy|councilman|councilwoman|"
    r"journalist|reporter|priest|teacher|student|lawyer|judge|businessman|farmer|driver|"
    r"officer|commander|activist|worker|employee|owner|resident|father|mother|son|daughter|"
    r"brother|sister|husband|wife|friend|neighbor|neighbour|boyfriend|girlfriend)s?"
    r"(?=\s*(?:[,.;]|(?:for|of|from|at|in|who|with)\b))"
)


def _pattern(name: str, caps: bool) -> re.Pattern[str]:
    """Groups: 1 the name after a speech verb, 2 after a naming phrase, 3 before an age or a
    role."""

    def c(rx: str) -> str:
        if not caps:
            return rx
        return rx.upper().replace("\\D", "\\d").replace("\\S", "\\s").replace("\\B", "\\b")

    return re.compile(
        rf"\b(?:{c(_SPEECH)}\s+({name}){_ENDS}|{c(_NAMING)}\s+({name})|({name})(?:{c(_AGE)}|{c(_ROLE)}))"
    )


_MIXED = _pattern(_NAME, caps=False)
_CAPS = _pattern(_CAPS_NAME, caps=True)
# Words that follow those verbs without being a name ("said in San Salvador", "said Monday").
_NOT_NAMES = {
    "in",
    "on",
    "at",
    "to",
    "from",
    "that",
    "this",
    "it",
    "he",
    "she",
    "they",
    "we",
    "there",
    "here",
    "then",
    "so",
    "also",
    "later",
    "earlier",
    "again",
    "mr",
    "mrs",
    "ms",
    "dr",
    "the",
    "police",
    "officials",
    "authorities",
    "witnesses",
    "residents",
    "reporters",
    "today",
    "yesterday",
    *(day.lower() for day in calendar.day_name),
}


@functools.cache
def given_names() -> frozenset[str]:
    """The curated given names (data/given_names.txt), lower-cased."""
    lines = _GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip().lower() for x in lines if x.strip() and not x.startswith("#"))


# A capitalised word and the one or two after it; the first may be a given name. (A
# lookahead, so that every word gets its turn at being the first.)
_RUN = re.compile(
    r"\b(?=([A-Z][a-z]+)((?:[ ]+[A-Z]\.)?[ ]+[A-Z][a-z'\u2019]+)|([A-Z]{2,})((?:[ ]+[A-Z]{2,}){1,2}))"
)
# After a full name, words that make it an institution or a place ("Luis Carlos Galan
# Airport", "Michael Brown Street").
_INSTITUTION = re.compile(
    r"(?:airport|street|st|avenue|ave|road|rd|boulevard|blvd|bridge|school|university|"
    r"college|hospital|center|centre|park|square|stadium|station|county|city|district|"
    r"province|department|village|town|foundation|institute|library|hall|building|"
    r"memorial|highway|drive|lane|way|court|plaza|church|mosque|camp|base|police|"
    r"elementary|middle|high|academy)$",
    re.I,
)


def _surnames(doc: Doc) -> set[str]:
    """Words that follow a given name: 'Gerald Sykes' -> sykes."""
    given = given_names()
    out: set[str] = set()
    for m in _RUN.finditer(doc.text):
        first, rest_text = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if first.lower() not in given:
            continue
        rest = [w for w in rest_text.split() if not re.fullmatch(r"[A-Z]\.", w)]
        end = m.end(2) if m.group(1) else m.end(4)
        after = re.match(r"[ ]+([A-Za-z]+)", doc.text[end : end + 30])
        if _INSTITUTION.match(rest[-1]) or (after and _INSTITUTION.match(after.group(1))):
            continue  # "Luis Carlos Galan Airport", "Michael Brown Street"
        if re.match(r"\s*,?\s*(?:village|town|district|city|province|region)\b", doc.low[end:]):
            continue
        # The given name too: "IN WHICH GONZALO RODRIGUEZ GACHA ... WERE KILLED" names no town.
        out.update(re.sub(r"['\u2019]s?$", "", w).lower() for w in (first, *rest))
    return out


# What follows "in", "near", "at", "outside", "from" and "to" (not "according to" or
# "belonging to"): the places an article goes to, up to three words.
_GONE = re.compile(
    r"(?:\b(?:in|near|at|outside|from)|(?<!belonging )(?<!according )\bto)\s+"
    r"([a-z][\w'-]*)(?:\s+([a-z][\w'-]*))?(?:\s+([a-z][\w'-]*))?"
)


def _not_gone_to(doc: Doc, names: set[str]) -> set[str]:
    """Less certain names, less those the article also uses as places ("drove to Salinas")."""
    if not names:
        return names
    gone: set[str] = set()
    for m in _GONE.finditer(doc.low):
        words = [w for w in m.groups() if w]
        gone.update(" ".join(words[:k]) for k in range(1, len(words) + 1))
    return names - gone


def person_names(doc: Doc) -> frozenset[str]:
    """Lower-cased names (whole and word by word) the article uses for people."""
    pattern = _CAPS if doc.is_caps else _MIXED
    names: set[str] = set()
    weak: set[str] = set()  # known by what follows them, not by a verb that introduces them
    for m in pattern.finditer(doc.text):
        words = re.split(r"[ -]", next(g for g in m.groups() if g))
        if m.group(3) is not None:
            # "... THAT RODRIGUEZ, 34,": the name is what ends right before the age.
            while any(w.lower() in _NOT_NAMES for w in words):
                words = words[1:]
        if not words or any(w.lower() in _NOT_NAMES for w in words):
            continue
        found = {" ".join(words).lower(), *(w.lower() for w in words if len(w) >= 3)}
        (weak if m.group(3) is not None else names).update(found)
    names |= _not_gone_to(doc, (weak | _surnames(doc)) - _NOT_NAMES)
    return frozenset(names)


def is_person(name: str, persons: frozenset[str]) -> bool:
    """Is this candidate name one of the article's people ("Sykes'", "Syke's" included)?"""
    k = re.sub(r"['\u2019]s?$", "", " ".join(name.split())).lower()
    return k in persons or k + "s" in persons
