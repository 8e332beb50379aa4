"""People named in an article, so that their names are not read as places.

A word that names a place in one article is a first name or a surname in another: "Mary" is
a province of Turkmenistan, "Payne" a town in Ohio. The article itself tells which: a name
quoted as speaking ("...," said Mary Payne.) or introduced ("a woman named Mary", "identified
as Sundra Payne") names a person, and so do its words wherever else they appear
("Payne remains on the run", "Mary hopes").
"""

from __future__ import annotations

import calendar
import re

from pipelines.extract.text import Doc

# Verbs that put a speaker's name right after them, and phrases that introduce a name.
_SPEECH = r"(?:said|says|told|asked|added|explained|recalled)"
_NAMING = r"(?:named|identified (?:(?:him|her) )?as|known as|\d{1,3}-year-old|(?:mr|mrs|ms|dr)\.?)"
_NAME = r"[A-Z][a-z]+(?:[ -](?:[A-Z]\.|[A-Z][a-z]+|(?:de|da|del|van|von|bin|al)(?=[ -][A-Z]))){0,3}"
_CAPS_NAME = r"[A-Z]{2,}(?:[ -][A-Z]{2,}){0,3}"
# The name must end the clause: "said Mary." and "said Diana Lafalce, her stepdaughter", not
# "said Mosul police chief ...".
_ENDS = r"(?=\s*(?:[.,;:!?\"')\u201d\u2019]|$))"
_MIXED = re.compile(
    r"\b(?:"
    + _SPEECH
    + r"\s+("
    + _NAME
    + r")"
    + _ENDS
    + r"|"
    + _NAMING
    + r"\s+("
    + _NAME
    + r")|("
    + _NAME
    + r"),\s*\d{1,3},)"  # "Nicholas Glenn, 25,"
)
_CAPS = re.compile(
    r"\b(?:"
    + _SPEECH.upper()
    + r"\s+("
    + _CAPS_NAME
    + r")"
    + _ENDS
    + r"|"
    + _NAMING.upper().replace("\\D", "\\d")
    + r"\s+("
    + _CAPS_NAME
    + r")|("
    + _CAPS_NAME
    + r"),\s*\d{1,3},)"
)
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


def person_names(doc: Doc) -> frozenset[str]:
    """Lower-cased names (whole and word by word) the article uses for people."""
    pattern = _CAPS if doc.is_caps else _MIXED
    names: set[str] = set()
    for m in pattern.finditer(doc.text):
        words = re.split(r"[ -]", next(g for g in m.groups() if g))
        if m.group(3) is not None:
            # "... THAT RODRIGUEZ, 34,": the name is what ends right before the age.
            while any(w.lower() in _NOT_NAMES for w in words):
                words = words[1:]
        if not words or any(w.lower() in _NOT_NAMES for w in words):
            continue
        names.add(" ".join(words).lower())
        names.update(w.lower() for w in words if len(w) >= 3)
    return frozenset(names)


def is_person(name: str, persons: frozenset[str]) -> bool:
    """Is this candidate name one of the article's people ("Sykes'", "Syke's" included)?"""
    k = re.sub(r"['\u2019]s?$", "", " ".join(name.split())).lower()
    return k in persons or k + "s" in persons
