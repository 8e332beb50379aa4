"""Who did it: actor mentions from the curated dictionary, generic forces and clan militias.

Named actors come from the actor dictionary (the dbt seed `actors.csv`: canonical names,
aliases and acronyms, parents, types). Generic state forces ("government troops", "the
army", "police", "a government soldier (SNA)") resolve to the forces of the country the
article is about, ACLED-style ("Military Forces of Somalia"). Somali clan militias are named
after their lineage ("Hawadle clan militia" is the "Hawiye-Hawadle Sub-Clan Militia").
Anaphora such as "the group" or "the faction's supporters" point back to the last armed
group named.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipelines.extract import lexicon
from pipelines.extract.text import Doc

DATA_DIR = Path(__file__).resolve().parent / "data"

_GENERIC_MILITARY = re.compile(
    r"\b(?:(?:government|governmental|state|federal|national|regime|security|army|military|pro-government)\s+)?"
    r"(?:security forces|forces|troops|soldiers|soldier|army|military|armed forces|servicemen|patrol|convoy|units?)\b"
)
_GENERIC_POLICE = re.compile(
    r"\b(?:(?:government|state|federal|local|district|riot|special|traffic)\s+)?(?:police(?:men|man|women|woman| officers?| forces?)?|gendarmes?|gendarmerie)\b"
)
_UNKNOWN_PERP = re.compile(
    r"\b(?:unknown|unidentified|anonymous|masked|armed|suspected)\s+(?:armed\s+)?(?:gunmen|gunman|men|man|assailants?|attackers?|militants?|persons?|individuals?|group|assassins?|bandits?|terrorists?|insurgents?)\b"
    r"|\b(?:gunmen|gunman|assailants|attackers|a gunman|a suicide bomber|militants|bandits)\b"
)
_ANAPHOR = re.compile(
    r"\b(?:the|this|that|its|the same)\s+(?:militant\s+|armed\s+|jihadist\s+|extremist\s+|terrorist\s+|rebel\s+|islamist\s+|insurgent\s+)?(?:group|faction|organi[sz]ation|movement|militia|outfit|network)(?:'s)?\b"
)
_CLAN = re.compile(
    r"\b(?P<name>(?:[A-Z][\w'-]+[\s-]){0,3}[A-Z][\w'-]+)\s+(?P<sub>sub-?\s?clan|clan)(?:\s+(?:militia|militiamen|fighters|gunmen)\b|(?=\s+(?:shot|killed|attacked|abducted|ambushed|clashed|injured|wounded|fired|stormed|burned|looted)\b))"
)
_SUSPECT_BEFORE = re.compile(
    r"\b(?:suspected|presumed|alleged|likely|possible|probable|purported|reported)\s+(?:members? of\s+(?:the\s+)?)?$"
)


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    actor_id: str | None
    name: str | None  # canonical name; None for unknown attackers
    actor_type: str | None
    kind: str  # named | state | unknown | clan | anaphor
    suspected: bool = False  # "suspected Boko Haram militants"


@lru_cache(maxsize=1)
def _clans() -> dict[str, str]:
    """Clan or sub-clan name (lower case) -> lineage prefix, e.g. 'hawadle' -> 'Hawiye-Hawadle'."""
    out: dict[str, str] = {}
    with open(DATA_DIR / "clans.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(line for line in fh if not line.startswith("#")):
            for name in [r["clan"], *r["aliases"].split("|")]:
                if name:
                    out[name.lower()] = r["lineage"]
    return out


def state_actor(kind: str, country: str | None) -> tuple[str | None, str | None]:
    """('military'|'police', ISO2) -> (actor_id, canonical name) from the dictionary."""
    if not country:
        return None, None
    lex = lexicon.get()
    actor_id = f"{'military' if kind == 'military' else 'police'}_forces_{country.lower()}"
    a = lex.actors.get(actor_id)
    return (a.actor_id, a.name) if a else (None, None)


_NOT_OWN_FORCES = re.compile(
    r"\b(?:foreign|international|coalition|allied|enemy|rebel|opposition|militia|peacekeeping|un|nato)\s*$"
)
_STATE_FORCE_WORD = re.compile(
    r"(?:government|state|federal|national|regime|security|army|military|pro-government|soldier|army|military|troops)"
)
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|government)\s*$")
_GLUED = re.compile(r"[\s)(]*")  # only spaces and brackets between two names


def find_actors(doc: Doc, hits: list, country: str | None) -> list[ActorMention]:
    """Actor mentions in text order. `country` is the article's main country (for generic
    forces); the dictionary hits come from `lexicon.scan`."""
    lex = lexicon.get()
    low = doc.low
    out: list[ActorMention] = []
    taken: list[tuple[int, int]] = []
    # Longest dictionary hit wins at each place.
    actor_hits = sorted(
        (h for h in hits if h.entry.category == "actor"),
        key=lambda h: (h.start, -(h.end - h.start)),
    )
    for h in actor_hits:
        if any(a < h.end and h.start < b for a, b in taken):
            continue
        a = lex.actors.get(h.entry.value)
        if a is None:
            continue
        if a.actor_type == "state" and not _state_as_actor(doc, h):
            continue
        taken.append((h.start, h.end))
        out.append(
            ActorMention(
                h.start, h.end, a.actor_id, a.name, a.actor_type, "named", _suspected(doc, h.start)
            )
        )
    for m in _CLAN.finditer(doc.text) if "clan" in doc.text else ():  # every match holds it
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        name = _clan_name(m.group("name"))
        if name:
            taken.append((m.start(), m.end()))
            out.append(
                ActorMention(
                    m.start(),
                    m.end(),
                    None,
                    name,
                    "armed_group",
                    "clan",
                    _suspected(doc, m.start()),
                )
            )
    for pat, kind in ((_GENERIC_POLICE, "police"), (_GENERIC_MILITARY, "military")):
        for m in pat.finditer(low):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            # "American forces" are a named actor (dictionary); a bare "forces" needs context.
            before = low[max(0, m.start() - 25) : m.start()]
            if _NOT_OWN_FORCES.search(before):
                continue
            if (
                kind == "military"
                and not _STATE_FORCE_WORD.match(m.group(0))
                and not _DETERMINER_BEFORE.search(before)
            ):
                continue
            # "UPDF troops", "Turkish military forces": the named actor already covers it.
            if any(
                _GLUED.fullmatch(low[b : m.start()] or " ")
                for a, b in taken
                if b <= m.start() and m.start() - b <= 3
            ):
                continue
            actor_id, name = state_actor(kind, country)
            taken.append((m.start(), m.end()))
            out.append(ActorMention(m.start(), m.end(), actor_id, name, "state_force", "state"))
    for m in _UNKNOWN_PERP.finditer(low):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        # "Al Shabaab militants attacked": the group named just before is the attacker.
        if any(
            b <= m.start() and _GLUED.fullmatch(low[b : m.start()] or " ") and m.start() - b <= 3
            for a, b in taken
        ):
            continue
        taken.append((m.start(), m.end()))
        out.append(
            ActorMention(m.start(), m.end(), None, None, None, "unknown", "suspected" in m.group(0))
        )
    out.sort(key=lambda a: a.start)
    return _resolve_anaphora(doc, out)


_SUBJECT_VERB = re.compile(
    r"^\s+(?:(?:has|have|had|also|then|later|again|reportedly|allegedly|on \w+|\w+ly)\s+)*"
    r"(?:[a-z]+ed|said|says|took|launched|blamed|blames|accused|accuses|denied|denies|claimed|struck|hit|"
    r"fired|sent|began|vowed|warned|insisted|carried|conducted|killed|responded|retaliated|bombed|"
    r"shot|shelled|strikes|hits|holds|held|sees|saw|says|told|is|was|will)\b"
)


_QUALIFIED_NAME = re.compile(
    r"\b(?:suspected|presumed|alleged|likely|possible|probable|purported|presumably|reportedly)\s+((?:members? of\s+)?(?:the\s+)?[^.;,]*)$"
)
_AGENT_BEFORE = re.compile(
    r"\b(?:by|blamed on|blame on|blaming|blamed|blames|accused|accusing|accuses)\s+(?:the\s+)?$"
)


def _suspected(doc: Doc, pos: int) -> bool:
    """'suspected Boko Haram militants', 'suspected Al Qaeda Organization in the Arabian
    Peninsula (AQAP) gunmen': the qualifier governs the whole name before it."""
    before = doc.low[max(0, pos - 90) : pos]
    m = _QUALIFIED_NAME.search(before)
    if not m:
        return False
    between = doc.text[pos - len(m.group(1)) : pos]
    # Only name words (capitalised), connectors and brackets may stand between.
    return all(
        w[:1].isupper()
        or w.lower() in ("of", "the", "in", "al", "and", "members", "member", "(", ")")
        or not w[:1].isalpha()
        for w in between.split()
    )


def _state_as_actor(doc: Doc, h) -> bool:
    """A country's name acts ("Iran launched", "Washington has blamed") only as a subject
    followed by its verb, or as an agent after "by"; otherwise it is a place."""
    before = doc.low[max(0, h.start - 12) : h.start]
    after = doc.low[h.end : h.end + 40]
    if _AGENT_BEFORE.search(before):
        return True  # the agent, or the accused
    return bool(_SUBJECT_VERB.match(after))


def _clan_name(name: str) -> str | None:
    clans = _clans()
    words = [w for w in re.split(r"[\s-]+", name) if w]
    for i in range(len(words)):
        sub = " ".join(words[i:]).lower()
        if sub in clans:
            lineage = clans[sub]
            return f"{lineage} Sub-Clan Militia"
    last = words[-1].lower() if words else ""
    if last in clans:
        return f"{clans[last]} Sub-Clan Militia"
    return None


def _resolve_anaphora(doc: Doc, mentions: list[ActorMention]) -> list[ActorMention]:
    """'the group', 'the faction' -> the last armed group named before it."""
    out = list(mentions)
    # Only a group named before can be pointed back to: without one, no need to look.
    groups = any(
        a.kind in ("named", "clan") and a.actor_type in ("armed_group", "criminal")
        for a in mentions
    )
    for m in _ANAPHOR.finditer(doc.low) if groups else ():
        if any(a.start <= m.start() < a.end for a in mentions):
            continue
        prev = [
            a
            for a in mentions
            if a.end <= m.start()
            and a.kind in ("named", "clan")
            and a.actor_type in ("armed_group", "criminal")
        ]
        if prev:
            p = prev[-1]
            out.append(
                ActorMention(
                    m.start(), m.end(), p.actor_id, p.name, p.actor_type, "anaphor", p.suspected
                )
            )
    out.sort(key=lambda a: a.start)
    return out
