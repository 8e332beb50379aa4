"""Incidents to contract records: one value per field, and the words behind each value."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipelines.extract import casualties
from pipelines.extract.events import _TYPE_RANK, Incident, prune_weapons
from pipelines.extract.places import PlaceMention
from pipelines.extract.text import Doc

_WEAPON_TYPE = {
    "rocket": "shelling",
    "mortar": "shelling",
    "artillery": "shelling",
    "missile": "shelling",
    "ballistic_missile": "shelling",
    "drone": "drone_strike",
    "aircraft": "air_strike",
    "ied": "bombing",
    "car_bomb": "bombing",
    "suicide_explosive": "bombing",
    "grenade": "bombing",
    "landmine": "bombing",
    "explosive": "bombing",
    "firearm": "armed_assault",
    "bladed": "armed_assault",
    "incendiary": "facility_attack",
    "vehicle": "armed_assault",
}
_STATUS_RANK = {"claimed": 4, "stated": 3, "blamed": 2, "suspected": 1}


def attack_type(inc: Incident) -> tuple[str, tuple[int, int] | None]:
    best, score, ev, best_value = None, -1.0, None, None
    lead = next((m for m in inc.mentions if m.is_event and m.triggers), None)
    for m in inc.mentions:
        for h in m.triggers:
            t = h.entry.value.split(":")[0]
            # The clause that tells the attack first names its kind; a weapon used along the
            # way ("stormed a hotel ... threw grenades into the lobby") does not retype it.
            s = h.entry.weight * 10 + _TYPE_RANK.get(t, 0) + (3 if m is lead else 0)
            if s > score:
                best, score, ev, best_value = t, s, (h.start, h.end), h.entry.value
    if best == "bombing" and best_value == "bombing:grenade":
        # "opened fire on the guards and threw grenades into the lobby": a raid with grenades
        shots = [
            (h.start, h.end)
            for m in inc.mentions
            for h in m.triggers
            if h.entry.value.startswith("armed_assault") and h.entry.weight >= 3
        ]
        if shots:
            best, ev = "armed_assault", shots[0]
    if _is_generic(inc):
        borrowed = _borrowed(inc)
        if borrowed:
            return borrowed
    weapons = weapons_of(inc)
    if best in (None, "other") or (best == "armed_assault" and score < 20):
        for w in (
            "drone",
            "aircraft",
            "rocket",
            "mortar",
            "missile",
            "ballistic_missile",
            "artillery",
            "car_bomb",
            "suicide_explosive",
            "ied",
            "grenade",
            "landmine",
            "explosive",
            "incendiary",
            "firearm",
            "bladed",
        ):
            if w in weapons:
                return _WEAPON_TYPE[w], weapons[w]
    if best == "shelling" and "aircraft" in weapons:
        return "air_strike", ev
    if best == "shelling" and "drone" in weapons:
        return "drone_strike", ev
    return best or "other", ev


def _is_generic(inc: Incident) -> bool:
    from pipelines.extract.events import _generic

    events_ = [m for m in inc.mentions if m.is_event]
    return bool(events_) and all(_generic(m) for m in events_)


def _borrowed(inc: Incident) -> tuple[str, tuple[int, int] | None] | None:
    """A generic 'attack' takes its kind from its sentence ("rockets ..., in a similar
    attack") or from the incident it repeats ("a similar attack", "hit again")."""
    for m in inc.mentions:
        if m.sentence_type:
            return m.sentence_type[0].split(":")[0], m.sentence_type[1]
    if inc.inherit_from is not None and inc.inherit_from is not inc:
        t, span = attack_type(inc.inherit_from)
        return t, span
    return None


def weapons_of(inc: Incident) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    if _is_generic(inc):
        for m in inc.mentions:
            if m.sentence_type and ":" in m.sentence_type[0]:
                out.setdefault(m.sentence_type[0].split(":")[1], m.sentence_type[1])
        if not out and inc.inherit_from is not None and inc.inherit_from is not inc:
            out.update(weapons_of(inc.inherit_from))
    for m in inc.mentions:
        for w, span in m.weapons.items():
            out.setdefault(w, span)
        for h in m.triggers:
            parts = h.entry.value.split(":")
            if len(parts) > 1 and h.entry.weight >= 2:
                out.setdefault(parts[1], (h.start, h.end))
    prune_weapons(out)
    return out


def toll(inc: Incident, status: str) -> tuple[dict | None, list]:
    """The incident's killed or wounded: the largest figure any of its clauses gives;
    zero only when no clause gives a number; null when nothing is said."""
    best, best_facts = None, []
    zero, zero_facts = None, []
    for m in inc.mentions:
        value, facts = casualties.total(m.facts, status)
        if value is None:
            continue
        if value["low"] == 0 and value["high"] == 0:
            zero, zero_facts = value, facts
            continue
        if best is None or (value["low"] or 0) > (best["low"] or 0):
            best, best_facts = value, facts
    if best is not None:
        return best, best_facts
    return zero, zero_facts


def casualty_groups(inc: Incident) -> list[tuple[dict, tuple[int, int]]]:
    out = []
    seen = set()
    for m in inc.mentions:
        for f in m.facts:
            if f.is_zero or f.is_unknown or f.low is None or f.is_including:
                continue
            key = (f.status, f.group, f.nationality, f.low, f.high)
            if key in seen:
                continue
            seen.add(key)
            out.append(
                (
                    {
                        "status": f.status,
                        "group": "perpetrators" if f.is_perpetrator else f.group,
                        "nationality": f.nationality,
                        "low": f.low,
                        "high": f.high,
                        "is_perpetrator": f.is_perpetrator,
                    },
                    (f.start, f.end),
                )
            )
    return out


def location(
    inc: Incident,
    fallback: PlaceMention | None,
    main_country: str | None = None,
    explicit: set | None = None,
) -> tuple[dict | None, tuple[int, int] | None]:
    cands: list[tuple[float, PlaceMention]] = []
    agents = [(m.agent.start, m.agent.end) for m in inc.mentions if m.agent is not None]
    for i, m in enumerate(inc.mentions):
        for p in m.places:
            if any(a <= p.start < b for a, b in agents):
                continue  # "Iran launched ...": the attacker's name, not the place
            if p.demonym and not p.site:
                continue  # "a U.S. contractor": a nationality, not a place
            score = 0.0
            prec = p.precision()
            score += {"site": 5, "city": 4, "admin1": 2, "country": 1, "unknown": 3}.get(prec, 0)
            if p.locative:
                score += 3
            if p.coded:
                score += 4
            if p.reference:
                score -= 2.5  # "north of Baghdad": where it was measured from
            if p.demonym:
                score -= 2.5
            if p.resolved is None and not p.kind_hint and not p.admin1_hint:
                score -= 3
            score -= 0.3 * i
            if m.is_event:
                score += 2  # where the attack is told, not where a lorry was heading
            cc = p.country
            if main_country and cc == main_country:
                score += 1.5
            elif cc and explicit and cc not in explicit:
                score -= 3  # a foreign capital mentioned in passing ("IN MADRID, A SPOKESMAN")
            elif cc and main_country and not m.is_event:
                score -= 3  # a foreign place in a clause that tells no attack
            elif (
                cc
                and main_country
                and p.resolved is not None
                and " " not in p.name
                and p.name.isupper()
                and p.resolved.population < 100_000
                and p.resolved.kind == "city"
            ):
                score -= 4  # a small namesake abroad read from capitals ("PRESTO", "FINES")
            cands.append((score, p))
    if cands:
        cands.sort(key=lambda x: -x[0])
        best = cands[0][1]
        if (
            fallback is not None
            and cands[0][0] < 2
            and best.precision() == "country"
            and main_country is not None
            and best.country != main_country
            and fallback.country == main_country
        ):
            # Only a foreign country named in passing ("from Panama"): the story's own place.
            return fallback.as_location(), (fallback.start, fallback.end)
        loc = best.as_location()
        # Fill country/region from the other mentions of this incident.
        if loc["country_code"] is None:
            for _, p in cands[1:]:
                if p.country:
                    loc["country_code"] = p.country
                    break
        if loc["admin1"] is None:
            for _, p in cands[1:]:
                if (
                    p.resolved
                    and p.resolved.kind == "admin1"
                    and p.resolved.country == loc["country_code"]
                ):
                    loc["admin1"] = p.resolved.name
                    break
        return loc, (best.start, best.end)
    if fallback is not None:
        loc = fallback.as_location()
        return loc, (fallback.start, fallback.end)
    return None, None


def perpetrator(
    inc: Incident, extra: list | None = None
) -> tuple[dict, tuple[int, int] | None, list]:
    """Name and status: a claim beats an actor stated as doing it, which beats blame and
    suspicion; an unnamed attacker is unknown. `extra` are statements about several
    incidents that cover this one."""
    cands: list[tuple[int, str, str, tuple[int, int] | None]] = []
    for s in extra or []:
        if s.actor is None:
            continue
        span = (s.actor_start, s.actor_end) if s.actor_start is not None else (s.start, s.end)
        status = {"claim": "claimed", "blame": "blamed", "suspect": "suspected"}.get(s.type)
        if status:
            cands.append((_STATUS_RANK[status], s.actor, status, span))
    for m in inc.mentions:
        if m.agent is not None and m.agent.name and m.is_event:
            status = "suspected" if m.agent.suspected else "stated"
            cands.append((_STATUS_RANK[status], m.agent.name, status, (m.agent.start, m.agent.end)))
        for s in m.statements:
            if s.actor is None:
                continue
            span = (s.actor_start, s.actor_end) if s.actor_start is not None else (s.start, s.end)
            if s.type == "claim":
                cands.append((_STATUS_RANK["claimed"], s.actor, "claimed", span))
            elif s.type == "blame":
                cands.append((_STATUS_RANK["blamed"], s.actor, "blamed", span))
            elif s.type == "suspect":
                cands.append((_STATUS_RANK["suspected"], s.actor, "suspected", span))
    denied = {s.actor for m in inc.mentions for s in m.statements if s.type == "deny"} | {
        s.actor for s in extra or [] if s.type == "deny"
    }
    cands = [c for c in cands if not (c[2] in ("blamed", "suspected") and c[1] in denied)]
    if not cands:
        return {"name": None, "status": "unknown"}, None, []
    cands.sort(key=lambda c: -c[0])
    top = cands[0]
    alts = sorted({c[1] for c in cands[1:] if c[1] != top[1]})
    return {"name": top[1], "status": top[2]}, top[3], alts


def attributions(inc: Incident, extra: list) -> list[tuple[dict, tuple[int, int]]]:
    out, seen = [], set()
    for s in [s for m in inc.mentions for s in m.statements] + extra:
        key = (s.type, s.actor, s.by)
        if key in seen:
            continue
        seen.add(key)
        item = {"type": s.type, "actor": s.actor, "by": s.by}
        if s.mode:
            item["mode"] = s.mode
        out.append((item, (s.start, s.end)))
    types = {a["type"] for a, _ in out}
    if "claim" in types:
        out = [x for x in out if x[0]["type"] != "no_claim"]
    return out


def targets(doc: Doc, inc: Incident) -> list[str]:
    out: list[str] = []
    for m in inc.mentions:
        if not m.is_event:
            continue
        seg = doc.text[m.start : m.end]
        for mt in re.finditer(
            r"\b(?:targeting|targeted|against|on|at|into|attacked|stormed|hit|struck)\s+((?:an?|the)\s+(?:[\w'.-]+\s+){0,4}?(?:base|airbase|camp|checkpoint|convoy|patrol|station|post|embassy|office|market|mosque|church|school|hospital|hotel|home|house|residence|vehicle|bus|compound|village|town|restaurant|bar|crowd|rally|soldiers|troops|police|forces|civilians|workers))\b",
            seg,
            re.I,
        ):
            t = mt.group(1).strip()
            if t not in out:
                out.append(t)
    return out[:5]


def default_interval(doc: Doc) -> tuple[date, date]:
    """An undated incident reported as news happened on the publication day or the day before."""
    return doc.published - timedelta(days=1), doc.published
