"""The extraction contract (v1) as checks: what every record the extractor emits must hold.

`violations(records, article)` returns readable problems, one string each, so a failing
test names the record, the field and the value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

KINDS = {"incident", "aggregate"}
ATTACK_TYPES = {
    "bombing",
    "shelling",
    "air_strike",
    "drone_strike",
    "armed_assault",
    "assassination",
    "kidnapping",
    "facility_attack",
    "storming",
    "clash",
    "other",
}
WEAPONS = {
    "rocket",
    "mortar",
    "artillery",
    "missile",
    "ballistic_missile",
    "drone",
    "aircraft",
    "ied",
    "car_bomb",
    "suicide_explosive",
    "grenade",
    "landmine",
    "explosive",
    "firearm",
    "bladed",
    "incendiary",
    "vehicle",
    "other",
}
DATE_PRECISIONS = {"day", "week", "month", "year", "unknown"}
LOCATION_PRECISIONS = {"site", "city", "admin1", "country", "unknown"}
PERPETRATOR_STATUSES = {"stated", "claimed", "blamed", "suspected", "unknown"}
ATTRIBUTION_TYPES = {"claim", "no_claim", "blame", "suspect", "deny"}
QUALIFIERS = {"exact", "at_least", "at_most", "about"}
CASUALTY_STATUSES = {"killed", "wounded"}

RECORD_FIELDS = {
    "article_id",
    "event_key",
    "kind",
    "is_background",
    "attack_type",
    "weapons",
    "date_start",
    "date_end",
    "date_precision",
    "location",
    "perpetrator",
    "targets",
    "killed",
    "wounded",
    "casualty_groups",
    "attributions",
    "evidence",
}
LOCATION_FIELDS = {"name", "country_code", "admin1", "lat", "lon", "precision"}
# Members the project adds beyond the contract's minimum, each documented in the samples'
# conventions or the extractor: an aggregate's count of attacks, the perpetrator's
# alternatives, how a claim was made, and whether a casualty group is the attackers.
OPTIONAL = {
    "record": {"count"},
    "perpetrator": {"alt"},
    "attribution": {"mode"},
    "casualty_group": {"is_perpetrator"},
}
# Evidence names the field its words support; "date" covers date_start/date_end.
EVIDENCE_FIELDS = (RECORD_FIELDS - {"article_id", "event_key", "evidence"}) | {"date"}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")


def _members(where: str, obj: Any, required: set[str], optional: set[str]) -> list[str]:
    if not isinstance(obj, dict):
        return [f"{where} is {type(obj).__name__}, not an object"]
    out = []
    if missing := required - obj.keys():
        out.append(f"{where} lacks {sorted(missing)}")
    if extra := obj.keys() - required - optional:
        out.append(f"{where} has members outside the contract {sorted(extra)}")
    return out


def _count(where: str, low: Any, high: Any) -> list[str]:
    if not isinstance(low, int) or isinstance(low, bool) or low < 0:
        return [f"{where}.low {low!r} is not a count"]
    if high is not None and (not isinstance(high, int) or isinstance(high, bool) or high < low):
        return [f"{where}.high {high!r} is neither null nor a count >= low {low}"]
    return []


def _toll(where: str, toll: Any) -> list[str]:
    if toll is None:
        return []
    out = _members(where, toll, {"low", "high", "qualifier"}, set())
    if out:
        return out
    out += _count(where, toll["low"], toll["high"])
    if toll["qualifier"] not in QUALIFIERS:
        out.append(f"{where}.qualifier {toll['qualifier']!r} not in {sorted(QUALIFIERS)}")
    return out


def _dates(rec: dict[str, Any], where: str) -> list[str]:
    start, end, precision = rec["date_start"], rec["date_end"], rec["date_precision"]
    out = []
    if precision not in DATE_PRECISIONS:
        out.append(f"{where}.date_precision {precision!r} not in {sorted(DATE_PRECISIONS)}")
    if (start is None) != (end is None):
        return [*out, f"{where} has one date bound only ({start!r}, {end!r})"]
    if start is None:
        if precision != "unknown":
            out.append(f"{where} has no dates but precision {precision!r}")
        return out
    parsed = []
    for name, value in (("date_start", start), ("date_end", end)):
        try:
            if not isinstance(value, str) or not _ISO_DATE.match(value):
                raise ValueError
            parsed.append(date.fromisoformat(value))
        except ValueError:
            out.append(f"{where}.{name} {value!r} is not YYYY-MM-DD")
    if len(parsed) == 2 and parsed[0] > parsed[1]:
        out.append(f"{where} date_start {start} is after date_end {end}")
    return out


def _location(loc: Any, where: str) -> list[str]:
    if loc is None:
        return []
    out = _members(where, loc, LOCATION_FIELDS, set())
    if out:
        return out
    cc = loc["country_code"]
    if cc is not None and not (isinstance(cc, str) and _ISO2.match(cc)):
        out.append(f"{where}.country_code {cc!r} is not ISO 3166-1 alpha-2")
    if loc["precision"] not in LOCATION_PRECISIONS:
        out.append(f"{where}.precision {loc['precision']!r} not in {sorted(LOCATION_PRECISIONS)}")
    for axis, limit in (("lat", 90), ("lon", 180)):
        v = loc[axis]
        if v is not None and (not isinstance(v, int | float) or not -limit <= v <= limit):
            out.append(f"{where}.{axis} {v!r} is not a coordinate")
    if (loc["lat"] is None) != (loc["lon"] is None):
        out.append(f"{where} has only one of lat/lon")
    return out


def _perpetrator(perp: Any, where: str) -> list[str]:
    out = _members(where, perp, {"name", "status"}, OPTIONAL["perpetrator"])
    if out:
        return out
    if perp["status"] not in PERPETRATOR_STATUSES:
        out.append(f"{where}.status {perp['status']!r} not in {sorted(PERPETRATOR_STATUSES)}")
    if (perp["name"] is None) != (perp["status"] == "unknown"):
        out.append(f"{where} name {perp['name']!r} does not fit status {perp['status']!r}")
    return out


def _groups(groups: Any, where: str) -> list[str]:
    if not isinstance(groups, list):
        return [f"{where} is not a list"]
    out = []
    for i, g in enumerate(groups):
        w = f"{where}[{i}]"
        problems = _members(
            w, g, {"status", "group", "nationality", "low", "high"}, OPTIONAL["casualty_group"]
        )
        if problems:
            out += problems
            continue
        if g["status"] not in CASUALTY_STATUSES:
            out.append(f"{w}.status {g['status']!r} not in {sorted(CASUALTY_STATUSES)}")
        nat = g["nationality"]
        if nat is not None and not (isinstance(nat, str) and _ISO2.match(nat)):
            out.append(f"{w}.nationality {nat!r} is not ISO 3166-1 alpha-2")
        out += _count(w, g["low"], g["high"])
    return out


def _attributions(attrs: Any, where: str) -> list[str]:
    if not isinstance(attrs, list):
        return [f"{where} is not a list"]
    out = []
    for i, a in enumerate(attrs):
        w = f"{where}[{i}]"
        problems = _members(w, a, {"type"}, {"actor", "by"} | OPTIONAL["attribution"])
        if problems:
            out += problems
            continue
        if a["type"] not in ATTRIBUTION_TYPES:
            out.append(f"{w}.type {a['type']!r} not in {sorted(ATTRIBUTION_TYPES)}")
    return out


def _evidence(evidence: Any, text: str, where: str) -> list[str]:
    if not isinstance(evidence, list):
        return [f"{where} is not a list"]
    out = []
    for i, ev in enumerate(evidence):
        w = f"{where}[{i}]"
        problems = _members(w, ev, {"field", "start", "end"}, set())
        if problems:
            out += problems
            continue
        if ev["field"] not in EVIDENCE_FIELDS:
            out.append(f"{w}.field {ev['field']!r} names no record field")
        s, e = ev["start"], ev["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            out.append(f"{w} span ({s!r}, {e!r}) is not inside the text (length {len(text)})")
    return out


def record_violations(rec: dict[str, Any], text: str) -> list[str]:
    """Problems with one record, checked against the article text it came from."""
    where = f"record {rec.get('event_key')!r}"
    optional = OPTIONAL["record"] if rec.get("kind") == "aggregate" else set()
    out = _members(where, rec, RECORD_FIELDS, optional)
    if out:
        return out
    if rec["kind"] not in KINDS:
        out.append(f"{where}.kind {rec['kind']!r} not in {sorted(KINDS)}")
    if not isinstance(rec["is_background"], bool):
        out.append(f"{where}.is_background {rec['is_background']!r} is not a boolean")
    if rec["attack_type"] not in ATTACK_TYPES:
        out.append(f"{where}.attack_type {rec['attack_type']!r} not in the contract's enum")
    weapons = rec["weapons"]
    if not isinstance(weapons, list) or len(set(weapons)) != len(weapons):
        out.append(f"{where}.weapons {weapons!r} is not a list of distinct values")
    elif bad := set(weapons) - WEAPONS:
        out.append(f"{where}.weapons {sorted(bad)} not in the contract's enum")
    if not isinstance(rec["targets"], list) or not all(isinstance(t, str) for t in rec["targets"]):
        out.append(f"{where}.targets {rec['targets']!r} is not a list of strings")
    if "count" in rec and not (isinstance(rec["count"], int) and rec["count"] > 0):
        out.append(f"{where}.count {rec['count']!r} is not a positive count")
    out += _dates(rec, where)
    out += _location(rec["location"], f"{where}.location")
    out += _perpetrator(rec["perpetrator"], f"{where}.perpetrator")
    out += _toll(f"{where}.killed", rec["killed"])
    out += _toll(f"{where}.wounded", rec["wounded"])
    out += _groups(rec["casualty_groups"], f"{where}.casualty_groups")
    out += _attributions(rec["attributions"], f"{where}.attributions")
    out += _evidence(rec["evidence"], text, f"{where}.evidence")
    return out


def violations(records: list[dict[str, Any]], article: dict[str, Any]) -> list[str]:
    """Problems with all records of one article: each record's, plus identity across them."""
    out = []
    keys = [r.get("event_key") for r in records]
    if len(set(keys)) != len(keys):
        out.append(f"event_key repeats within the article: {keys}")
    for rec in records:
        if rec.get("article_id") != article["article_id"]:
            out.append(f"record {rec.get('event_key')!r} names article {rec.get('article_id')!r}")
        if not isinstance(rec.get("event_key"), str) or not rec.get("event_key"):
            out.append(f"record event_key {rec.get('event_key')!r} is not a non-empty string")
        out += record_violations(rec, article["text"])
    return out
