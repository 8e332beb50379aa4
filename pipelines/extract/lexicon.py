"""Dictionary matching: every word list of the extractor in one Aho-Corasick automaton.

Word lists live in data files (`data/lexicon.tsv`; actors in the dbt seed `actors.csv`;
countries and demonyms in `data/countries.csv`). They are compiled once per process into a
single automaton run over the case-folded text; a hit is kept only on word boundaries.
Acronyms ("IS", "US", "KH") must keep their capitals in ordinary text, and the shortest of
them are ignored in all-capitals wire copy, where case tells nothing.
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import ahocorasick_rs

from pipelines.extract import gazetteer

DATA_DIR = Path(__file__).resolve().parent / "data"
ACTORS_FILE = Path(__file__).resolve().parents[2] / "dbt" / "seeds" / "actors.csv"

# Acronyms that are also ordinary words: never trusted in all-caps text.
_AMBIGUOUS_ACRONYMS = {
    "is",
    "us",
    "aa",
    "sl",
    "hm",
    "ji",
    "it",
    "an",
    "as",
    "at",
    "be",
    "in",
    "on",
    "or",
    "so",
    "to",
    "up",
    "we",
    "no",
    "am",
    "fc",
    "pdf",
    "ola",
    "kia",
    "ana",
    "anp",
    "isf",
    "cia",
    "mir",
    "epl",
    "sna",
    "ssf",
    "jas",
    "lei",
    "let",
    "jem",
    "jua",
    "bra",
    "esn",
    "upc",
    "tdf",
    "isi",
    "aq",
    "kh",
    "ism",
    "iss",
    "adf",
    "rsf",
    "saf",
    "ied",
    "raf",
    "uk",
    "usa",
    "dr",
}


@dataclass(frozen=True)
class Entry:
    """What a dictionary phrase means: its category and value (and a weight for triggers)."""

    category: str
    value: str
    weight: int = 0


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    entry: Entry
    surface: str  # the phrase as written in the text


def expand(phrase: str) -> list[str]:
    """'shell{s,ed,}' -> ['shells', 'shelled', 'shell'] (nested braces are not supported)."""
    m = re.search(r"\{([^{}]*)\}", phrase)
    if not m:
        return [phrase]
    out = []
    for alt in m.group(1).split(","):
        out.extend(expand(phrase[: m.start()] + alt + phrase[m.end() :]))
    return out


def _norm_phrase(p: str) -> str:
    # Match the case-folding of `text.fold`: curly quotes and dashes to ASCII.
    return p.replace("\u2019", "'").replace("\u2013", "-").replace("`", "'").lower().strip()


def _lexicon_rows() -> list[tuple[str, str, str, int]]:
    rows = []
    with open(DATA_DIR / "lexicon.tsv", encoding="utf-8") as fh:
        for line in fh:
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.rstrip("\n").split("\t")
            cat, phrases = parts[0], parts[1]
            value = parts[2] if len(parts) > 2 else cat
            weight = int(parts[3]) if len(parts) > 3 and parts[3] else 0
            rows.append((cat, phrases, value, weight))
    return rows


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    actor_type: str
    country: str | None
    parent_id: str | None


def load_actors() -> dict[str, Actor]:
    with open(ACTORS_FILE, encoding="utf-8", newline="") as fh:
        return {
            r["actor_id"]: Actor(
                r["actor_id"],
                r["canonical_name"],
                r["actor_type"],
                r["country_code"] or None,
                r["parent_id"] or None,
            )
            for r in csv.DictReader(fh)
        }


def _actor_aliases() -> list[tuple[str, str]]:
    out = []
    with open(ACTORS_FILE, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            names = [r["canonical_name"], *[a for a in r["aliases"].split("|") if a]]
            for n in names:
                out.append((n, r["actor_id"]))
                # "al-Shabaab" ~ "al Shabaab" ~ "Shabaab"; "Kata'ib" ~ "Kataib".
                if re.match(r"(?i)^(?:al|el|ad|ash|as|an|ar)[- ]", n):
                    out.append((re.sub(r"^(\w+)[- ]", r"\1 ", n), r["actor_id"]))
                    out.append((re.sub(r"^(\w+)[- ]", r"\1-", n), r["actor_id"]))
                if "'" in n or "`" in n:
                    out.append((re.sub(r"['`]", "", n), r["actor_id"]))
                if "-" in n:
                    out.append((n.replace("-", " "), r["actor_id"]))
    return out


class Lexicon:
    """The compiled automaton and what each pattern means."""

    def __init__(self) -> None:
        meanings: dict[str, list[Entry]] = defaultdict(list)
        case_sensitive: dict[str, set[str]] = defaultdict(set)
        for cat, phrases, value, weight in _lexicon_rows():
            for p in phrases.split("|"):
                for form in expand(p):
                    form = _norm_phrase(form)
                    if form:
                        meanings[form].append(Entry(cat, value, weight))
        self.actors = load_actors()
        for alias, actor_id in _actor_aliases():
            form = _norm_phrase(alias)
            if len(form) < 2:
                continue
            e = Entry("actor", actor_id)
            if e not in meanings[form]:
                meanings[form].append(e)
            if _is_acronym(alias):
                case_sensitive[form].add(alias.replace("\u2019", "'"))
        gaz = gazetteer.load()
        with open(DATA_DIR / "countries.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(line for line in fh if not line.startswith("#")))
        for r in rows:
            for name in [r["name"], *r["aliases"].split("|")]:
                if name:
                    form = _norm_phrase(name)
                    meanings[form].append(Entry("country", r["code"]))
                    if _is_acronym(name):
                        case_sensitive[form].add(name)
            for d in r["demonyms"].split("|"):
                if d:
                    meanings[_norm_phrase(d)].append(Entry("demonym", r["code"]))
                    if _is_acronym(d):
                        case_sensitive[_norm_phrase(d)].add(d)
        for cc, name in gaz.country_names.items():
            form = _norm_phrase(name)
            if Entry("country", cc) not in meanings[form]:
                meanings[form].append(Entry("country", cc))
        self.patterns = list(meanings)
        self.meanings = [meanings[p] for p in self.patterns]
        self.case_sensitive = dict(case_sensitive)
        self.automaton = ahocorasick_rs.AhoCorasick(
            self.patterns, matchkind=ahocorasick_rs.MatchKind.Standard
        )

    def scan(self, text: str, low: str, is_caps: bool) -> list[Hit]:
        """All dictionary hits on word boundaries, in text order (overlaps kept)."""
        hits: list[Hit] = []
        n = len(low)
        for idx, s, e in self.automaton.find_matches_as_indexes(low, overlapping=True):
            if (s > 0 and (low[s - 1].isalnum())) or (e < n and low[e].isalnum()):
                continue
            if (
                e + 1 < n
                and low[e] == "-"
                and low[e + 1].isalpha()
                and "-" not in self.patterns[idx]
            ):
                continue  # "burned-out", "bomb-proof": part of a compound word
            if (
                s > 0
                and low[s - 1] == "-"
                and low[s - 2 : s - 1].isalpha()
                and " " not in self.patterns[idx]
            ):
                # "pro-government" is not "government"; "anti-Taliban" is not the Taliban.
                prefix = low[max(0, s - 6) : s]
                if re.search(r"(?:anti|pro|non|ex|post|pre|counter)-$", prefix):
                    continue
            pattern = self.patterns[idx]
            surface = text[s:e]
            if pattern in self.case_sensitive:
                if is_caps:
                    if pattern in _AMBIGUOUS_ACRONYMS or len(pattern.replace(".", "")) <= 2:
                        continue
                elif surface not in self.case_sensitive[pattern]:
                    continue
            for entry in self.meanings[idx]:
                hits.append(Hit(s, e, entry, surface))
        hits.sort(key=lambda h: (h.start, -h.end))
        return hits


def _is_acronym(name: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", name)
    return bool(letters) and len(letters) <= 6 and letters.isupper()


@lru_cache(maxsize=1)
def get() -> Lexicon:
    """The process-wide lexicon (built on first use, ~1 s)."""
    return Lexicon()
