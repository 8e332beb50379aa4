"""Responsibility statements: claims, "no group has claimed", blame, suspicion and denials.

Each statement names its actor and, for blame, who blames ("Washington has blamed Kataib
Hezbollah": blame, actor Kataib Hezbollah, by United States). A statement about several
attacks ("No attacks have been claimed") is marked plural so the caller can apply it to
every incident it covers. Competing claims stay separate statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.actors import ActorMention
from pipelines.extract.text import Doc

_MODE = re.compile(
    r"\b(?:in|via|through|on|by)\s+(?:a|an|its|their|the)?\s*(?:online\s+|written\s+|brief\s+|short\s+|video\s+|audio\s+)?"
    r"(?P<mode>statement(?:\s+(?:posted\s+)?on\s+(?:telegram|social media|its website|the internet|twitter|x|facebook|its (?:telegram )?channel))?|"
    r"telegram(?: channel)?|social media|video|audio (?:message|recording)|(?:phone|telephone) call|text message|website|"
    r"amaq(?: news agency)?|andalus(?: radio)?|radio andalus|al-andalus|spokesman|spokesperson|communiqu[eé]|message to (?:journalists|reporters)|"
    r"news agency|leaflets?|posters?|email)"
)


@dataclass(frozen=True)
class Statement:
    type: str  # claim | no_claim | blame | suspect | deny
    actor: str | None
    by: str | None
    mode: str | None
    start: int
    end: int
    plural: bool = False  # about several attacks ("no attacks have been claimed")
    actor_start: int | None = None
    actor_end: int | None = None


def _nearest_before(
    actors: list[ActorMention], pos: int, lo: int, named_only: bool = True
) -> ActorMention | None:
    cands = [a for a in actors if lo <= a.start and a.end <= pos and (a.name or not named_only)]
    return cands[-1] if cands else None


def _nearest_after(actors: list[ActorMention], pos: int, hi: int) -> ActorMention | None:
    cands = [a for a in actors if pos <= a.start < hi and a.name]
    return cands[0] if cands else None


def statements(
    doc: Doc, hits: list, actors: list[ActorMention], start: int, end: int
) -> list[Statement]:
    """Responsibility statements in `doc.text[start:end]` (one sentence)."""
    low = doc.low
    out: list[Statement] = []
    cue_hits = [
        h
        for h in hits
        if start <= h.start < end
        and h.entry.category in ("claim", "no_claim", "blame", "suspect", "deny")
    ]
    no_claim_spans = [(h.start, h.end) for h in cue_hits if h.entry.category == "no_claim"]
    seen: set[tuple[str, int]] = set()
    # "No attacks have been claimed but Washington has blamed X": the whole sentence is
    # about several attacks, so every statement in it is.
    sentence_plural = bool(
        re.search(
            r"\b(?:attacks|bombings|strikes|incidents|killings|abductions|kidnappings)\b",
            low[start:end],
        )
    ) and any(
        h.entry.category == "no_claim"
        and re.search(
            r"\b(?:attacks|bombings|strikes|incidents)\b",
            low[max(start, h.start - 30) : h.end + 25],
        )
        for h in cue_hits
    )
    for h in cue_hits:
        cat = h.entry.category
        if cat != "no_claim" and any(a <= h.start < b for a, b in no_claim_spans):
            continue
        if (cat, h.start) in seen:
            continue
        seen.add((cat, h.start))
        plural = sentence_plural or bool(
            re.search(
                r"\b(?:attacks|bombings|strikes|incidents|killings|abductions|kidnappings)\b",
                low[max(start, h.start - 30) : min(end, h.end + 25)],
            )
        )
        if cat == "no_claim":
            out.append(Statement("no_claim", None, None, None, h.start, h.end, plural))
        elif cat == "claim":
            st = _claim(doc, h, actors, start, end, plural)
            if st:
                out.append(st)
        elif cat == "blame":
            st = _blame(doc, h, actors, start, end, plural)
            if st:
                out.append(st)
        elif cat == "deny":
            a = _nearest_before(actors, h.start, max(start, h.start - 80))
            if (
                a
                and not re.search(r"\bdenied (?:that|the|a)\b", low[h.start : h.end + 5])
                or a
                and "responsib" in low[h.start : h.end + 30]
                or a
                and "involvement" in low[h.start : h.end + 30]
            ):
                out.append(
                    Statement("deny", a.name, None, None, h.start, h.end, plural, a.start, a.end)
                )
        elif cat == "suspect":
            st = _suspect(doc, h, actors, start, end, plural)
            if st:
                out.append(st)
    return _dedupe(out)


def _claim(doc: Doc, h, actors, start, end, plural) -> Statement | None:
    low = doc.low
    # "claimed by X"
    m = re.match(
        r"\s*(?:responsibility\s+)?(?:for\s+(?:the|this)\s+\w+\s+)?by\s+", low[h.end : h.end + 40]
    )
    a = _nearest_after(actors, h.end, h.end + 60) if m else None
    if a is None:
        a = _nearest_before(actors, h.start, max(start, h.start - 160))
        a = _past_apposition(doc, actors, a, start)
    if a is None:
        before = low[max(start, h.start - 40) : h.start]
        if re.search(
            r"\b(?:it|they|he|the group|the militants|the rebels|the insurgents)\s+(?:has\s+|have\s+|had\s+)?$",
            before,
        ):
            return Statement("claim", None, None, _mode(low, h.end, end), h.start, h.end, plural)
        return None
    if a.kind == "unknown" or a.name is None:
        return None
    if a.actor_type in ("state", "state_force") and not re.search(
        r"(?:claimed responsibility|claimed the|took responsibility|claimed credit)",
        low[h.start : h.end + 5],
    ):
        # "the army claimed to have killed 20 militants" is a battle report, not a claim of a terror attack,
        # but a state can claim an attack; keep explicit responsibility claims only.
        return None
    return Statement(
        "claim", a.name, None, _mode(low, h.end, end), h.start, h.end, plural, a.start, a.end
    )


def _past_apposition(doc: Doc, actors, a, start: int):
    """'The Islamic Resistance in Iraq, an alliance of factions that includes Kataib
    Hezbollah, had claimed the attack': the subject is the name before the apposition."""
    if a is None:
        return None
    before = [x for x in actors if start <= x.start and x.end <= a.start and x.name]
    if not before:
        return a
    subj = before[-1]
    gap = doc.low[subj.end : a.start]
    if (
        re.match(r"\s*,\s+(?:an?|the|one|which|who|whose)\b[^,]*$", gap)
        and "," in doc.low[a.end : a.end + 40]
    ):
        return subj
    return a


def _mode(low: str, pos: int, end: int) -> str | None:
    m = _MODE.search(low, pos, min(end, pos + 120))
    return m.group("mode") if m else None


def _blame(doc: Doc, h, actors, start, end, plural) -> Statement | None:
    low = doc.low
    cue = low[h.start : h.end]
    passive = re.search(
        r"\b(?:was|were|is|are|been|being)\s+(?:widely\s+|also\s+)?$",
        low[max(start, h.start - 15) : h.start],
    )
    if cue.startswith(
        (
            "was the work",
            "were behind",
            "was behind",
            "is behind",
            "are behind",
            "responsibility lies",
        )
    ):
        if cue.startswith("responsibility"):
            target = _nearest_after(actors, h.end, min(end, h.end + 60))
        else:
            target = _nearest_before(actors, h.start, max(start, h.start - 60))
        if target is None:
            return None
        by = _by(doc, actors, start, target.start)
        return Statement(
            "blame", target.name, by, None, h.start, h.end, plural, target.start, target.end
        )
    if passive or cue.startswith("blamed on") or low[h.end : h.end + 4] == " on ":
        # "X was blamed (by Y)" / "the attack was blamed on X"
        on = re.match(r"\s+on\s+", low[h.end : h.end + 6])
        if on:
            target = _nearest_after(actors, h.end, min(end, h.end + 60))
            byp = None
        else:
            target = _nearest_before(actors, h.start, max(start, h.start - 80))
            bym = re.match(r"\s+by\s+", low[h.end : h.end + 6])
            byp = _nearest_after(actors, h.end, min(end, h.end + 40)) if bym else None
        if target is None:
            return None
        return Statement(
            "blame",
            target.name,
            _actor_as_party(byp),
            None,
            h.start,
            h.end,
            plural,
            target.start,
            target.end,
        )
    target = _nearest_after(actors, h.end, min(end, h.end + 80))
    if target is None:
        return None
    by = _by(doc, actors, start, h.start)
    return Statement(
        "blame", target.name, by, None, h.start, h.end, plural, target.start, target.end
    )


def _by(doc: Doc, actors, start: int, pos: int) -> str | None:
    """Who blames: the named actor (a state, its capital, its forces) before the cue.
    Unnamed "officials" or "police" leave it unknown."""
    return _actor_as_party(_nearest_before(actors, pos, start))


def _actor_as_party(a: ActorMention | None) -> str | None:
    if a is None or a.name is None:
        return None
    return a.name


def _suspect(doc: Doc, h, actors, start, end, plural) -> Statement | None:
    low = doc.low
    cue = low[h.start : h.end]
    # "suspected Boko Haram militants" / "likely Al Shabaab"
    a = _nearest_after(actors, h.end, min(end, h.end + 25))
    if (
        a is not None
        and re.fullmatch(r"[\s(]*(?:members? of\s+)?(?:the\s+)?", low[h.end : a.start])
        and cue
        in (
            "suspected",
            "likely",
            "presumed",
            "alleged",
            "allegedly",
            "suspect",
            "suspects",
            "believed to be",
            "thought to be",
        )
    ):
        return Statement("suspect", a.name, None, None, h.start, h.end, plural, a.start, a.end)
    # "X is suspected", "X was thought to be responsible", "police suspected that X"
    if re.search(r"(?:thought to|believed to|suspected|suspect|hallmarks|linked to|likely)", cue):
        b = _nearest_before(actors, h.start, max(start, h.start - 60))
        tail = low[h.end : min(end, h.end + 60)]
        if (
            b is not None
            and b.kind != "unknown"
            and (
                re.match(
                    r"\s*(?:be\s+)?(?:to\s+be\s+)?(?:responsible|behind|involved|of\b|the\s+(?:perpetrator|culprit))",
                    tail,
                )
                or cue.startswith(
                    ("is suspected", "are suspected", "was suspected", "were suspected")
                )
                or cue in ("suspected",)
                and re.match(r"[.,;]|\s*$", tail)
            )
        ):
            return Statement("suspect", b.name, None, None, h.start, h.end, plural, b.start, b.end)
        after = _nearest_after(actors, h.end, min(end, h.end + 80))
        if (
            after is not None
            and re.search(r"\b(?:that|of|on)\s", low[h.end : after.start] + " ")
            and re.search(
                r"(?:responsib|behind|involve|carried out|perpetrat)",
                low[after.end : min(end, after.end + 60)] + low[h.start : h.end],
            )
        ):
            return Statement(
                "suspect", after.name, None, None, h.start, h.end, plural, after.start, after.end
            )
    return None


def _dedupe(out: list[Statement]) -> list[Statement]:
    seen = set()
    res = []
    for s in out:
        k = (s.type, s.actor, s.by)
        if k in seen:
            continue
        seen.add(k)
        res.append(s)
    return res
