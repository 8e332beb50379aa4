"""Killed and wounded: counts, victim groups and their nationality, and what is unknown.

Reads one stretch of text (a clause or sentence about an incident) and returns casualty
facts: "three American military personnel, one British soldier and one Iraqi soldier"
(three groups, five killed), "killing him" (one), "no one was injured" (zero, not
unknown), "making no mention of casualties" (unknown, not zero), "the bomber also died"
(a perpetrator, kept apart from the victims).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract import numbers
from pipelines.extract.numbers import Count

KILLED, WOUNDED = "killed", "wounded"

_KILL_VERB = (
    r"(?:killed|killing|kills|kill|dead|died|die|dies|slain|murdered|massacred|executed|beheaded|"
    r"shot dead|gunned down|lost (?:their|his|her) lives?|perished|succumbed(?: to (?:his|her|their) (?:wounds|injuries))?|"
    r"burn(?:ed|t) to death|stabbed to death|hacked to death|beaten to death|shot to death|fatally (?:shot|wounded|injured|stabbed)|"
    r"assassinated|martyred)"
)
_WOUND_VERB = (
    r"(?:wounded|wounding|injured|injuring|hurt|maimed|hospitali[sz]ed|shot and wounded|shot and injured|"
    r"suffered (?:minor |serious |critical |gunshot )?(?:injuries|wounds)|sustained (?:minor |serious |critical |gunshot )?(?:injuries|wounds)|"
    r"treated for (?:injuries|wounds)|(?:critically|seriously|slightly|lightly|badly|gravely) (?:injured|wounded|hurt))"
)
_VICTIM = (
    r"people|persons|person|individuals|civilians|civilian|soldiers|soldier|troops|troopers|servicemen|"
    r"serviceman|service ?members|service ?member|personnel|police ?officers|police ?officer|policemen|"
    r"policeman|policewomen|policewoman|police|officers|officer|cops|guards|guard|bodyguards|militiamen|"
    r"militants|militant|fighters|fighter|rebels|rebel|insurgents|insurgent|guerrillas|guerrilla|"
    r"terrorists|terrorist|jihadists|children|child|kids|boys|boy|girls|girl|babies|baby|infants?|"
    r"toddlers?|teenagers?|teens?|youths?|students?|schoolchildren|pupils|women|woman|men|man|elders?|"
    r"villagers?|residents?|passengers?|pilgrims|worshippers|worshipers|farmers?|herders?|peasants?|"
    r"workers?|employees?|staff(?:ers)?|contractors?|journalists?|reporters?|officials?|politicians?|"
    r"lawmakers?|teachers?|doctors?|nurses?|medics?|peacekeepers?|marines?|commanders?|members?|"
    r"relatives|bystanders?|pedestrians?|motorists?|drivers?|shoppers?|customers?|patrons?|tourists?|"
    r"foreigners?|nationals?|citizens?|victims?|hostages?|detainees?|prisoners?|inmates?|tribesmen|"
    r"clerics?|imams?|priests?|monks?|nuns?|judges?|mayors?|governors?|chiefs?|leaders?|adults?|others|"
    r"occupants?|gunmen|gunman|attackers?|assailants?|bombers?|suspects?|jawans?|vigilantes?|recruits?|"
    r"cadets?|trainees?|agents?|gendarmes?|sailors?|airmen|pilots?|crew|crewmen|mourners|protesters|"
    r"demonstrators|supporters|activists?|laborers?|labourers?|miners?|fishermen|traders?|vendors?|"
    r"shepherds?|family|families|sons?|daughters?|brothers?|sisters?|wife|husband|mother|father|"
    r"parents|siblings|cousins?|nephews?|nieces?|spouses?|fans|spectators|guests|diners|wedding guests"
)
_PERP_HEAD = re.compile(
    r"^(?:gunmen|gunman|attackers?|assailants?|bombers?|suicide bombers?|shooters?|perpetrators?|"
    r"kidnappers?|abductors?|hijackers?|assassins?|militants?|terrorists?|insurgents?|guerrillas?|rebels?|"
    r"fighters?)$"
)
_NP_WORD = r"(?:\d+-year-old|[a-z][a-z'\-\.]*)"
_NP_STOP = r"(?!(?:and|or|but|in|on|at|by|of|from|during|after|when|while|as|who|which|that|with|including|to|for|were|was|are|is|have|has|had|been)\b)"
_STOP_WORDS = {
    "were",
    "was",
    "are",
    "is",
    "have",
    "has",
    "had",
    "been",
    "be",
    "being",
    "and",
    "or",
    "but",
    "in",
    "on",
    "at",
    "by",
    "of",
    "from",
    "during",
    "after",
    "when",
    "while",
    "as",
    "who",
    "which",
    "that",
    "with",
    "including",
    "among",
    "to",
    "for",
    "into",
    "near",
    "the",
}

_ZERO_BOTH = re.compile(
    r"\b(?:no (?:reported )?casualt(?:y|ies)|no casualties (?:or|and) (?:injuries|damages?)|"
    r"caus(?:ed|ing) no casualties|without (?:any )?casualties|no (?:one|body|-one)(?: else)? (?:was|were) (?:hurt|injured|harmed|wounded)|"
    r"no one (?:was )?(?:hurt|injured)|nobody (?:was )?(?:hurt|injured|harmed)|no injuries|no victims|"
    r"no loss of li(?:fe|ves)|there were no casualties|resulting in no casualties)"
)
_ZERO_KILLED = re.compile(
    r"\b(?:no (?:one|body|-one)(?: else)? (?:was|were) killed|no one (?:was )?killed|nobody (?:was )?killed|no deaths|no fatalities|no one died|nobody died|"
    r"no (?:immediate )?reports? of (?:deaths|fatalities)|without (?:any )?(?:deaths|fatalities))"
)
_ZERO_WOUNDED = re.compile(
    r"\b(?:no (?:immediate )?reports? of (?:injuries|wounded)|without (?:any )?injur(?:y|ies))"
)
_UNKNOWN = re.compile(
    r"\b(?:casualties (?:are |were |remain(?:ed)? )?unknown|unknown casualties|no mention of (?:any )?casualties|"
    r"no (?:immediate )?(?:word|information|details|reports?) (?:on|of|about) (?:any )?(?:casualties|injuries|deaths)|"
    r"(?:number|extent) of (?:the )?casualties (?:is|was|remains|remained) (?:unknown|unclear|not known)|"
    r"unknown number of (?:casualties|victims)|unspecified (?:number of )?casualties|casualt(?:y|ies) figures? (?:were|was) not)"
)
_UNSPECIFIED = re.compile(
    r"\b(?:an? )?(?:unknown|unspecified|undisclosed|undetermined) number of (?P<np>(?:"
    + _NP_WORD
    + r"\s+){0,3}?)(?:were |was )?(?P<verb>"
    + _KILL_VERB
    + "|"
    + _WOUND_VERB
    + r")"
)
_COUNT_THEN_VERB = re.compile(
    r"(?P<np>(?:\s+"
    + _NP_STOP
    + _NP_WORD
    + r"){0,6}?)\s*(?:,\s*[a-z][a-z' -]{0,40}(?<![a-z]s),\s*)?"
    r"(?:(?:were|was|are|is|have been|has been|had been|have|has|had|now|got|reportedly|also|later|allegedly|all|both|subsequently|eventually|since)\s+){0,3}"
    r"(?P<verb>" + _KILL_VERB + "|" + _WOUND_VERB + r")\b"
)
_VERB_THEN_COUNT = re.compile(
    r"\b(?P<verb>"
    + _KILL_VERB
    + "|"
    + _WOUND_VERB
    + r")\s+(?:at least |as many as |more than |up to |nearly |about |some |around |another |an additional |a further )?"
)
_PRONOUN_OBJ = re.compile(
    r"\b(?P<verb>killing|killed|wounding|wounded|injuring|injured|shot dead|shot and killed|murdered|executed)\s+(?P<pro>him|her|them both|both of them|both|all of them|all three|all four|all five|all six|all seven|all eight|all nine|all ten)\b"
)
_NOT_PERSON = r"(?:total|number|dozen|few|lot|handful|couple|pair|series|string|wave|car|vehicle|bus|truck|building|house|home|engine|bomb|device|blast|attack|explosion|fire|area|town|village|city|plan|plot|deal|bill|project)"
_SINGLE_SUBJ = re.compile(
    r"\b(?P<np>(?:a|an|the|his|her|their|its|one)\s+(?:"
    + _NP_STOP
    + _NP_WORD
    + r"\s+){0,3}?(?!"
    + _NOT_PERSON
    + r"\b)"
    + _NP_WORD
    + r")\s+"
    r"(?:(?:was|were|had been|has been|is|also|later|reportedly)\s+){1,3}(?P<verb>"
    + _KILL_VERB
    + "|"
    + _WOUND_VERB
    + r")\b"
    r"|\b(?P<np2>(?:a|an|the|his|her|their|its|one)\s+(?:"
    + _NP_STOP
    + _NP_WORD
    + r"\s+){0,3}?(?!"
    + _NOT_PERSON
    + r"\b)"
    + _NP_WORD
    + r")\s+(?:also\s+)?(?P<verb2>suffered|sustained)\s+(?:minor\s+|serious\s+|critical\s+|gunshot\s+|severe\s+|light\s+)?(?:injuries|wounds)"
)
_VERB_SINGLE_OBJ = re.compile(
    r"\b(?P<verb>killing|killed|wounding|wounded|injuring|injured|shot dead|shot and killed|shot and injured|shot and wounded|murdered|executed|assassinated|gunned down)\s+"
    r"(?P<np>(?:a|an|the|one|another)\s+(?:"
    + _NP_STOP
    + _NP_WORD
    + r"\s+){0,3}?(?!"
    + _NOT_PERSON
    + r"\b)"
    + _NP_WORD
    + r")(?![a-z'\-])"
)
# "killed Colonel Atiq al-Amri", "gunned down Strickland", "killed ... Soleimani and ... al-Muhandis"
_NAME_VERB = re.compile(
    r"\b(?P<verb>killed|killing|murdered|assassinated|gunned down|shot dead|shot and killed|executed|beheaded|"
    r"shot and wounded|shot and injured|wounded|wounding|injured|injuring)\s+(?=[A-Z])"
)
_PERSON_NAME = re.compile(
    r"(?:[A-Z][a-z]+\.?\s+|[A-Z]\.\s+)?[A-Z][a-z'\-]+(?:\s+(?:al-|el-|bin\s+|ibn\s+|de\s+|van\s+|Abu\s+|Abdul\s+)?[A-Z][a-z'\-]+){1,3}|(?:Colonel|General|Gen\.|Col\.|Captain|Capt\.|Major|Sheikh|Mr\.|Mrs\.|Dr\.|Mayor|Judge)\s+[A-Z][a-z'\-]+"
)
# "MaKayla Dyer, a student at White Pine Elementary, was killed October 3"
_NAME_SUBJ = re.compile(
    r"\b(?P<name>[A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+){1,3})(?:,\s+[^,]{1,70},)?\s+(?:was|had been|has been)\s+(?:also\s+)?(?:\w+ly\s+)?"
    r"(?:shot\s+and\s+)?(?P<verb>killed|murdered|slain|shot dead|gunned down|wounded|injured|hurt|stabbed to death)\b"
)
# "MR. TORRES WAS KILLED AND MR. MENESES WAS WOUNDED" (capitals: the title marks the person)
_TITLED_SUBJ = re.compile(
    r"\b(?:mr|mrs|ms|dr|father|colonel|col|general|gen|captain|capt|major|lieutenant|lt|sergeant|sgt|judge|mayor|senator|msgr|monsignor)\.?\s+"
    r"[a-z][a-z'\-]+(?:\s+[a-z][a-z'\-]+){0,2}\s+(?:was|had been|has been)\s+(?:\w+ly\s+)?(?P<verb>killed|murdered|slain|shot dead|wounded|injured|hurt)\b"
)
# "Another soldier, Sadri Bin Lesa, was also seriously wounded"
_APPOS_SUBJ = re.compile(
    r"\b(?:[Aa]|[Aa]n|[Aa]nother|[Oo]ne|[Tt]he)\s+(?:[a-z]+\s+){0,2}?(?P<head>[a-z]+),\s+[A-Z][^,]{2,40},\s+(?:was|had been|has been)\s+(?:also\s+)?(?:\w+ly\s+)?(?P<verb>killed|wounded|injured|hurt|shot dead)\b"
)
_TOLL = re.compile(
    r"\b(?:death toll|toll|number of (?:the )?(?:dead|deaths|people killed|those killed|victims|fatalities))\b[^.;]{0,90}?\s(?:(?:has|had|have)\s+)?(?:rose|risen|climbed|jumped|increased|reached|stood|stands|was|is|went up|rises|climbs)\s+(?:to|at)\s+"
)
_WOUNDED_TOLL = re.compile(
    r"\b(?:put|puts|putting|placed)\s+the\s+number\s+of\s+(?:wounded|injured|people wounded|people injured)\s+at\s+|\bnumber of (?:wounded|injured)\b[^.;]{0,60}?\s(?:rose|risen|climbed|reached|stood|is|was)\s+(?:to|at)\s+"
)
_THE_DEAD_ARE = re.compile(
    r"\bthe (?:dead|victims|those killed|people killed) (?:are|were|included|include)\s+"
)
_DEAD_WOUNDED_NOUN = re.compile(
    r"^\s*(?:people\s+)?(?P<w>dead|deaths|fatalities|bodies|killed|wounded|injured|injuries|casualties)\b"
)
_BOMBER_DIED = re.compile(
    r"\b(?:the |a |one |both )?(?:suicide )?(?:bomber|attacker|assailant|gunman|shooter)s?\s+(?:also\s+|was\s+|were\s+)*(?:died|killed|dead|blew (?:himself|herself|themselves) up)"
)


@dataclass(frozen=True)
class Fact:
    """One casualty statement: `status` killed/wounded, a count, and who."""

    status: str
    low: int | None
    high: int | None
    qualifier: str
    group: str | None
    nationality: str | None
    start: int
    end: int
    is_perpetrator: bool = False
    is_zero: bool = False
    is_unknown: bool = False
    is_including: bool = False  # "including three women": a subset of a total


def _status(verb: str) -> str:
    return (
        WOUNDED
        if re.match(_WOUND_VERB + r"$", verb) or verb.startswith(("wound", "injur", "hurt"))
        else KILLED
    )


def _np_head(np: str) -> str | None:
    words = [w.rstrip(".") for w in re.findall(_NP_WORD, np) if w.rstrip(".") not in _STOP_WORDS]
    for w in reversed(words):
        if re.fullmatch(_VICTIM, w):
            return w
    return None


_NOT_NAME_START = {
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "One",
    "Many",
    "Several",
    "Dozens",
    "Some",
    "Both",
    "All",
    "His",
    "Her",
    "Their",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "No",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Police",
    "Army",
    "Government",
}


def find_facts(
    low: str, start: int, end: int, demonyms: dict[int, str] | None = None, text: str | None = None
) -> list[Fact]:
    """Casualty facts in `low[start:end]`; `demonyms` maps text offsets of demonyms to ISO2;
    `text` (same offsets, original case) lets named victims count ("killed Colonel X")."""
    seg = low[start:end]
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    def one(verb: str, group: str | None, m: re.Match) -> None:
        """One person killed or wounded, told by match `m`."""
        facts.append(Fact(_status(verb), 1, 1, "exact", group, None, m.start(), m.end()))
        taken.append((m.start(), m.end()))

    def nationality(a: int, b: int) -> str | None:
        for off, cc in (demonyms or {}).items():
            if a <= off < b:
                return cc
        return None

    for m in _ZERO_BOTH.finditer(seg):
        a, b = start + m.start(), start + m.end()
        facts += [
            Fact(KILLED, 0, 0, "exact", None, None, a, b, is_zero=True),
            Fact(WOUNDED, 0, 0, "exact", None, None, a, b, is_zero=True),
        ]
    for m in _ZERO_KILLED.finditer(seg):
        a, b = start + m.start(), start + m.end()
        facts.append(Fact(KILLED, 0, 0, "exact", None, None, a, b, is_zero=True))
    for m in _ZERO_WOUNDED.finditer(seg):
        a, b = start + m.start(), start + m.end()
        facts.append(Fact(WOUNDED, 0, 0, "exact", None, None, a, b, is_zero=True))
    for m in _UNKNOWN.finditer(seg):
        a, b = start + m.start(), start + m.end()
        facts += [
            Fact(KILLED, None, None, "exact", None, None, a, b, is_unknown=True),
            Fact(WOUNDED, None, None, "exact", None, None, a, b, is_unknown=True),
        ]
    for m in _UNSPECIFIED.finditer(seg):
        a, b = start + m.start(), start + m.end()
        head = _np_head(m.group("np"))
        facts.append(
            Fact(_status(m.group("verb")), 1, None, "at_least", head, nationality(a, b), a, b)
        )
        taken.append((a, b))

    counts = [c for c in numbers.find_counts(low, start, end)]
    # Counts glued to a year, an hour or a unit are not people; "no one" is nobody.
    counts = [
        c
        for c in counts
        if not _not_people(low, c)
        and not re.search(r"\bno[ -]$", low[max(0, c.start - 3) : c.start])
    ]

    # "<count> <np> were killed" / "<count> killed"
    for c in counts:
        if not free(c.start, c.end):
            continue
        m = _COUNT_THEN_VERB.match(low, c.end, end)
        if m and _np_ok(m.group("np")):
            np = m.group("np")
            head = _np_head(np)
            if head is None and np.split() and "more" not in np and "other" not in np:
                m = None
            if m:
                status = _status(m.group("verb"))
                # "one was killed and three more were injured": "more" continues the list.
                fact = Fact(
                    status,
                    c.low,
                    c.high,
                    c.qualifier,
                    head,
                    nationality(c.start, m.end()),
                    c.start,
                    m.end(),
                    is_perpetrator=bool(head and _PERP_HEAD.match(head)),
                )
                facts.append(fact)
                taken.append((c.start, m.end()))
                # "Three soldiers and three officers were killed": the list before shares the verb.
                k = counts.index(c)
                while k > 0:
                    prev = counts[k - 1]
                    gap = low[prev.end : counts[k].start]
                    gm = re.fullmatch(
                        r"((?:\s+" + _NP_STOP + _NP_WORD + r"){0,5})\s*(?:,\s*and|,|and)\s+", gap
                    )
                    if not gm or not free(prev.start, prev.end):
                        break
                    head = _np_head(gm.group(1))
                    if head is None:
                        break
                    facts.append(
                        Fact(
                            status,
                            prev.low,
                            prev.high,
                            prev.qualifier,
                            head,
                            nationality(prev.start, counts[k].start),
                            prev.start,
                            prev.end + len(gm.group(1)),
                        )
                    )
                    taken.append((prev.start, prev.end))
                    k -= 1
                continue
        m2 = _DEAD_WOUNDED_NOUN.match(low, c.end, end)
        if m2:
            w = m2.group("w")
            if w == "casualties":
                continue
            status = WOUNDED if w in ("wounded", "injured", "injuries") else KILLED
            facts.append(
                Fact(
                    status,
                    c.low,
                    c.high,
                    c.qualifier,
                    "people",
                    None,
                    c.start,
                    c.end + m2.end() - m2.start(),
                )
            )
            taken.append((c.start, c.end + m2.end() - m2.start()))

    # "killing 6 civilians", "wounding 30 others", "injuring a jawan and seven civilians"
    for m in _VERB_THEN_COUNT.finditer(low, start, end):
        status = _status(m.group("verb"))
        pos = m.start()
        groups = []
        cursor = m.start("verb") + len(m.group("verb"))
        while True:
            nxt = [c for c in counts if cursor <= c.start <= cursor + 25 and free(c.start, c.end)]
            gap_ok = nxt and re.fullmatch(
                r"[\s,]*(?:and\s+|as well as\s+)?(?:at least\s+|another\s+|more than\s+)?",
                low[cursor : nxt[0].start] or " ",
            )
            if not nxt or not gap_ok:
                # "a jawan" / "an officer" in a list
                sm = re.match(
                    r"[\s,]*(?:and\s+)?(?:a|an|one)\s+((?:"
                    + _NP_WORD
                    + r"\s+){0,2}?(?:"
                    + _VICTIM
                    + r"))\b",
                    low[cursor:end],
                )
                if sm:
                    groups.append(
                        (1, 1, "exact", sm.group(1), cursor + sm.start(1), cursor + sm.end())
                    )
                    cursor += sm.end()
                    continue
                break
            c = nxt[0]
            if re.match(
                r"\s*(?:of|percent|per cent|%|years?|yr|am|pm|a\.m|p\.m|km|miles|kilometers|meters|hours|minutes|days|weeks|months)\b",
                low[c.end : c.end + 12],
            ):
                break
            npm = re.match(
                r"((?:\s+(?:more|other|others|additional|further|" + _NP_WORD + r")){0,5})",
                low[c.end : end],
            )
            np = npm.group(1) if npm else ""
            # stop the NP at a verb or a stop word
            words = []
            for w in np.split():
                if w in _STOP_WORDS or re.fullmatch(_KILL_VERB + "|" + _WOUND_VERB, w):
                    break
                words.append(w)
            np = " ".join(words)
            head = _np_head(np) or ("others" if "other" in np or "more" in np else None)
            ne = c.end + (len(" ".join(words)) + 1 if words else 0)
            groups.append((c.low, c.high, c.qualifier, head, c.start, ne))
            cursor = ne
        if not groups:
            continue
        for lo, hi, q, head, a, b in groups:
            taken.append((a, b))
            facts.append(
                Fact(
                    status,
                    lo,
                    hi,
                    q,
                    head,
                    nationality(a, b),
                    a,
                    b,
                    is_perpetrator=bool(head and _PERP_HEAD.match(head)),
                )
            )

    # "killing him", "killed both"
    for m in _PRONOUN_OBJ.finditer(low, start, end):
        if not free(m.start(), m.end()):
            continue
        pro = m.group("pro")
        n = (
            1
            if pro in ("him", "her")
            else 2
            if "both" in pro
            else numbers.words_to_int(pro.split()[-1]) or None
        )
        if n is None:
            continue
        facts.append(Fact(_status(m.group("verb")), n, n, "exact", None, None, m.start(), m.end()))
        taken.append((m.start(), m.end()))
    # "a policeman was killed", "his wife was killed"
    for m in _SINGLE_SUBJ.finditer(low, start, end):
        if not free(m.start(), m.end()):
            continue
        np = m.group("np") or m.group("np2")
        head = _np_head(np) or np.split()[-1]
        if (
            head.endswith("s")
            and not head.endswith("ss")
            and not np.startswith("one")
            or head in ("people", "police")
        ):
            continue
        verb = m.group("verb") or "injured"
        if re.search(r"\bno[ -]$", low[max(0, m.start() - 3) : m.start()]):
            continue
        facts.append(
            Fact(
                _status(verb),
                1,
                1,
                "exact",
                head,
                nationality(m.start(), m.end()),
                m.start(),
                m.end(),
                is_perpetrator=bool(_PERP_HEAD.match(head)),
            )
        )
        # "Two Ugandan soldiers and a Somali worker were wounded": the list before shares the verb.
        prev = [c for c in counts if c.end <= m.start() and free(c.start, c.end)]
        if prev:
            c = prev[-1]
            gm = re.fullmatch(
                r"((?:\s+" + _NP_STOP + _NP_WORD + r"){1,4})\s*(?:,\s*and|,|and)\s+",
                low[c.end : m.start()],
            )
            if gm and _np_head(gm.group(1)):
                facts.append(
                    Fact(
                        _status(verb),
                        c.low,
                        c.high,
                        c.qualifier,
                        _np_head(gm.group(1)),
                        nationality(c.start, m.start()),
                        c.start,
                        m.start(),
                    )
                )
                taken.append((c.start, m.start()))
        taken.append((m.start(), m.end()))
    # "killed a policeman", "wounded the driver"
    for m in _VERB_SINGLE_OBJ.finditer(low, start, end):
        if not free(m.start(), m.end()):
            continue
        np = m.group("np")
        head = _np_head(np) or np.split()[-1]
        if head.endswith("s") and not head.endswith("ss") or head in ("people", "police"):
            continue
        facts.append(
            Fact(
                _status(m.group("verb")),
                1,
                1,
                "exact",
                head,
                nationality(m.start(), m.end()),
                m.start(),
                m.end(),
            )
        )
        taken.append((m.start(), m.end()))
    # "killed Colonel Atiq al-Amri" (one), "... and Abu Mahdi al-Muhandis" (two)
    if text is not None and not text[start:end].isupper():
        for m in _NAME_VERB.finditer(text, start, end):
            n, stop = _named_victims(text, m.end(), end)
            if n and free(m.start(), stop):
                facts.append(
                    Fact(
                        _status(m.group("verb").lower()),
                        n,
                        n,
                        "exact",
                        "named person",
                        None,
                        m.start(),
                        stop,
                    )
                )
                taken.append((m.start(), stop))
        for m in _NAME_SUBJ.finditer(text, start, end):
            if free(m.start(), m.end()) and m.group("name").split()[0] not in _NOT_NAME_START:
                one(m.group("verb"), "named person", m)
        for m in _APPOS_SUBJ.finditer(text, start, end):
            if free(m.start(), m.end()) and re.fullmatch(_VICTIM, m.group("head")):
                one(m.group("verb"), m.group("head"), m)
    for m in _TITLED_SUBJ.finditer(low, start, end):
        if free(m.start(), m.end()):
            one(m.group("verb"), "named person", m)
    # "the death toll rose to 7"
    for m in _TOLL.finditer(low, start, end):
        c = numbers.count_at(low, m.end(), end)
        if c:
            facts.append(Fact(KILLED, c.low, c.high, c.qualifier, "people", None, m.start(), c.end))
    for m in _WOUNDED_TOLL.finditer(low, start, end):
        c = numbers.count_at(low, m.end(), end)
        if c:
            facts.append(
                Fact(WOUNDED, c.low, c.high, c.qualifier, "people", None, m.start(), c.end)
            )
    # "The dead are two American contractors and three Iraqi soldiers"
    for m in _THE_DEAD_ARE.finditer(low, start, end):
        pos, groups, last_sep = m.end(), [], ""
        while True:
            c = numbers.count_at(low, pos, end)
            if not c and groups and last_sep.endswith("and"):
                # "two American contractors, four Iraqi soldiers and a Filipino national"
                a = re.match(r"an?(?=\s)", low[pos:end])
                c = numbers.Count(1, 1, "exact", pos, pos + a.end()) if a else None
            if not c:
                break
            npm = re.match(r"((?:\s+" + _NP_STOP + _NP_WORD + r"){0,4})", low[c.end : end])
            head = _np_head(npm.group(1)) if npm else None
            if head is None:
                break
            groups.append(
                Fact(
                    KILLED,
                    c.low,
                    c.high,
                    c.qualifier,
                    head,
                    nationality(c.start, c.end + npm.end()),
                    c.start,
                    c.end + npm.end(),
                )
            )
            pos = c.end + npm.end()
            sep = re.match(r"\s*(?:,\s*and|,|and)\s+", low[pos:end])
            if not sep:
                break
            last_sep = sep.group(0).strip()
            pos += sep.end()
        if groups and all(free(g.start, g.end) for g in groups):
            facts.extend(groups)
            taken.extend((g.start, g.end) for g in groups)
    # "the bomber also died"
    for m in _BOMBER_DIED.finditer(low, start, end):
        if free(m.start(), m.end()):
            n = 2 if "both" in m.group(0) else 1
            facts.append(
                Fact(
                    KILLED,
                    n,
                    n,
                    "exact",
                    "perpetrator",
                    None,
                    m.start(),
                    m.end(),
                    is_perpetrator=True,
                )
            )
    return [_mark_including(low, f) for f in facts]


def _named_victims(text: str, pos: int, end: int) -> tuple[int, int]:
    """How many named people follow a kill verb: conjuncts up to a preposition or the end of
    the clause, each holding a personal name (two capitalised words, or a title and a name)."""
    stop = re.search(
        r"\s(?:in|on|at|during|near|with|while|as|after|before|outside|inside|when|who|from)\s|[.;:!?]|,\s(?!and\s)",
        text[pos:end],
    )
    chunk = text[pos : pos + stop.start()] if stop else text[pos:end]
    if chunk.split()[:1] and chunk.split()[0] in _NOT_NAME_START:
        return 0, pos
    n = 0
    for part in re.split(r",?\s+and\s+", chunk):
        if re.search(
            r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|dozens?|several|many)\b",
            part,
            re.I,
        ):
            return 0, pos
        if _PERSON_NAME.search(part):
            n += 1
    return n, pos + len(chunk)


def _not_people(low: str, c: Count) -> bool:
    after = low[c.end : c.end + 14]
    before = low[max(0, c.start - 12) : c.start]
    if re.match(
        r"\s*(?:percent|per cent|%|years? old|-year-old|year-old|km|kilomet|miles?|meters?|metres?|kg|kilograms?|hours?|minutes?|seconds?|am|pm|a\.m|p\.m|gmt|dollars|\$|rounds?|bullets?|rockets?|mortars?|shells?|missiles?|grenades?|bombs?|vehicles?|cars?|houses?|homes?|buildings?|times|o'clock|st|nd|rd|th)\b",
        after,
    ):
        return True
    if (
        re.search(
            r"(?:\$|no\.|number|at|since|in|on|page|route|block of|aged|age|ages)\s*$", before
        )
        and c.qualifier == "exact"
        and c.low is not None
        and c.low > 31
    ):
        return True
    if re.search(
        r"(?:\b(?:man|woman|boy|girl|youth|teenager|child|person|victim|son|daughter)\s+of"
        r"|\b(?:aged|ages)(?:\s+between)?(?:\s+\d+\s+(?:and|to))?)\s*$",
        low[max(0, c.start - 28) : c.start],
    ):
        return True  # "a woman of 23", "aged between 16 and 31": ages, not people
    return c.low is not None and 1900 <= c.low <= 2100 and c.qualifier == "exact"


def _np_ok(np: str) -> bool:
    words = np.split()
    return len(words) <= 6 and not any(w in ("of",) for w in words[:1])


def _mark_including(low: str, f: Fact) -> Fact:
    before = low[max(0, f.start - 14) : f.start]
    if re.search(r"\b(?:including|among them|among whom|of whom|of them)\s*$", before):
        return Fact(
            f.status,
            f.low,
            f.high,
            f.qualifier,
            f.group,
            f.nationality,
            f.start,
            f.end,
            f.is_perpetrator,
            f.is_zero,
            f.is_unknown,
            True,
        )
    return f


def total(facts: list[Fact], status: str) -> tuple[dict | None, list[Fact]]:
    """Combine one clause's facts into a contract toll ({low, high, qualifier} or None) and
    the facts behind it. Listed groups add up; "including" subsets do not; a perpetrator is
    counted in the range's upper bound only."""
    fs = [f for f in facts if f.status == status]
    if not fs:
        return None, []
    positives = [
        f
        for f in fs
        if not f.is_zero and not f.is_unknown and not f.is_including and f.low is not None
    ]
    if positives:
        victims = [f for f in positives if not f.is_perpetrator]
        perps = [f for f in positives if f.is_perpetrator]
        base = victims or perps
        lo = sum(f.low or 0 for f in base)
        hi = None if any(f.high is None for f in base) else sum(f.high for f in base)
        q = "exact"
        quals = {f.qualifier for f in base}
        if "at_least" in quals:
            q = "at_least"
        elif "about" in quals:
            q = "about"
        elif "at_most" in quals:
            q = "at_most"
        if victims and perps and hi is not None:
            hi += sum(f.high or f.low or 0 for f in perps)
            if q == "exact":
                q = "about"
        return {"low": lo, "high": hi, "qualifier": q}, base + perps
    zeros = [f for f in fs if f.is_zero]
    if zeros:
        return {"low": 0, "high": 0, "qualifier": "exact"}, zeros[:1]
    return None, [f for f in fs if f.is_unknown][:1]
