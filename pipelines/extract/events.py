"""From sentences to incidents: mentions, clustering within an article, and contract records.

1. Each sentence is cut into clauses where it speaks of more than one event (two dates,
   an air strike beside a rocket attack). A clause with attack words that pass the context
   checks (not a plan, a threat, a foiled plot, a protest or a flood) is an event mention;
   other clauses (tolls, claims, "the attack took place on Monday") support the incident
   being talked about.
2. Mentions join the most recent compatible incident (dates overlap, places agree, kinds
   of attack fit) or start a new one; "24 rocket attacks since late October" is an
   aggregate and never an incident.
3. The first incident reported is the news; earlier ones told as context are background.
4. Each incident becomes a record with the words behind every field as evidence.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipelines.extract import attribution, casualties, dates, gazetteer, lexicon
from pipelines.extract.actors import ActorMention
from pipelines.extract.casualties import KILLED
from pipelines.extract.dates import DateMention
from pipelines.extract.places import PlaceMention
from pipelines.extract.text import Doc, Sentence

# Attack types by how specific they are: the most specific trigger in a mention wins.
_TYPE_RANK = {
    "drone_strike": 9,
    "air_strike": 8,
    "kidnapping": 7,
    "bombing": 7,
    "shelling": 7,
    "storming": 5,
    "facility_attack": 5,
    "assassination": 6,
    "armed_assault": 3,
    "clash": 4,
    "other": 0,
}
_AIR = {"air_strike", "drone_strike"}
_CLAUSE_BREAK = re.compile(
    r";|,\s+(?:which|while|whereas|but|when|where|after|before|then|launching|killing|prompting|"
    r"sparking|triggering|and then|and later|with)\b|\s+(?:after|before|days later|hours later|"
    r"weeks later|while|then)\s"
)
# An attack told as the one before the incident at hand.
_SEQUENCE = re.compile(
    r"\b(?:came|comes|followed|follows|happened|occurred|took place)\s+(?:(?:about|some|just|"
    r"barely|only|roughly|nearly|less than|more than|within)\s+)?(?:\w+\s+)?"
    r"(?P<unit>minutes?|hours?|days?|weeks?)\s+(?P<after>after)\s+(?:a|an)\s"
)
_DEFINITE = re.compile(r"\b(?:the|this|that|these|those|its|their|such|similar)\s+(?:\w+\s+){0,2}$")
_NEGATED = re.compile(
    r"\b(?:denied|deny|denies|no|not|never|without|neither|nor|false|rumou?rs?|did not|didn't|was not|were not|wasn't|weren't|has not|have not|hasn't|haven't)\b"
)
_HYPOTHETICAL_VERB = re.compile(
    r"\b(?:would|could|might|may|will|shall|should|can|to(?!\s+(?:a|an|the|his|her|their|its|this|that|these|those)\b))\s+(?:\w+\s+)?$"
)
_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z .'-]{2,40}?)(?:\s*\((?P<country>[A-Za-z .]{2,30})\))?\s*,\s*(?P<date>\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{2,4})"
)


@dataclass
class Mention:
    start: int
    end: int
    sentence: int
    triggers: list = field(default_factory=list)
    weapons: dict = field(default_factory=dict)  # weapon -> (start, end)
    date: DateMention | None = None
    places: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    statements: list = field(default_factory=list)
    is_event: bool = False
    is_aggregate: bool = False
    aggregate_count: object = None
    background_cue: bool = False
    again_cue: bool = False
    anaphoric: bool = False
    agent: ActorMention | None = None
    inherit: bool = False  # "a similar attack", "hit again": kind of attack of the one before
    nominal: bool = False  # "the murder of six Jesuits": an attack referred to, not reported
    sentence_type: tuple | None = None  # (attack_type, weapon, span) from another clause
    # "came about 10 hours after a car bomb": the earlier attack's clause, and the time unit
    prior: str | None = None

    @property
    def attack_type(self) -> str | None:
        best, score = None, -1.0
        for h in self.triggers:
            t = h.entry.value.split(":")[0]
            s = h.entry.weight * 10 + _TYPE_RANK.get(t, 0)
            if s > score:
                best, score = t, s
        return best

    @property
    def strength(self) -> int:
        return max((h.entry.weight for h in self.triggers), default=0)


@dataclass
class Incident:
    mentions: list[Mention] = field(default_factory=list)
    kind: str = "incident"
    is_background: bool = False
    interval: tuple[date, date] | None = None
    precision: str = "unknown"
    date_evidence: tuple[int, int] | None = None
    inherit_from: Incident | None = None  # "a similar attack": type and weapons of this one

    @property
    def first(self) -> Mention:
        return self.mentions[0]


# ----------------------------------------------------------------------------- analysis
def _clauses(
    doc: Doc, s: Sentence, date_list: list[DateMention], hits: list
) -> list[tuple[int, int]]:
    """Cut a sentence where it speaks of several events; otherwise one clause."""
    evdates = [d for d in date_list if s.start <= d.start < s.end and not d.is_statement]
    trig = [
        h
        for h in hits
        if h.entry.category == "trigger" and s.start <= h.start < s.end and h.entry.weight >= 2
    ]
    kinds = {h.entry.value.split(":")[0] in _AIR for h in trig}
    distinct_dates = {(d.date_start, d.date_end, d.offset_days) for d in evdates}
    seq = _SEQUENCE.search(doc.low, s.start, s.end)
    if seq and any(h.start >= seq.end() for h in trig):
        # "The assault came about 10 hours after a suicide car bomb ... killed 12": two attacks.
        return [(s.start, seq.start("after")), (seq.start("after"), s.end)]
    if len(distinct_dates) < 2 and len(kinds) < 2:
        return [(s.start, s.end)]
    if _is_aggregate(doc, hits, s.start, s.end, doc.low)[0]:
        return [(s.start, s.end)]  # a tally and its toll stay together
    cuts = [m.start() for m in _CLAUSE_BREAK.finditer(doc.low, s.start, s.end)]
    bounds = [s.start] + [c for c in cuts if s.start < c < s.end] + [s.end]
    return [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if doc.text[a:b].strip(" ,;.")]


def _trigger_ok(doc: Doc, h, start: int, end: int, hits: list) -> bool:
    """Context checks for one attack word."""
    low = doc.low
    before = low[max(start, h.start - 45) : h.start]
    after = low[h.end : min(end, h.end + 30)]
    word = low[h.start : h.end]
    t = h.entry.value.split(":")[0]
    # Hypothetical or planned: "plans to attack", "could strike", "threatened to bomb".
    if _HYPOTHETICAL_VERB.search(low[max(start, h.start - 12) : h.start]) and h.entry.weight < 3:
        return False
    if re.search(
        r"\b(?:plan(?:s|ned|ning)?|plot(?:s|ted|ting)?|threat(?:s|ened|ening)?|vow(?:s|ed)?|warn(?:s|ed|ing)?|intend(?:s|ed)?|attempt(?:s|ed)?|tr(?:y|ied|ying)|prepar(?:e|ed|ing)|conspir(?:e|ed|acy)|accused of|suspected of|charged with|convicted of|sentenced for|arrested for|arrested over|arrested in connection with|on trial for|trial over|prevent(?:ed|ing)?|against the|to carry out|to launch|to stage)\s+(?:\w+\s+){0,3}$",
        before,
    ):
        if not re.search(r"\b(?:attempt|tried)", before):
            return False
    # Reported denial: "denied that guerrillas attacked", "no attack took place", "without
    # firing a gunshot", "without involving in any armed clashes".
    if re.search(r"\b(?:denied|denies|deny)\s+(?:that\s+)?(?:\w+\s+){0,4}$", before) or re.search(
        r"\bno\s+(?:\w+\s+)?$", before
    ):
        return False
    if re.search(r"\bwithout\s+(?:\w+\s+){0,4}$", before):
        return False
    # Planned or possible: "mobilizing for attacking", "ready to counter an airstrike".
    if (
        re.search(r"\bfor\s+$", before)
        and word.endswith("ing")
        or re.search(
            r"\bto\s+(?:counter|repel|prevent|thwart|stop|avoid|deter|face|defend against|respond to)\s+(?:an?\s+|the\s+|any\s+)?(?:\w+\s+)?$",
            before,
        )
    ):
        return False
    if any(x.entry.category == "irrealis" and h.start - 35 <= x.start < h.end for x in hits):
        return False
    # Weapons as things tested, launched into space or sanctioned, not fired at anyone.
    if t in ("shelling", "bombing") and re.match(
        r"\s*(?:launch(?:es|ing)?|tests?|testing|programs?|programmes?|development|capabilit|stockpiles?|arsenals?|factory|factories|parts|components|deal|sales?)\b",
        after,
    ):
        return False
    if re.search(r"\b(?:nuclear|missile|weapons|ballistic)\s+(?:\w+\s+)?$", before) and word in (
        "test",
        "tests",
        "launch",
        "launches",
    ):
        return False
    if t == "other" or h.entry.weight == 1:
        # weak words: "hit", "strike" (labour), "landed" (planes)
        if re.search(r"\b(?:hunger|general|labou?r|workers?)\s+$", before) or re.match(
            r"\s*(?:action|deal|agreement|talks)", after
        ):
            return False
    if word in ("fire", "fires", "burning", "burned", "burnt") and re.search(
        r"\b(?:forest|wild|bush|house|brush|electrical|accidental)\s*$", before
    ):
        return False
    if word in (
        "explosion",
        "explosions",
        "blast",
        "blasts",
        "exploded",
        "explode",
        "explodes",
    ) and re.search(
        r"\b(?:gas|boiler|cylinder|tyre|tire|transformer|pipeline|mine|factory|chemical|fireworks?|volcanic)\s+(?:\w+\s+)?$",
        before,
    ):
        return False
    if word in ("storm the", "storms", "storm"):
        return False
    if word.startswith("strike") and re.search(
        r"\b(?:on|went on|called a|general|hunger)\s+$", before
    ):
        return False
    if (
        word in ("raid", "raids", "raided", "raiding")
        and re.search(
            r"\b(?:police|security forces|troops|officers|agents)\b",
            low[max(start, h.start - 60) : h.start],
        )
        and not re.search(r"kill|dead|wound|injur", low[start:end])
    ):
        return False
    if (
        t == "air_strike"
        and h.entry.weight == 1
        and not re.search(
            r"\b(?:bomb|bombed|bombing|bombs|strike|strikes|struck|attack|attacked|pounded|pounding|fired on|fired at|targeted|targeting|raid|raids|shelled|strafed)\b",
            low[start:end],
        )
    ):
        return False
    return not (
        t == "shelling"
        and word in ("shell", "shells")
        and re.search(
            r"\b(?:company|oil|royal dutch)\b", low[max(start, h.start - 20) : h.end + 10]
        )
    )


_WEAPON_NOUNS = re.compile(
    r"^(?:rockets?|missiles?|ballistic missiles?|mortars?|mortar shells?|shells|artillery|bombs?|explosives?|explosive devices?|improvised explosive devices?|ieds?|grenades?|landmines?|land mines?|mines|drones?|guns?|rifles?|weapons|ammunition|munitions)$"
)
_DISPOSAL = re.compile(
    r"\b(?:destroyed|destroying|cleared|clearing|removed|removing|dismantled|collected|confiscated|handed over|surrendered|seized|recovered|found|discovered|unearthed|detected|assessed|identified|intercepted|defused|disposed of|neutrali[sz]ed|stockpiled|smuggled|smuggling|trafficking|cache|caches|depot|arsenal)\b"
)


def _only_device_words(doc: Doc, m: Mention) -> bool:
    """Attack words here are only names of weapons, none of them used."""
    seg = doc.low[m.start : m.end]
    if re.search(
        r"\b(?:exploded|detonated|went off|blew up|killed|wounded|injured|opened fire|fired)\b", seg
    ):
        return False
    return all(
        (_WEAPON_NOUNS.match(h.surface.lower()) or h.entry.weight <= 1) and not _fired(doc, h)
        for h in m.triggers
    )


def _fired(doc: Doc, h) -> bool:
    """A weapon noun used in an attack: "launched ballistic missiles at", "rockets slammed into"."""
    before = doc.low[max(0, h.start - 30) : h.start]
    after = doc.low[h.end : h.end + 30]
    return bool(
        re.search(
            r"\b(?:fired|fires|firing|launched|launches|launching|lobbed|hurled|threw|thrown|dropped|shot|rained)\s+(?:\w+\s+){0,2}$",
            before,
        )
        or re.match(
            r"\s+(?:\w+\s+)?(?:hit|hits|struck|strikes|slammed|landed|exploded|detonated|killed|wounded|rained)\b",
            after,
        )
        or re.match(r"\s+at\s+", after)
    )


def _disposal(doc: Doc, start: int, end: int, triggers: list) -> bool:
    """Weapons destroyed, cleared, found or seized by forces: no attack took place."""
    seg = doc.low[start:end]
    if not _DISPOSAL.search(seg):
        return False
    if re.search(
        r"\b(?:exploded|detonated|went off|blew up|killed|killing|wounded|injured|fired at|opened fire|struck|hit)\b",
        seg,
    ):
        return False
    return all(_WEAPON_NOUNS.match(h.surface.lower()) or h.entry.weight <= 1 for h in triggers)


def _nonviolent(doc: Doc, hits: list, start: int, end: int, triggers: list) -> bool:
    """A protest, a flood, an arrest or a vote that merely mentions violence."""
    if triggers and _disposal(doc, start, end, triggers):
        return True
    nv = [
        h
        for h in hits
        if h.entry.category == "nonviolent" and start <= h.start < end and not _month_word(doc, h)
    ]
    if not nv:
        return False
    strong = [
        h
        for h in triggers
        if h.entry.weight >= 3
        and h.entry.value.split(":")[0] != "other"
        and (not _WEAPON_NOUNS.match(h.surface.lower()) or _fired(doc, h))
    ]
    low = doc.low
    seg = low[start:end]
    disaster = [
        h
        for h in nv
        if re.match(
            r"(?:earthquake|tremor|aftershock|flood|landslide|mudslide|cyclone|hurricane|typhoon|tornado|volcan|eruption|wildfire|forest fire|bushfire|drought|heat|storm|blizzard|avalanche|epidemic|outbreak|pandemic|accident|crash|collision|collided|derailed|capsized|drowned|gas explosion|gas leak|gas cylinder|boiler|fire broke|blaze broke|short circuit|electrical fault|fireworks|firecracker)",
            low[h.start : h.end],
        )
    ]
    if disaster and not strong:
        return True
    legal = [
        h
        for h in nv
        if re.match(
            r"(?:arrest|detain|detention|custody|sentenced|convicted|acquitted|indicted|indictment|charged with|pleaded|trial|jailed|extradited|captured|apprehended|nabbed|found guilty|guilty plea|manslaughter|felonious)",
            low[h.start : h.end],
        )
    ]
    if legal and any(
        h.entry.value.startswith("kidnapping")
        and re.search(
            r"\b(?:has|have|had|was|were)\s+been\s+$|\b(?:was|were)\s+$",
            low[max(start, h.start - 12) : h.start],
        )
        for h in triggers
    ):
        legal = []  # "three of its members have been abducted" beside an arrest report
        # Arrest and court reports mention the crime; it is an incident here only when the
        # clause itself tells it with its toll ("a May 25 shooting that killed one").
        told = re.search(
            r"\b(?:killed|killing|wounded|wounding|injured|injuring|dead)\b", seg
        ) and re.search(
            r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+(?:\w+\s+){0,3}(?:killed|dead|wounded|injured|others)\b|\b(?:killed|killing|wounded|wounding|injured|injuring)\s+(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a|an|his|her)\b",
            seg,
        )
        if not told:
            return True
    protest = [
        h
        for h in nv
        if re.match(r"(?:protest|demonstrat|rally|rallies|march|sit-in)", low[h.start : h.end])
    ]
    if protest and not re.search(
        r"\b(?:killed|killing|shot|opened fire|fired (?:their|his|at|on|into|shots|automatic)|gunfire|wounded|injured|dead|bomb|explosion|grenade|stormed|torched|set fire|burned|clashed|clashes|attacked|stabbed)\b",
        seg,
    ):
        return True
    diplomatic = [
        h
        for h in nv
        if re.match(
            r"(?:sanction|ambassador|diplomat|expelled|talks|negotiation|agreement|accord|ceasefire|cease-fire|truce|peace|summit|election|vote|voting|parliament|legislation|bill|law|referendum|surrender|defected|withdr|handed over|took control|recaptured|retook|captured the town|entered the town|established|formed|set up|headquarters|exercise|drill|test)",
            low[h.start : h.end],
        )
    ]
    return bool(
        diplomatic
        and not strong
        and not re.search(r"\b(?:killed|killing|wounded|injured|dead)\b", seg)
    )


def _month_word(doc: Doc, h) -> bool:
    """'March 17' is a date, not a march."""
    if not doc.low[h.start : h.end].startswith("march"):
        return False
    if not doc.is_caps and doc.text[h.start].isupper():
        return True
    return bool(
        re.match(r"\s+\d", doc.low[h.end : h.end + 3])
        or re.search(r"\d\s+$", doc.low[max(0, h.start - 4) : h.start])
    )


def _foiled(doc: Doc, hits: list, start: int, end: int, triggers: list) -> bool:
    """Defused bombs, seized weapons, intercepted parcels: no attack took place."""
    fo = [h for h in hits if h.entry.category == "foiled" and start <= h.start < end]
    if not fo:
        return False
    seg = doc.low[start:end]
    if re.search(
        r"\b(?:killed|killing|wounded|wounding|injured|injuring|dead|died|exploded|detonated|went off|blew up|blast|opened fire|shot)\b",
        seg,
    ):
        # "the device exploded as it was being defused": it went off.
        if not re.search(
            r"\b(?:failed to explode|did not explode|didn't explode|before it (?:could )?explode|before (?:it|they) went off)\b",
            seg,
        ):
            return False
    return True


def _is_aggregate(
    doc: Doc, hits: list, start: int, end: int, counts_low: str
) -> tuple[bool, object]:
    """'24 rocket attacks since late October', 'a total of 40 attacks this year'."""
    low = doc.low
    seg = low[start:end]
    m = re.search(
        r"(?P<n>\b(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a dozen|dozens of|scores of|hundreds of|more than \d+|at least \d+|over \d+|some \d+|about \d+|nearly \d+|several)\s+(?:\w+[\s-]+){0,3}?"
        r"(?:attacks|strikes|bombings|incidents|rocket attacks|assaults|raids|killings|kidnappings|abductions|explosions|air ?strikes|drone strikes|shootings))\b",
        seg,
    )
    agg = [h for h in hits if h.entry.category == "aggregate" and start <= h.start < end]
    if not m:
        # "630 people were killed in violent acts in November", "a total of 227 people were
        # killed in urban violent acts": a toll summed over many acts.
        toll = _TOLL_OVER_ACTS.search(seg)
        if toll and (agg or _MONTH_OR_YEAR.search(seg)):
            return True, (start + toll.start(), start + toll.end())
        return False, None
    if agg or re.search(
        r"\b(?:since|so far|this year|in total|a total of|over the past|in recent|last year|have been|there have been|there were|recorded|carried out|claimed)\b",
        seg,
    ):
        return True, (start + m.start(), start + m.end())
    return False, None


_TOLL_OVER_ACTS = re.compile(
    r"\b\d[\d,]*\s+(?:\w+\s+){0,2}?(?:people|persons|civilians|soldiers|policemen|members)\s+"
    r"(?:\w+\s+){0,3}?killed\s+(?:in|by|during|as a result of)\s+(?:\w+\s+){0,2}?"
    r"(?:violent acts|acts of violence|political violence|violence|attacks|clashes|fighting)\b"
)
_MONTH_OR_YEAR = re.compile(
    r"\b(?:in|during|since|this|last)\s+(?:january|february|march|april|may|june|july|august|"
    r"september|october|november|december|(?:19|20)\d\d|year|month)\b"
)


def analyse(
    doc: Doc,
    hits: list,
    date_list: list[DateMention],
    place_list: list[PlaceMention],
    actor_list: list[ActorMention],
    demonym_at: dict[int, str],
    focus: list[tuple[int, int]] | None = None,
) -> list[Mention]:
    """Mentions (event clauses and supporting clauses) in text order; with `focus`, only in
    the sentences those stretches cover (the rest have no attack, toll or claim words)."""
    out: list[Mention] = []
    foiled_seen = False
    trig_all = _longest_triggers([h for h in hits if h.entry.category == "trigger"])
    hit_starts = [h.start for h in hits]  # hits come sorted by start: slice them per clause

    def span(items: list, starts: list[int], a: int, b: int) -> list:
        return items[bisect_left(starts, a) : bisect_left(starts, b)]

    trig_starts = [h.start for h in trig_all]
    place_starts = [p.start for p in place_list]
    actor_starts = [x.start for x in actor_list]
    for s in doc.sentences:
        if focus is not None and not any(a <= s.start < b for a, b in focus):
            continue
        sent_hits = span(hits, hit_starts, s.start, s.end)
        for a, b in _clauses(doc, s, date_list, sent_hits):
            m = Mention(a, b, s.index)
            clause_hits = span(hits, hit_starts, a, b)
            clause_trigs = span(trig_all, trig_starts, a, b)
            m.triggers = [h for h in clause_trigs if _trigger_ok(doc, h, s.start, s.end, sent_hits)]
            m.weapons = _weapons(clause_hits, a, b)
            # "came two weeks after a drone strike": that date belongs to what follows "after".
            ds = [
                d
                for d in date_list
                if a <= (d.end - 1 if d.anchor == "current" else d.start) < b
                and not d.is_statement
                and not _future(doc, s, d)
                and not _PROCEDURAL.search(doc.low, max(a, d.start - 40), d.start)
            ]
            m.date = _best_date(ds, clause_trigs)
            m.places = span(place_list, place_starts, a, b)
            cats = {h.entry.category for h in clause_hits}
            # Only clauses with casualty or responsibility words need those readers.
            if cats & {"kill", "wound", "zero", "unknown", "casualty"}:
                m.facts = casualties.find_facts(doc.low, a, b, demonym_at, doc.text)
            m.actors = span(actor_list, actor_starts, a, b)
            if cats & {"claim", "no_claim", "blame", "suspect", "deny"}:
                m.statements = attribution.statements(doc, clause_hits, actor_list, a, b)
            m.background_cue = "background" in cats
            seq = _SEQUENCE.search(doc.low, max(s.start, a - 60), a + 12)
            if seq and seq.start("after") == a:
                m.prior = seq.group("unit").rstrip("s")
            m.again_cue = "again" in cats
            m.is_aggregate, m.aggregate_count = _is_aggregate(doc, clause_hits, a, b, doc.low)
            m.is_event = _eventive(doc, m, clause_hits)
            if m.triggers and (
                _foiled(doc, clause_hits, a, b, m.triggers) or _disposal(doc, a, b, m.triggers)
            ):
                foiled_seen = True
            elif m.is_event and foiled_seen and _only_device_words(doc, m):
                # "... defused an explosive device. The device contained four kilograms of
                # explosives": still the bomb that did not go off.
                m.is_event = False
            if m.is_event and _context_reference(doc, m):
                m.nominal = True  # "despite the air strikes", "after ISIL's heavy attack"
            if (
                not m.is_event
                and _NOMINAL.search(doc.low, a, b)
                and not _foiled(doc, clause_hits, a, b, m.triggers)
            ):
                # Context mentions of killings ("the killing of the Jesuit priests in San
                # Salvador on 16 November"): an incident, told as background.
                m.is_event = True
                m.nominal = True
            if m.is_event:
                m.anaphoric = _anaphoric(doc, m)
                m.agent = _agent(doc, m, s)
            out.append(m)
    _sentence_level(doc, out)
    _summaries(doc, out)
    return out


_SUMMARY = re.compile(
    r"(?<!one of )(?<!one of the )\b(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+"
    r"(?:(?:terrorist|separate|coordinated|simultaneous|suicide|bomb|rocket|armed|deadly|related|"
    r"different|guerrilla|dynamite|car|mortar|insurgent|militant|rebel)\s+){0,2}"
    r"(?:attacks|bombings|assaults|raids|shootings|incidents)\b"
)


def _summaries(doc: Doc, mentions: list[Mention]) -> None:
    """'Three terrorist attacks in Bogota and Cartagena left two dead', then each attack told
    in turn at a place of its own: the opening sums the attacks up (an aggregate, so its toll
    is not counted twice); the incidents are the ones told."""
    for i, m in enumerate(mentions):
        if not m.is_event or m.is_aggregate:
            continue
        found = _SUMMARY.search(doc.low, m.start, m.end)
        if found is None:
            continue
        later = [
            x
            for x in mentions[i + 1 :]
            if x.is_event
            and x.sentence != m.sentence
            and any(h.entry.weight >= 2 for h in x.triggers)
        ]
        distinct: list[PlaceMention] = []
        for p in _specific_places(later):
            if not any(_same_place(p, q) for q in distinct):
                distinct.append(p)
        if len(distinct) >= 2:
            m.is_aggregate, m.aggregate_count = True, (found.start(), found.end())


_GENERIC_WORDS = re.compile(
    r"^(?:attack|attacks|attacked|attacking|assault|assaults|assaulted|raid|raids|raided|killed|killing|killings|kill|kills|hit|hits|strike|strikes|struck|targeted|targeting|landed|slammed|slammed into|pounded|pounding)$"
)


def _generic(m: Mention) -> bool:
    """A clause whose attack words say nothing about the means ("a similar attack")."""
    strong = [h for h in m.triggers if not _GENERIC_WORDS.match(h.surface.lower())]
    return bool(m.triggers) and not strong and not m.weapons


def _sentence_level(doc: Doc, mentions: list[Mention]) -> None:
    """Within a sentence, clauses share what one of them says: the means of attack
    ("rockets hitting bases, with three troops killed ... in a similar attack"), and a
    repeated attack ("which was hit again on March 14") is an incident of its own."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sentence, []).append(m)
    for ms in by_sentence.values():
        specific = [
            h
            for m in ms
            for h in m.triggers
            if not _GENERIC_WORDS.match(h.surface.lower()) and h.entry.weight >= 2
        ]
        for i, m in enumerate(ms):
            low = doc.low[m.start : m.end]
            if re.search(r"\bsimilar (?:attack|strike|bombing|assault|incident)", low):
                m.inherit = True
            if specific and _generic(m) and not any(h in m.triggers for h in specific):
                best = max(
                    specific,
                    key=lambda h: (h.entry.weight, _TYPE_RANK.get(h.entry.value.split(":")[0], 0)),
                )
                m.sentence_type = (best.entry.value, (best.start, best.end))
            if (
                not m.is_event
                and m.again_cue
                and m.date is not None
                and m.triggers
                and not m.is_aggregate
            ):
                m.is_event = True
                m.inherit = True
                if not m.places and i > 0 and re.match(r"[\s,]*which\b", low):
                    m.places = [p for p in ms[i - 1].places if not p.demonym][-1:]


def _context_reference(doc: Doc, m: Mention) -> bool:
    """The attack is the backdrop of the news, not the news: "despite the air strikes
    carried out by ...", "after ISIL's heavy attack against ...", "after they were
    besieged", "has been bombing the rebels since March" (a campaign)."""
    low = doc.low
    for h in m.triggers:
        before = low[max(m.start, h.start - 40) : h.start]
        if re.search(
            r"\b(?:despite|amid|following|after|since|in response to|in retaliation for|undeterred by|in the wake of)\s+(?:the\s+|a\s+|an\s+|its\s+|their\s+|[\w-]+'s\s+|they\s+were\s+|it\s+was\s+)?(?:\w+\s+){0,2}$",
            before,
        ):
            continue
        if (
            re.search(r"\b(?:has|have|had)\s+been\s+$", before)
            and h.surface.lower().endswith("ing")
            and re.search(r"\bsince\b", low[h.end : m.end])
        ):
            continue
        return False
    return bool(m.triggers)


_VICTIM_WORDS = (
    r"(?:jesuits?|priests?|clergymen|people|persons|civilians|peasants|soldiers|policemen|officers|journalists?|leaders?|judges?|"
    r"students?|children|women|men|workers|members|officials?|politicians?|candidates?|mayors?|activists?|nuns?|bishops?|"
    r"archbishops?|citizens|villagers|farmers|[a-z]+ists|"
    r"(?:mr|mrs|dr|father|general|colonel|senator|minister|president|judge|mayor|archbishop|bishop|monsignor|msgr)\b)"
)
_NOMINAL = re.compile(
    # "the murder of six Jesuits", "the killing of Monsignor Romero"
    r"\b(?:murder|murders|killing|killings|assassination|assassinations|massacre|massacres|slaying|slayings|"
    r"kidnapping|kidnappings|abduction|abductions|execution|executions)\s+of\s+(?:the\s+|a\s+|an\s+|two\s+|three\s+|four\s+|five\s+|six\s+|seven\s+|eight\s+|nine\s+|ten\s+|\d+\s+)?"
    r"(?:[a-z'\-]+\s+){0,3}?"
    + _VICTIM_WORDS
    + r"|\b(?:jesuits?|priests?)'\s*(?:murder|killing|massacre|assassination)"
    # "arrested for killing 6 clergymen", "accused of murdering the priests"
    + r"|\b(?:for|of)\s+(?:killing|murdering|massacring|assassinating|kidnapping)\s+(?:the\s+|\d+\s+|two\s+|three\s+|four\s+|five\s+|six\s+|seven\s+|eight\s+)?(?:[a-z'\-]+\s+){0,2}?"
    + _VICTIM_WORDS
    # "the Jesuits murdered by a group of soldiers"
    + r"|\b"
    + _VICTIM_WORDS
    + r"\s+(?:who\s+)?(?:were\s+|was\s+)?(?:murdered|killed|massacred|assassinated|executed)\s+(?:by|recently|last|in|on)\b"
)


def _longest_triggers(trigs: list) -> list:
    """Keep the longest trigger where several overlap ("shot and killed" over "killed")."""
    trigs = sorted(trigs, key=lambda h: (h.start, -(h.end - h.start), -h.entry.weight))
    out = []
    for h in trigs:
        if out and h.start < out[-1].end and h.end <= out[-1].end:
            continue
        out.append(h)
    return out


_SPECIFIC_EXPLOSIVES = {"ied", "car_bomb", "suicide_explosive", "grenade", "landmine"}
_PROJECTILES = {"rocket", "mortar", "missile", "ballistic_missile"}


def prune_weapons(w: dict) -> dict:
    """Drop a generic weapon when a specific one of its kind is known: "explosive" beside an
    IED, "aircraft" beside a drone, "missile" beside a ballistic missile, "artillery" beside
    rockets or mortars. Changes and returns `w`."""
    if "explosive" in w and w.keys() & _SPECIFIC_EXPLOSIVES:
        del w["explosive"]
    if "aircraft" in w and "drone" in w:
        del w["aircraft"]
    if "missile" in w and "ballistic_missile" in w:
        del w["missile"]
    if "artillery" in w and w.keys() & _PROJECTILES:
        del w["artillery"]
    w.pop("other", None)
    return w


def _weapons(hits: list, a: int, b: int) -> dict:
    w: dict[str, tuple[int, int]] = {}
    for h in hits:
        if a <= h.start < b and h.entry.category == "weapon":
            w.setdefault(h.entry.value, (h.start, h.end))
    prune_weapons(w)
    # "fired rockets": the verb is not a firearm unless a gun is named.
    if (
        "firearm" in w
        and w.keys() & _PROJECTILES
        and not any(
            h.entry.category == "weapon"
            and h.entry.value == "firearm"
            and a <= h.start < b
            and h.surface.lower() not in ("shot", "shooting", "firing")
            for h in hits
        )
    ):
        del w["firearm"]
    return w


def _best_date(ds: list[DateMention], triggers: list) -> DateMention | None:
    """The date of a clause: the one nearest its attack word (most precise on ties)."""
    if not ds:
        return None
    rank = {"day": 0, "week": 1, "month": 2, "year": 3}
    absolute = [d for d in ds if d.kind == "absolute"]
    if absolute:
        ds = absolute  # "On 1 April 2025, overnight": the explicit date
    if not triggers:
        return min(ds, key=lambda d: (rank.get(d.precision, 4), d.start))
    # "during the attack last month, thanked ... Sunday": a date right after an attack word
    # is that attack's.
    adjacent = [d for d in ds if any(0 < d.start - h.end <= 4 for h in triggers)]
    if adjacent:
        ds = adjacent
    t = min(triggers, key=lambda h: (-h.entry.weight, h.start))
    return min(
        ds,
        key=lambda d: (
            abs((d.start + d.end) / 2 - (t.start + t.end) / 2) + 60 * rank.get(d.precision, 4),
            d.start,
        ),
    )


# "was arrested Sept. 16", "charged on Monday": the date of the case, not of the attack.
_PROCEDURAL = re.compile(
    r"\b(?:arrested|arraigned|charged|indicted|sentenced|convicted|booked|jailed|detained|"
    r"extradited|released|acquitted|pleaded|pled|testified|appeared in court|went on trial|"
    r"was buried|were buried|funeral)\s+(?:\w+\s+){0,2}?(?:on\s+|late\s+|early\s+)?$"
)


_FUTURE = re.compile(
    r"\b(?:will|would|shall|is scheduled|are scheduled|is due|are due|is expected|faces|face|next|upcoming|is set to|are set to|plans to|to be sentenced|to appear)\b"
)


def _future(doc: Doc, s: Sentence, d: DateMention) -> bool:
    """'when he is sentenced Dec. 2', 'will meet on Friday': a date ahead, not the event's."""
    return bool(_FUTURE.search(doc.low, max(s.start, d.start - 45), d.start))


def _eventive(doc: Doc, m: Mention, hits: list) -> bool:
    counts = [f for f in m.facts if not f.is_zero and not f.is_unknown and (f.low or 0) > 0]
    if not m.triggers:
        # "three dead burglars ... his AR-15": deaths with a weapon are an attack.
        return bool(
            counts and m.weapons and any(f.status == KILLED for f in counts)
        ) and not _nonviolent(doc, hits, m.start, m.end, [])
    score = sum(h.entry.weight for h in m.triggers)
    strong = m.strength >= 3 or (
        m.strength == 2
        and not all(
            _DEFINITE.search(doc.low[max(m.start, h.start - 25) : h.start])
            and not _subject_verb(doc, h)
            for h in m.triggers
            if h.entry.weight == 2
        )
    )
    if not strong and not (score >= 3 or (counts and score >= 1) or (m.weapons and score >= 2)):
        return False
    if _nonviolent(doc, hits, m.start, m.end, m.triggers):
        return False
    seg = doc.low[m.start : m.end]
    if (
        re.search(
            r"\b(?:spike|surge|rise|increase|wave|series|string|spate|campaign|escalation|uptick)\s+(?:in|of)\s+(?:\w+\s+){0,2}(?:rockets|attacks|strikes|bombings|killings|violence|shootings)\b",
            seg,
        )
        and not counts
        and not (m.date is not None and m.date.precision == "day")
    ):
        return False  # a trend, not an incident (unless it tells what happened last night)
    return not _foiled(doc, hits, m.start, m.end, m.triggers)


_VERB_FORM = re.compile(
    r"(?:\w+ed|blew(?: up)?|threw|struck|fought|shot(?: dead)?|set fire to|set ablaze)"
)


def _subject_verb(doc: Doc, h) -> bool:
    """'THE FARC MEMBERS BLEW UP a pylon': an attack verb after its subject, whose article
    makes the subject definite, not the attack ('the blast', 'the two attacks')."""
    if not _VERB_FORM.fullmatch(doc.low[h.start : h.end]):
        return False
    return not re.search(
        r"\b(?:the|this|that|these|those|its|their|such|similar)\s+$",
        doc.low[max(0, h.start - 12) : h.start],
    )


def _anaphoric(doc: Doc, m: Mention) -> bool:
    """'The attack took place ...', 'the blast killed ...': more about the incident at hand."""
    if m.date is not None or any(p.locative and not p.demonym for p in m.places) or not m.triggers:
        return False
    first = min(m.triggers, key=lambda h: h.start)
    return bool(_DEFINITE.search(doc.low[max(m.start, first.start - 25) : first.start]))


def _agent(doc: Doc, m: Mention, s: Sentence) -> ActorMention | None:
    """The actor who carried out the attack: the subject before the attack word, an agent
    after 'by', or, for a participle clause (', launching'), the sentence's subject."""
    low = doc.low
    if not m.triggers:
        return None
    trig = min(m.triggers, key=lambda h: h.start)
    # "planted by Al Shabaab", "killed by suspected militants"
    for t in sorted(m.triggers, key=lambda h: h.start):
        by = re.match(
            r"\s*(?:(?:was|were|had been|has been|allegedly|reportedly|apparently|carried out|launched|planted|fired|conducted|staged|perpetrated|claimed|set|placed|thrown|hurled|detonated|triggered|killed|wounded|injured|abducted|kidnapped|attacked|shot|ambushed|targeted|committed|organi[sz]ed|orchestrated|executed)\s+){0,2}by\s+(?:the\s+|a\s+|an\s+|suspected\s+|unknown\s+|unidentified\s+)?",
            low[t.end : t.end + 40],
        )
        if by:
            cands = [x for x in m.actors if t.end <= x.start <= t.end + by.end() + 30]
            if cands:
                return cands[0]
    before = [x for x in m.actors if x.end <= trig.start]
    if (
        not before
        and re.match(r"[\s,]*(?:\w+ly\s+)?\w+ing\b", low[m.start : m.start + 30])
        and m.start > s.start
    ):
        # A participle clause (", launching air strikes") shares the sentence's subject.
        before = [x for x in _sentence_actors(doc, s) if x.end <= trig.start]
    for x in reversed(before):
        gap = low[x.end : trig.start]
        if _has_other_verb(gap):
            continue
        # "three coalition troops killed on March 11", "soldiers were wounded": victims.
        if re.match(
            r"\s*(?:\w+\s+){0,2}?(?:(?:were|was|had been|have been|being)\s+(?:\w+ly\s+)?(?:killed|wounded|injured|hurt|abducted|kidnapped|shot)|(?:killed|wounded|injured|hurt|abducted|kidnapped)\s*(?:on|in|at|by|when|during|while|as|after|and|,|\.|$)|dead|died)\b",
            low[x.end : x.end + 50],
        ):
            continue
        # "against X", "on X", "targeting X": X is the target.
        if re.search(
            r"\b(?:against|on|at|targeting|targeted|target|in|near|for|to|killing|killed)\s+(?:the\s+|a\s+|an\s+)?(?:\w+\s+){0,2}$",
            low[max(m.start, x.start - 25) : x.start],
        ):
            continue
        # "in coordination with X", "backed by X", "alongside X": a partner, not the attacker.
        if re.search(
            r"\b(?:in coordination with|in cooperation with|together with|alongside|backed by|supported by|with the support of|with support from|assisted by|and)\s+(?:the\s+)?(?:\w+\s+){0,3}$",
            low[max(m.start, x.start - 40) : x.start],
        ):
            continue
        if re.search(
            r"\b(?:said|says|told|according to|reported|announced|claimed|blamed|accused)\b", gap
        ):
            continue
        if len(gap) > 140:
            continue
        return x
    after = [x for x in m.actors if x.start >= trig.end]
    for x in after:
        if re.match(
            r"\s*(?:\w+\s+){0,3}?(?:militants?|fighters?|gunmen|members?)?\s*$",
            low[trig.end : x.start],
        ) and re.search(r"\b(?:suspected|by)\s+$", low[max(m.start, x.start - 15) : x.start]):
            return x
    return None


_ATTACK_VERBS = re.compile(
    r"\b(?:launched|launch|launches|fired|fire|fires|carried out|carry out|carries out|conducted|conduct|detonated|planted|"
    r"threw|thrown|hurled|lobbed|set off|staged|mounted|used|dropped|opened|unleashed|triggered|exploded|"
    r"targeted|attacked|struck|hit|shot|killed|rammed|dispatched|sent|claimed|have|has|had|been|was|were|is|are|"
    r"reportedly|allegedly|also|then|later|again|briefly|jointly|armed|dressed|riding|driving|wearing|using|"
    r"surrounded|entered|stormed|ambushed|raided|broke|forced)\b"
)


def _has_other_verb(gap: str) -> bool:
    """Between an actor and the attack word stands a verb of its own ("police responded to
    a report of shots fired"): the actor is not the attacker."""
    for w in re.findall(r"[a-z]+", gap):
        if _ATTACK_VERBS.fullmatch(w):
            continue
        if re.fullmatch(r"[a-z]+ed", w) and w not in (
            "armed",
            "suspected",
            "unidentified",
            "masked",
            "hooded",
            "alleged",
            "unnamed",
            "unidentified",
            "based",
            "backed",
            "linked",
            "affiliated",
            "allied",
            "trained",
            "led",
        ):
            return True
        if w in (
            "said",
            "says",
            "told",
            "responded",
            "arrived",
            "found",
            "believe",
            "believed",
            "say",
            "reported",
            "confirmed",
            "announced",
            "added",
            "stated",
        ):
            return True
    return len(gap) > 120


def _sentence_actors(doc: Doc, s: Sentence) -> list[ActorMention]:
    return [x for x in doc.actors if s.start <= x.start < s.end]


# ----------------------------------------------------------------------------- clustering
def _interval(m: Mention) -> tuple[date, date] | None:
    return m.date.as_interval() if m.date else None


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None, slack: int = 1) -> bool:
    if a is None or b is None:
        return True
    return a[0] - timedelta(days=slack) <= b[1] and b[0] - timedelta(days=slack) <= a[1]


overlap = _overlap  # for the stages after clustering


def _specific_places(ms: list[Mention], references: bool = False) -> list[PlaceMention]:
    """Places that pin an incident down: resolved towns and sites, and named places the
    text introduces with "in", "near", "at" even when the gazetteer lacks them. Places an
    attack is measured from ("180 km from Lima", "south of Mosul") only with `references`:
    they tie two mentions together, but do not set two attacks apart."""
    out = []
    for m in ms:
        for p in m.places:
            if p.demonym or p.reference and not references:
                continue
            if (
                p.resolved is not None
                and p.resolved.kind in ("city", "site")
                or p.resolved is None
                and (p.locative or p.kind_hint or p.coded)
            ):
                out.append(p)
    return out


def _same_place(p: PlaceMention, q: PlaceMention) -> bool:
    kp, kq = gazetteer.key(p.name), gazetteer.key(q.name)
    if kp == kq or (kp and kq and (f" {kp} " in f" {kq} " or f" {kq} " in f" {kp} ")):
        return True
    if p.resolved and q.resolved:
        if (
            gazetteer.key(p.resolved.name) == gazetteer.key(q.resolved.name)
            and p.resolved.country == q.resolved.country
        ):
            return True
        if (
            p.resolved.lat is not None
            and q.resolved.lat is not None
            and p.resolved.country == q.resolved.country
            and _km(p.resolved, q.resolved) < 30
        ):
            return True
    for a, b in ((p, q), (q, p)):
        # "Baidoa town (Baydhaba, Bay)" and "Bay": a place and its region.
        if a.admin1_hint and gazetteer.key(a.admin1_hint) == gazetteer.key(b.name):
            return True
        if (
            a.resolved
            and a.resolved.admin1
            and gazetteer.key(a.resolved.admin1) == gazetteer.key(b.name)
            and (b.resolved is None or b.resolved.kind != "city")
        ):
            return True  # (not Huacho, Lima Region, and the city of Lima 130 km away)
    return False


def _place_conflict(a: list[PlaceMention], b: list[PlaceMention]) -> bool:
    """Two sets of places conflict when no place of one is (near) a place of the other."""
    if not a or not b:
        return False
    return not any(_same_place(p, q) for p in a for q in b)


def _km(p, q) -> float:
    import math

    la1, lo1, la2, lo2 = map(math.radians, (p.lat, p.lon, q.lat, q.lon))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371 * math.asin(min(1.0, math.sqrt(h)))


def _types(ms: list[Mention]) -> set[str]:
    return {h.entry.value.split(":")[0] for m in ms for h in m.triggers if h.entry.weight >= 2}


def _compatible(doc: Doc, inc: Incident, m: Mention, eff: DateMention | None) -> bool:
    if inc.kind != "incident":
        return False
    iv = eff.as_interval() if eff else None
    if iv and inc.interval and not _overlap(iv, inc.interval):
        return False
    if eff is not None and eff.kind == "relative":
        return False
    mine = _specific_places([m])
    theirs = _specific_places(inc.mentions)
    if mine and theirs and _place_conflict(mine, theirs) and not _closer_up(doc, m, mine):
        # "in Hamam al-Alil, south of Mosul" after "the Mosul offensive" is still that attack;
        # "in Barranca, 180 km from Lima" after an attack in Lima is another.
        refs = [p for p in _specific_places([m], True) if p.reference]
        near = [q for q in theirs if any(_same_place(p, q) for p in refs)]
        if not near or any(q.locative for q in near):
            return False
    ta, tb = _types([m]), _types(inc.mentions)
    return not (ta and tb and (ta <= _AIR) != (tb <= _AIR) and not ta & tb)


def cluster(
    doc: Doc, mentions: list[Mention], date_list: list[DateMention] | None = None
) -> list[Incident]:
    incidents: list[Incident] = []
    current: Incident | None = None
    pending: list[Mention] = []  # support clauses before any incident (headline tolls)
    sentence_dates: dict[int, DateMention] = {}
    for m in mentions:
        if m.date is not None and m.sentence not in sentence_dates:
            sentence_dates[m.sentence] = m.date
    for m in mentions:
        if m.is_aggregate and (m.is_event or m.triggers or m.facts):
            inc = Incident([m], kind="aggregate")
            incidents.append(inc)
            _set_date(inc, m.date, None, doc)
            continue
        if not m.is_event:
            if current is not None and _supports(m, current):
                current.mentions.append(m)
                if m.triggers or m.facts or _HAPPENED.match(doc.low, m.start):
                    _maybe_date(current, m)
            else:
                pending.append(m)
            continue
        eff = m.date or sentence_dates.get(m.sentence)
        if m.prior and m.triggers:
            # The attack the one at hand came after: an earlier incident, told as context.
            inc = Incident([m], is_background=True)
            if m.prior in ("minute", "hour") and current is not None and current.interval:
                inc.interval, inc.precision = current.interval, current.precision
                inc.date_evidence = current.date_evidence
            else:
                _set_date(inc, m.date, None, doc)
            incidents.append(inc)
            continue
        target = None
        if _another_attack(doc, m, current):
            pass  # "Another bridge was blown up in Santander": a new incident
        elif current is not None and m.anaphoric and current.kind == "incident" and not m.inherit:
            target = current
        elif not m.inherit:
            for inc in reversed(incidents):
                if (
                    _compatible(doc, inc, m, eff)
                    and not (
                        m.again_cue
                        and eff is not None
                        and inc.interval
                        and not _overlap(eff.as_interval(), inc.interval, 0)
                    )
                    and _linked(doc, inc, m, eff)
                ):
                    target = inc
                    break
                # Only the latest incident and those with the same place are reachable.
                if inc.kind == "incident" and not _specific_places([m]):
                    break
        if target is not None:
            target.mentions.append(m)
            _maybe_date(target, m)
            current = target
        else:
            setting = _setting(doc, mentions, m)
            if setting is not None:
                # "Terrorists last Wednesday entered Situcancha ... They shot them": the
                # sentence that sets the scene belongs to the attack it introduces.
                for other in incidents:
                    if setting in other.mentions:
                        other.mentions.remove(setting)
                if setting in pending:
                    pending.remove(setting)
                if eff is None:
                    eff = setting.date
            inc = Incident([setting, m] if setting is not None else [m])
            real = [i for i in incidents if i.kind == "incident"]
            prev = next((i for i in reversed(real) if i.interval), None)
            anchor = prev
            if eff is not None and eff.kind == "relative":
                anchor = _relative_anchor(eff, date_list or [], real, current)
            _set_date(inc, eff, anchor, doc)
            if inc.interval is None and real and real[-1].interval is not None:
                # Told next in the story with no date of its own: the date in focus.
                last = real[-1]
                if (
                    doc.sentences[m.sentence].paragraph
                    - doc.sentences[last.mentions[-1].sentence].paragraph
                    <= 1
                ):
                    inc.interval, inc.precision = last.interval, last.precision
            if m.inherit and real:
                inc.inherit_from = real[-1]
            incidents.append(inc)
            if pending and len(real) == 0:
                # Tolls and claims told before the attack itself, and "MaKayla Dyer was
                # killed October 3, 2015" ahead of the story of how.
                dating = [
                    p for p in pending if p.facts or _dated_toll(doc, p) or _dated_lead(doc, p)
                ]
                inc.mentions[:0] = [p for p in pending if p in dating or p.statements]
                for p in dating:
                    if inc.interval is None:
                        _maybe_date(inc, p)
            pending = []
            current = inc
    return incidents


_ANOTHER = re.compile(
    r"[\s\"'(]*(?:(?:meanwhile|also|later),?\s+)?(?:in\s+)?(?:another|a second|a third|a fourth|"
    r"a separate|yet another)\s+(?:[a-z-]+\s+)?([a-z]+)"
)


@functools.cache
def _victim_words() -> frozenset[str]:
    """Single words the lexicon knows as victims ("soldier", "civilians", "man")."""
    lex = lexicon.get()
    return frozenset(
        p
        for p, entries in zip(lex.patterns, lex.meanings, strict=True)
        if " " not in p and any(e.category == "victim" for e in entries)
    )


_ATTACK_NOUNS = {
    "attack",
    "attacks",
    "incident",
    "bombing",
    "shooting",
    "raid",
    "ambush",
    "assault",
}


def _another_attack(doc: Doc, m: Mention, current: Incident | None) -> bool:
    """A clause that opens on "In a separate attack", or on "Another bridge was blown up in
    Santander" away from the places of the incident at hand: an attack of its own. "Another
    soldier was killed" adds a victim, and "A second bomb was found" at the same site is
    the same attack."""
    if current is None or not any(h.entry.weight >= 2 for h in m.triggers):
        return False
    a = _ANOTHER.match(doc.low, m.start)
    if a is None or a.group(1) in _victim_words():
        return False
    if a.group(1) in _ATTACK_NOUNS:
        return True
    mine = [
        p
        for p in m.places
        if not p.demonym and p.resolved is not None and p.resolved.kind != "country"
    ]
    theirs = [p for x in current.mentions for p in x.places if not p.demonym and p.resolved]
    return bool(mine and theirs) and not any(_same_place(p, q) for p in mine for q in theirs)


# "It happened the afternoon of Sept. 10": a clause that dates the incident at hand.
_HAPPENED = re.compile(
    r"[\s\"'(]*(?:it|this|that|the (?:shooting|attack|incident|killing|bombing|blast|"
    r"explosion|ambush|raid|kidnapping|abduction|assault|violence))\s+"
    r"(?:happened|occurred|took place|unfolded|broke out)\b"
)


_PASSIVE_TOLL = re.compile(
    r"\b(?:was|were)\s+(?:\w+\s+)?(?:killed|shot|slain|murdered|stabbed|shot dead|shot and killed)"
    r"(?:\s+(?:on|in|late|early))?\s+$"
)


def _dated_lead(doc: Doc, m: Mention) -> bool:
    """The article's first sentence when it opens on a date ("On Thursday morning, in
    Kingking village, ... militants flagged down four motorcycles"): it sets the scene of
    the first attack."""
    return (
        m.sentence == 0
        and m.date is not None
        and m.date.kind in ("absolute", "deictic")
        and not m.date.is_statement
        and m.date.start - doc.sentences[0].start <= 12  # the article opens on its date
        and not re.search(r"\b(?:update[ds]?|posted|published)\b", doc.low[m.start : m.date.start])
    )


def _dated_toll(doc: Doc, m: Mention) -> bool:
    """A clause telling that someone was killed or shot on a day it names ("MaKayla Dyer was
    killed October 3, 2015"): the date of the attack the story goes on to tell."""
    d = m.date
    if not m.triggers or d is None or d.kind != "absolute" or d.precision != "day":
        return False
    return _PASSIVE_TOLL.search(doc.low, max(m.start, d.start - 40), d.start) is not None


def _setting(doc: Doc, mentions: list[Mention], m: Mention) -> Mention | None:
    """The clause right before an attack told from its attackers' side ("They shot them"),
    when it has no attack or toll of its own but says when or where: the scene it is set in."""
    if not _SAME_ATTACKERS.match(doc.low, m.start):
        return None
    i = next((k for k, x in enumerate(mentions) if x is m), 0)
    if i == 0:
        return None
    prev = mentions[i - 1]
    sents = doc.sentences
    if (
        prev.is_event
        or prev.is_aggregate
        or prev.triggers
        or prev.facts
        or prev.statements
        or prev.sentence != m.sentence - 1
        or sents[prev.sentence].paragraph != sents[m.sentence].paragraph
    ):
        return None
    dated = prev.date is not None and prev.date.kind in ("absolute", "deictic")
    return prev if dated or _specific_places([prev]) else None


def _linked(doc: Doc, inc: Incident, m: Mention, eff: DateMention | None) -> bool:
    """Within a paragraph, compatible clauses are one incident. A later paragraph continues
    the incident unless it tells an attack at a place of its own that the incident does not
    have ("In Barranca, terrorists bombed a radio station" after a story set in Huaraz)."""
    last = max(x.sentence for x in inc.mentions)
    if doc.sentences[m.sentence].paragraph == doc.sentences[last].paragraph:
        return True
    mine, theirs = _specific_places([m], True), _specific_places(inc.mentions, True)
    if (
        eff is not None
        and eff.precision == "day"
        and inc.interval is not None
        and inc.precision == "day"
        and _overlap(eff.as_interval(), inc.interval, 0)
    ):
        return not (mine and theirs and not any(_same_place(p, q) for p in mine for q in theirs))
    if mine:
        if theirs and any(_same_place(p, q) for p in mine for q in theirs):
            return True
        # "The gunmen opened fire ... in the Abdiaziz district": the attackers at hand, told
        # closer up at a place the gazetteer cannot compare.
        return bool(theirs) and _closer_up(doc, m, mine)
    # "GUERRILLAS BURNED A TANK TRUCK" after a story of a shooting: a new incident.
    return not (
        _tells_new_attack(doc, m) and _types([m]) and not (_types([m]) & _types(inc.mentions))
    )


_SAME_ATTACKERS = re.compile(
    r"[\s\"'(]*(?:they|the (?:gunmen|attackers|assailants|militants|fighters|raiders|bombers?|"
    r"insurgents|kidnappers|abductors|rebels|guerrillas))\b"
)


def _closer_up(doc: Doc, m: Mention, mine: list[PlaceMention]) -> bool:
    """A clause that opens on the attackers already told ("The gunmen ...", "They ...") at a
    place the gazetteer does not know (a district, a hotel): the incident at hand, told
    closer up, not an attack elsewhere."""
    return all(p.resolved is None for p in mine) and bool(_SAME_ATTACKERS.match(doc.low, m.start))


def _tells_new_attack(doc: Doc, m: Mention) -> bool:
    """A clause that tells an attack afresh: its attack word is a verb or an indefinite
    noun ("guerrillas attacked", "a bomb exploded"), not "the attack" or "the blast"."""
    strong = [h for h in m.triggers if h.entry.weight >= 2]
    if not strong:
        return False
    low = doc.low
    if re.match(
        r"[\s\"'(]*(?:(?:meanwhile|however|later|then|also),?\s+)?(?:the|they|he|she|it|its|their|these|those)\b",
        low[m.start : m.start + 40],
    ):
        return False  # "The attackers ...", "They ...": the incident at hand
    first = min(strong, key=lambda h: h.start)
    before = low[max(m.start, first.start - 25) : first.start]
    if re.search(r"\b(?:was|were|been|being)\s+(?:\w+ly\s+)?$", before):
        return False  # "two civilians were shot dead": its toll
    if re.search(
        r"\b(?:in|during|after|with|by|from|amid|following)\s+(?:a|an|the)\s+(?:\w+\s+)?$", before
    ):
        return False  # "wounded in a firefight": told in passing
    return not _DEFINITE.search(before)


def _supports(m: Mention, inc: Incident) -> bool:
    """A clause without attack words adds to the incident at hand unless it moves away
    (a new date that does not fit)."""
    return not (
        m.date is not None
        and inc.interval is not None
        and not _overlap(m.date.as_interval(), inc.interval)
        and not (m.facts or m.statements)
    )


def _relative_anchor(
    d: DateMention, date_list: list[DateMention], real: list[Incident], current: Incident | None
) -> Incident | None:
    """What a relative date counts from: the incident at hand for "two weeks after a drone
    strike"; for "days later", the last date the story told (even of a protest), else the
    previous incident."""
    if d.anchor == "current":
        return current if current is not None and current.interval else None
    told = [
        x
        for x in date_list
        if x.end <= d.start
        and not x.is_statement
        and x.kind in ("absolute", "deictic")
        and x.date_start
    ]
    if told:
        return Incident(interval=told[-1].as_interval(), precision=told[-1].precision)
    return next((i for i in reversed(real) if i.interval), None)


def _set_date(inc: Incident, d: DateMention | None, prev: Incident | None, doc: Doc) -> None:
    if d is None:
        return
    if d.kind == "relative":
        if prev and prev.interval:
            inc.interval = dates.relative_to(prev.interval, d, doc.published)
            inc.precision = (
                d.precision
                if d.precision != "day" or inc.interval[0] == inc.interval[1]
                else "week"
            )
            if prev.precision in ("month", "year") and inc.precision == "day":
                inc.precision = prev.precision
            inc.date_evidence = (d.start, d.end)
        return
    inc.interval = d.as_interval()
    inc.precision = d.precision
    inc.date_evidence = (d.start, d.end)


def _maybe_date(inc: Incident, m: Mention) -> None:
    if m.date is None or m.date.kind == "relative":
        return
    iv = m.date.as_interval()
    if iv is None:
        return
    rank = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}
    if (
        inc.interval is None
        or rank.get(m.date.precision, 4) < rank.get(inc.precision, 4)
        and _overlap(iv, inc.interval)
    ):
        inc.interval = iv
        inc.precision = m.date.precision
        inc.date_evidence = (m.date.start, m.date.end)
