"""Place mentions: finding names in the text and resolving them against the gazetteer.

Candidates come from capitalised word sequences (any sequence in all-capitals copy, where
only locative context and size make a name credible), from news-agency patterns such as
"in Belet Xaawo village (Belet Xaawo, Gedo)" and "in Shirin Tagab, Faryab, Afghanistan",
and from demonyms ("an Iraqi base" is in Iraq). Resolution weighs the countries and
regions the article talks about, the kind of place and its population, so "Taji" next to
"Baghdad" is the Iraqi base and not the Chinese town. Month names, weekdays and people's
names are never places.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.extract import gazetteer
from pipelines.extract.gazetteer import ADMIN1, CITY, COUNTRY, SITE, Place
from pipelines.extract.text import Doc

_TOKEN = re.compile(
    r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F0-9'\u2019`]*(?:-[A-Za-z\u00C0-\u024F0-9'\u2019`]+)*"
)
# Lower-case words that may stand inside a place name ("Dar es Salaam", "Gulf of Aden").
# Prepositions such as "on" and "at" are not among them: "Karachi on Friday" is two words.
_CONNECTORS = {
    "al",
    "el",
    "de",
    "del",
    "da",
    "do",
    "dos",
    "das",
    "la",
    "le",
    "les",
    "los",
    "las",
    "of",
    "ad",
    "ash",
    "as",
    "ar",
    "an",
    "bin",
    "ibn",
    "abu",
    "y",
    "du",
    "van",
    "von",
    "der",
    "den",
    "di",
    "e",
    "es",
    "sur",
    "upon",
}
_NOT_PLACES = {
    # calendar words
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
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
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    # capitalised common words that are also place names somewhere
    "the",
    "a",
    "an",
    "he",
    "she",
    "it",
    "they",
    "we",
    "his",
    "her",
    "their",
    "this",
    "that",
    "these",
    "those",
    "there",
    "here",
    "police",
    "army",
    "military",
    "president",
    "minister",
    "government",
    "officials",
    "official",
    "security",
    "forces",
    "force",
    "state",
    "states",
    "islamic",
    "national",
    "united",
    "nations",
    "news",
    "agency",
    "press",
    "reuters",
    "afp",
    "ap",
    "bbc",
    "cnn",
    "aljazeera",
    "al jazeera",
    "said",
    "says",
    "no",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "also",
    "but",
    "and",
    "or",
    "on",
    "in",
    "at",
    "by",
    "for",
    "with",
    "from",
    "after",
    "before",
    "during",
    "since",
    "when",
    "while",
    "as",
    "if",
    "of",
    "to",
    "up",
    "out",
    "over",
    "under",
    "about",
    "against",
    "between",
    "into",
    "through",
    "what",
    "who",
    "why",
    "how",
    "all",
    "some",
    "many",
    "most",
    "other",
    "another",
    "such",
    "only",
    "own",
    "same",
    "so",
    "than",
    "too",
    "very",
    "just",
    "sheikh",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "mr",
    "mrs",
    "ms",
    "dr",
    "saint",
    "st",
    "lake",
    "mount",
    "river",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "central",
    "northern",
    "southern",
    "eastern",
    "western",
    "upper",
    "lower",
    "middle",
    "new",
    "old",
    "great",
    "little",
    "big",
    "media",
    "radio",
    "television",
    "tv",
    "times",
    "post",
    "herald",
    "chief",
    "deputy",
    "commander",
    "governor",
    "mayor",
    "ministry",
    "interior",
    "defense",
    "defence",
    "foreign",
    "affairs",
    "office",
    "department",
    "council",
    "committee",
    "court",
    "union",
    "party",
    "group",
    "front",
    "movement",
    "army's",
    "people",
    "peoples",
    "popular",
    "liberation",
    "revolutionary",
    "democratic",
    "republic",
    "kingdom",
    "federal",
    "federation",
    "coalition",
    "alliance",
    "brigade",
    "brigades",
    "battalion",
    "division",
    "regiment",
    "unit",
    "units",
    "company",
    "corp",
    "inc",
    "ltd",
    "university",
    "college",
    "school",
    "hospital",
    "church",
    "mosque",
    "street",
    "road",
    "avenue",
    "highway",
    "square",
    "park",
    "bridge",
    "station",
    "airport",
    "base",
    "camp",
    "market",
    "hotel",
    "centre",
    "center",
    "text",
    "report",
    "reports",
    "reported",
    "page",
    "photo",
    "video",
    "watch",
    "read",
    "more",
    "related",
    "share",
    "email",
    "print",
    "comments",
    "copyright",
    "all rights reserved",
    "god",
    "allah",
    "christian",
    "christians",
    "muslim",
    "muslims",
    "shia",
    "sunni",
    "shiite",
    "kurdish",
    "kurds",
    "arab",
    "arabs",
    "jewish",
    "jews",
    "hindu",
    "sikh",
    "buddhist",
    "catholic",
    "tribal",
    "clan",
    "sub-clan",
    "militia",
    "militias",
    "unknown",
    "unidentified",
    "senator",
    "senate",
    "congress",
    "parliament",
    "house",
    "white house",
    "capitol",
    "embassy",
    "prime",
    "premier",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "bishop",
    "archbishop",
    "father",
    "brother",
    "sister",
    "son",
    "daughter",
    "wife",
    "husband",
    "family",
    "victim",
    "victims",
    "suspect",
    "suspects",
    "gunman",
    "gunmen",
    "officer",
    "officers",
    "sergeant",
    "lieutenant",
    "corporal",
    "private",
    "major",
    "detective",
    "agent",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "commission",
    "association",
    "organization",
    "institute",
    "foundation",
    "society",
    "league",
    "network",
    "service",
    "services",
    "intelligence",
    "special",
    "guard",
    "guards",
    "patrol",
    "police's",
    "sheriff",
    "sheriff's",
    "county",
    "city",
    "town",
    "village",
    "district",
    "province",
    "region",
    "area",
    "zone",
    "sector",
    "neighborhood",
    "neighbourhood",
    "quarter",
    "block",
    "governorate",
    "department's",
    "washington",
    "doha",
    "jazeera",
    "twitter",
    "facebook",
    "telegram",
    "whatsapp",
    "youtube",
    "amaq",
    "sana",
    "irna",
    "wafa",
    "xinhua",
    "tass",
    "interfax",
    "efe",
    "acan",
    "dpa",
    "ansa",
    "prensa",
    "latina",
    "notimex",
    "cerigua",
    "venceremos",
    "clandestine",
    "domestic",
    "mass",
    "assembly",
    "christmas",
    "easter",
    "ramadan",
    "eid",
    "halloween",
    "thanksgiving",
    "independence",
    "day",
    "week",
    "month",
    "year",
    "night",
    "morning",
    "evening",
    "afternoon",
    "don",
    "lord",
    "lady",
    "hall",
    "bay",
    "gulf",
    "sea",
    "ocean",
    "island",
    "islands",
}
# Words that introduce a place.
_LOCATIVE = re.compile(
    r"(?:\b(?:in|near|at|outside|inside|around|from|to|into|toward|towards|across|within|"
    r"on|of|between|and|hit|struck|targeting|attacked|stormed|entered|reached|left|"
    r"north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|"
    r"western|central|outskirts of|vicinity of|village of|town of|city of|district of|province of|"
    r"region of|area of|suburb of|neighbo[u]?rhood of|state of|county of|capital|km|kms|kilometers|"
    r"kilometres|miles)\s+(?:the\s+)?(?:[a-z]+\s+)?$)",
)
_PERSON_TITLE = re.compile(
    r"(?:\b(?:mr|mrs|ms|dr|gen|general|col|colonel|capt|captain|lt|lieutenant|sgt|sergeant|"
    r"maj|major|president|minister|sheikh|shaykh|sheik|imam|mullah|mullah|father|bishop|"
    r"archbishop|msgr|senator|sen|rep|governor|gov|mayor|judge|prince|king|queen|commander|"
    r"chief|officer|corporal|cpl|pvt|private|detective|agent|deputy|emir|ayatollah|rev|"
    r"reverend|brother|sister|saint|engineer|eng|prof|professor|journalist|activist|"
    r"identified as|named|name is|son of|daughter of|wife of|husband of|leader|spokesman|"
    r"spokeswoman|lawyer|attorney|businessman|cleric|teacher|doctor|student|resident|"
    r"victim|suspect|farmer|elder|official|soldier|policeman|driver)\.?\s+$)"
)
_SITE_WORDS = re.compile(
    r"^[\s-]*(?:air ?base|base|airfield|airport|camp|barracks|garrison|outpost|checkpoint|"
    r"compound|embassy|consulate|military base|army base|naval base|refugee camp|idp camp|"
    r"oil field|oilfield|refinery|power plant|power station|prison|jail|police station|"
    r"crossing|border crossing|port|dam|bridge|market|mosque|church|hospital|school|hotel)\b",
    re.I,
)
_FEATURE_WORDS = re.compile(
    r"^\s+(village|town|city|district|area|neighbo[u]?rhood|province|region|county|"
    r"governorate|department|municipality|locality|settlement|camp|suburb|quarter|sector|"
    r"state|division|zone|market|junction|road|highway|valley|hills?|mountains?|forest)\b",
    re.I,
)
# An administrative unit written after its name: "Tsafe Local Government Area", "Kaga District".
_ADMIN_UNIT_SUFFIX = re.compile(
    r"\s+(local government area|local government|lga|district|province|state|governorate|county|"
    r"region|division|municipality|area)$",
    re.I,
)
# "in Belet Xaawo village (Belet Xaawo, Gedo)" / "in Mogadishu - Yaqshid (Banadir)"
_PAREN = re.compile(r"\(([^()\d]{2,60}?)(?:,\s*([^()\d]{2,40}?))?\)")


@lru_cache(maxsize=1)
def _common_words() -> dict[str, float]:
    """English words with their Zipf frequency (wordfreq): 'Pacific', 'Time', 'Port' and
    'Hunter' are towns somewhere, but in capitals or at a sentence start they are words."""
    import math

    import wordfreq

    freqs = wordfreq.get_frequency_dict("en")
    return {w: math.log10(f * 1e9) for w, f in freqs.items() if f >= 1e-7}


@lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    """Single words of the extractor's own word lists ("checkpoint", "soldiers", "rockets"):
    in capitals they are those words, not towns that happen to share the name."""
    from pipelines.extract import lexicon

    return frozenset(
        p
        for p, entries in zip(lexicon.get().patterns, lexicon.get().meanings, strict=False)
        if " " not in p and any(e.category not in ("actor", "country", "demonym") for e in entries)
    )


def is_common_word(word: str, threshold: float = 4.3) -> bool:
    return _common_words().get(word.lower(), 0.0) >= threshold


_STREET = {
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "drive",
    "dr",
    "lane",
    "ln",
    "way",
    "highway",
    "hwy",
    "parkway",
    "pkwy",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "circle",
    "square",
    "alley",
    "expressway",
    "freeway",
    "turnpike",
    "pike",
    "trail",
}
_US_STATE_ABBR = {
    "Ala": "Alabama",
    "Ariz": "Arizona",
    "Ark": "Arkansas",
    "Calif": "California",
    "Colo": "Colorado",
    "Conn": "Connecticut",
    "Del": "Delaware",
    "Fla": "Florida",
    "Ga": "Georgia",
    "Ill": "Illinois",
    "Ind": "Indiana",
    "Kan": "Kansas",
    "Kans": "Kansas",
    "Ky": "Kentucky",
    "La": "Louisiana",
    "Md": "Maryland",
    "Mass": "Massachusetts",
    "Mich": "Michigan",
    "Minn": "Minnesota",
    "Miss": "Mississippi",
    "Mo": "Missouri",
    "Mont": "Montana",
    "Neb": "Nebraska",
    "Nev": "Nevada",
    "N.H": "New Hampshire",
    "N.J": "New Jersey",
    "N.M": "New Mexico",
    "N.Y": "New York",
    "N.C": "North Carolina",
    "N.D": "North Dakota",
    "Okla": "Oklahoma",
    "Ore": "Oregon",
    "Pa": "Pennsylvania",
    "R.I": "Rhode Island",
    "S.C": "South Carolina",
    "S.D": "South Dakota",
    "Tenn": "Tennessee",
    "Tex": "Texas",
    "Vt": "Vermont",
    "Va": "Virginia",
    "Wash": "Washington",
    "W.Va": "West Virginia",
    "Wis": "Wisconsin",
    "Wyo": "Wyoming",
}
_US_POSTAL = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "District of Columbia",
}
_US_ABBR_ALTS = "|".join(re.escape(k) for k in sorted(_US_STATE_ABBR, key=len, reverse=True))
_US_CITY_STATE = re.compile(
    r"(?P<city>(?:[A-Z][a-zA-Z]+\.?\s){0,2}[A-Z][a-zA-Z]+),\s+(?:(?P<st>"
    + _US_ABBR_ALTS
    + r")\.(?![A-Za-z])|(?P<postal>"
    + "|".join(_US_POSTAL)
    + r")(?=\s*(?:\u2014|\u2013|--|-|\(|,|$)))"
)
# What every match of _US_CITY_STATE holds, found fast (a literal comma leads): text
# without it is not scanned with the slow pattern.
_US_STATE_AFTER_COMMA = re.compile(r",\s+(?:" + _US_ABBR_ALTS + "|" + "|".join(_US_POSTAL) + ")")
# Institutions and address forms of American local news: a story with several of these and
# no other country named is set in the United States.
_US_CUES = re.compile(
    r"\b(?:Police Department|Sheriff|[Ss]heriff's|deputies|County|Crime Stoppers|911|[Ss]tate Route|Interstate|I-\d+|"
    r"Highway Patrol|District Attorney|[Ss]tate [Pp]olice|FBI|ATF|[Pp]olice [Cc]hief|Ave\.|Blvd\.|[Cc]oroner|[Mm]edical [Ee]xaminer|"
    r"\d+ block of|[Hh]omicide [Dd]etectives?|[Ff]elony|[Mm]isdemeanor|[Bb]ond|[Aa]rraigned|[Gg]rand [Jj]ury|SWAT|"
    r"[Pp]rosecutors?|[Pp]ublic [Dd]efender|Department of Corrections|[Dd]etectives?|[Tt]roopers?|\$[\d,]+)\b|"
    r"\bD\.C\.(?=\W)"
)


@dataclass
class PlaceMention:
    """A place name in the text, with its resolution (or none, for unknown villages)."""

    start: int
    end: int
    name: str
    candidates: list[Place] = field(default_factory=list)
    resolved: Place | None = None
    admin1_hint: str | None = None  # from "X, Region" or "(District, Region)"
    country_hint: str | None = None
    locative: bool = False  # introduced by "in", "near", "at", ...
    reference: bool = False  # "north of Baghdad", "10 km from Lima": a landmark for another place
    site: bool = False  # a base, camp, embassy ... ("Taji airbase")
    kind_hint: str | None = None  # "village", "district", ... said next to the name
    demonym: bool = False  # "Iraqi" in "an Iraqi base": country only
    coded: bool = False  # followed by "(District, Region)": the place a report codes

    @property
    def country(self) -> str | None:
        if self.resolved:
            return self.resolved.country
        return self.country_hint

    def precision(self) -> str:
        if self.site or (self.resolved and self.resolved.kind == SITE):
            return "site"
        if self.demonym:
            return "country"
        if self.resolved is None:
            if self.kind_hint in (
                "district",
                "province",
                "region",
                "governorate",
                "state",
                "department",
                "county",
            ):
                return "admin1" if self.kind_hint != "district" else "city"
            return "city" if self.admin1_hint or self.country_hint else "unknown"
        return {CITY: "city", ADMIN1: "admin1", COUNTRY: "country", SITE: "site"}[
            self.resolved.kind
        ]

    def as_location(self) -> dict:
        r = self.resolved
        country = self.country
        admin1 = self.admin1_hint
        if r and r.kind in (CITY, SITE, ADMIN1):
            admin1 = admin1 or r.admin1
        name = None if (self.demonym or (r and r.kind == COUNTRY)) else self.name
        if r and r.kind == ADMIN1 and name:
            admin1 = admin1 or r.name
        return {
            "name": name,
            "country_code": country,
            "admin1": admin1,
            "lat": round(r.lat, 4) if r and r.lat is not None else None,
            "lon": round(r.lon, 4) if r and r.lon is not None else None,
            "precision": self.precision(),
        }


def _tokens(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text, start, end)]


_ARTICLE_NAME = re.compile(r"(?:al|el|ad|ash|as|ar|an|at|az|ath|adh)-[A-Z]")


def _capitalised(word: str) -> bool:
    """'Baghdad', and Arabic names written with a lower-case article ('al-Qaim', 'el-Arish')."""
    return word[:1].isupper() or ("-" in word[:4] and bool(_ARTICLE_NAME.match(word)))


_TITLE_WORDS = {
    "president",
    "vice",
    "minister",
    "prime",
    "general",
    "gen",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "major",
    "maj",
    "mr",
    "mrs",
    "ms",
    "dr",
    "sheikh",
    "shaykh",
    "imam",
    "mullah",
    "father",
    "bishop",
    "archbishop",
    "msgr",
    "senator",
    "sen",
    "rep",
    "governor",
    "gov",
    "mayor",
    "judge",
    "prince",
    "king",
    "queen",
    "commander",
    "chief",
    "officer",
    "corporal",
    "cpl",
    "private",
    "pvt",
    "detective",
    "agent",
    "deputy",
    "emir",
    "ayatollah",
    "rev",
    "reverend",
    "saint",
    "professor",
    "prof",
    "secretary",
    "ambassador",
    "spokesman",
    "spokeswoman",
    "director",
    "chairman",
    "leader",
    "brigadier",
    "marshal",
    "admiral",
    "adm",
    "cardinal",
    "pope",
    "sultan",
    "sheik",
    "haji",
    "hajji",
    "mufti",
}
_TRAILING_FEATURES = {
    "city",
    "province",
    "district",
    "village",
    "governorate",
    "region",
    "state",
    "county",
    "town",
    "municipality",
    "department",
    "prefecture",
    "area",
    "neighborhood",
    "neighbourhood",
    "tehsil",
    "division",
    "zone",
    "sub-district",
    "subdistrict",
    "camp",
}
_LEADING_JUNK = {
    "on",
    "in",
    "the",
    "at",
    "near",
    "from",
    "a",
    "an",
    "but",
    "and",
    "or",
    "when",
    "after",
    "before",
    "during",
    "since",
    "while",
    "as",
    "if",
    "then",
    "meanwhile",
    "also",
    "however",
    "yesterday",
    "today",
    "last",
    "this",
    "late",
    "early",
    "some",
    "many",
    "several",
    "both",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
    "greater",
    "downtown",
}


_POSSESSIVE = ("'s", "\u2019s")  # a token holds no newline, so no "$" subtlety
_WRAP = re.compile(r"[ \t]*\n?[ \t]*")


def _joined(gap: str) -> bool:
    """Two words with only spaces and at most one line break between them."""
    return gap != "" and _WRAP.fullmatch(gap) is not None


def _runs(doc: Doc, toks: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Maximal runs of capitalised words (connectors allowed inside, no punctuation between)."""
    text = doc.text
    runs: list[list[tuple[int, int]]] = []
    cur: list[tuple[int, int]] = []
    for s, e in toks:
        word = text[s:e]
        capital = _capitalised(word)
        if not capital and not cur:
            continue  # a lower-case word outside a run: most words
        if capital and word.endswith(_POSSESSIVE):
            # "Iraq's Besmaya base": the possessive ends a name.
            if cur:
                runs.append(cur)
            runs.append([(s, e - 2)])
            cur = []
            continue
        cap = capital or word.lower() in _CONNECTORS and bool(cur)
        # Wire copy wraps lines inside names ("in San\nMarcos Lempa").
        if cap and (not cur or _joined(text[cur[-1][1] : s])):
            cur.append((s, e))
            continue
        if cur:
            runs.append(cur)
        cur = [(s, e)] if capital else []
    if cur:
        runs.append(cur)
    out = []
    for r in runs:
        while r and text[r[-1][0] : r[-1][1]].lower() in _CONNECTORS:
            r = r[:-1]
        if r:
            out.append(r)
    return out


def find_places(
    doc: Doc, lex_hits: list, start: int = 0, end: int | None = None
) -> list[PlaceMention]:
    """Place mentions in `doc.text[start:end]`, unresolved (see `resolve`)."""
    end = len(doc.text) if end is None else end
    gaz = gazetteer.load()
    toks = _tokens(doc.text, start, end)
    blocked = _blocked_spans(lex_hits)
    cands = _caps_candidates(doc, toks, gaz) if doc.is_caps else _run_candidates(doc, toks, gaz)
    out: list[PlaceMention] = []
    for ns, ne in cands:
        if any(bs <= ns and ne <= be for bs, be in blocked):
            continue
        words = " ".join(doc.text[ns:ne].split())  # wire copy wraps lines inside names
        pm = PlaceMention(ns, ne, words, candidates=gaz.lookup(words))
        _annotate(doc, pm)
        if _plausible(doc, pm):
            out.append(pm)
    out.extend(_us_city_state(doc, start, end, out, gaz))
    out.extend(_dash_places(doc, start, end, out, gaz))
    out.extend(_unknown_places(doc, start, end, out, gaz))
    out.extend(_demonym_places(doc, lex_hits, start, end))
    out.sort(key=lambda p: p.start)
    return _dedupe(out)


_KNOWN_MEMO: dict[str, bool] = {}


def _known(gaz, words: str) -> bool:
    """Is this word sequence a gazetteer name (exactly, or by transliteration)? Memoised."""
    hit = _KNOWN_MEMO.get(words)
    if hit is not None:
        return hit
    k = gazetteer.key(words)
    if not k or k in _NOT_PLACES:
        hit = False
    else:
        hit = gaz.has(k) or (
            len(k) >= 5 and gaz.by_squash.get(gazetteer.squash(k, True)) is not None
        )
    if len(_KNOWN_MEMO) < 500_000:
        _KNOWN_MEMO[words] = hit
    return hit


_NEXT_WORD = re.compile(r"\s+([A-Za-z]+)")


def _run_candidates(doc: Doc, toks, gaz) -> list[tuple[int, int]]:
    """In ordinary text a name is a whole run of capitalised words, less leading function
    words and trailing feature words ("Kabul City", "Baghdad province"); a run holding a
    title ("Vice President Joe Biden") is a person."""
    text = doc.text
    out = []
    for run in _runs(doc, toks):
        words = [text[s:e] for s, e in run]
        lows = [w.lower() for w in words]
        if any(w.rstrip(".") in _TITLE_WORDS for w in lows[:-1]):
            continue
        nxt = _NEXT_WORD.match(text[run[-1][1] : run[-1][1] + 20])
        if lows[-1].rstrip(".") in _STREET or (
            nxt and nxt.group(1).lower() in _STREET and nxt.group(1)[0].isupper()
        ):
            continue
        i, j = 0, len(run)
        directional = False
        while i < j and (
            lows[i] in _LEADING_JUNK or lows[i] in _NOT_PLACES and lows[i] not in ("north", "south")
        ):
            directional = directional or lows[i] in (
                "north",
                "south",
                "east",
                "west",
                "central",
                "northern",
                "southern",
                "eastern",
                "western",
            )
            if any(_known(gaz, " ".join(words[i:jj])) for jj in range(j, i + 1, -1)) and lows[
                i
            ] in (
                "north",
                "south",
                "east",
                "west",
                "upper",
                "lower",
                "central",
                "new",
            ):
                break
            i += 1
        while j > i and lows[j - 1] in _TRAILING_FEATURES and j - 1 > i:
            if _known(gaz, " ".join(words[i:j])):
                break
            j -= 1
        if i >= j:
            continue
        found = False
        # The whole remaining run, else its longest known prefix when the rest is a feature or
        # a second name in a list ("Tabta and Kulbiyow" is split on "and" already).
        for jj in range(j, i, -1):
            span = " ".join(words[i:jj])
            if _known(gaz, span):
                if directional and any(c.kind == COUNTRY for c in gaz.lookup(span, loose=False)):
                    break  # "South Jersey" is a region, not the Channel island
                rest = lows[jj:j]
                if jj == j or all(
                    r in _TRAILING_FEATURES
                    or r in _CONNECTORS
                    or r in ("police", "sheriff", "county", "residents", "officials")
                    for r in rest
                ):
                    out.append((run[i][0], run[jj - 1][1]))
                    found = True
                break
        if not found and len(run[i:j]) >= 1:
            # Unknown multi-word names are picked up by the locative patterns later.
            continue
    return out


def _caps_name_ok(gaz, words: str, toks_l: list[str]) -> bool:
    """In capitals, common English words are not names: 'WAS', 'PART', 'THE CITY', 'TOOK A'
    stay words, while 'LA PAZ' and 'SAN SALVADOR' (well-known places) pass."""
    common = _common_words()
    cands = gaz.lookup(words, loose=False)
    big = max((c.population for c in cands), default=0)
    major = big >= 300_000 or any(c.kind in (COUNTRY, ADMIN1) for c in cands)
    if len(toks_l) == 1:
        z = common.get(toks_l[0], 0.0)
        if z >= 4.5 and not any(c.kind == COUNTRY for c in cands) and big < 1_000_000:
            return False  # 'CAPITAL', 'COLORADO' as a word
        if toks_l[0] in _lexicon_words() and not major:
            return False  # 'CHECKPOINT', 'PATROL'
        if toks_l[0].endswith("s") and common.get(toks_l[0][:-1], 0.0) >= 4.5 and not major:
            return False  # 'FINES', 'BANKS': plurals of everyday words

        if z >= 5.5 or (z >= 4.0 and not major) or len(toks_l[0]) <= 3:
            return False
        return bool(cands) or len(toks_l[0]) >= 6
    if common.get(toks_l[0], 0.0) >= 5.0 or common.get(toks_l[-1], 0.0) >= 5.0:
        return bool(cands) and major
    return True


def _caps_candidates(doc: Doc, toks, gaz) -> list[tuple[int, int]]:
    """In all-capitals copy: the longest known name made of adjacent words (no punctuation
    between them), filtered by `_caps_name_ok`."""
    text = doc.text
    first = gaz.first_words
    keys = [gazetteer.key(text[a:b]) for a, b in toks]
    joins = [
        _WRAP.fullmatch(text[toks[i][1] : toks[i + 1][0]]) is not None for i in range(len(toks) - 1)
    ]
    out = []
    i = 0
    while i < len(toks):
        k0 = keys[i]
        if k0 not in first and not (
            len(k0) >= 5 and gaz.by_squash.get(gazetteer.squash(k0, True)) is not None
        ):
            i += 1
            continue
        best = None
        n_max = 1
        while n_max < 5 and i + n_max < len(toks) and joins[i + n_max - 1]:
            n_max += 1
        for n in range(n_max, 0, -1):
            toks_l = keys[i : i + n]
            if n > 1 and toks_l[-1] in _CONNECTORS:
                continue
            words = text[toks[i][0] : toks[i + n - 1][1]]
            if _known(gaz, words) and _caps_name_ok(gaz, words, [w.lower() for w in words.split()]):
                best = (toks[i][0], toks[i + n - 1][1])
                break
        if best:
            out.append(best)
            while i < len(toks) and toks[i][0] < best[1]:
                i += 1
        else:
            i += 1
    return out


def _us_city_state(
    doc: Doc, start: int, end: int, found: list[PlaceMention], gaz
) -> list[PlaceMention]:
    """'ROANOKE, Va.' / 'Jackson, Miss.': AP-style US datelines and bylines."""
    out = []
    text = doc.text if not doc.is_caps else doc.text
    if not _US_STATE_AFTER_COMMA.search(text, start, end):
        return out
    for m in _US_CITY_STATE.finditer(text, start, end):
        state = _US_STATE_ABBR[m.group("st")] if m.group("st") else _US_POSTAL[m.group("postal")]
        s, e = m.start("city"), m.end("city")
        city = m.group("city")
        cands = [c for c in gaz.lookup(city) if c.country == "US"]
        existing = [p for p in found if p.start <= s < p.end or s <= p.start < e]
        for p in existing:
            found.remove(p)
        pm = PlaceMention(
            s,
            e,
            city.title() if city.isupper() else city,
            candidates=cands,
            country_hint="US",
            admin1_hint=state,
            locative=True,
        )
        out.append(pm)
    return out


_DASH_PLACE = re.compile(
    r"\b(?P<city>[A-Z][a-z]+) - (?P<part>[A-Z][a-z]+(?: [A-Z][a-z]+)?)\s*\((?P<region>[A-Z][^(),]{2,30})\)"
)


def _dash_places(
    doc: Doc, start: int, end: int, found: list[PlaceMention], gaz
) -> list[PlaceMention]:
    """'Mogadishu - Yaqshid (Banadir)': a city district as agencies code it."""
    out = []
    for m in _DASH_PLACE.finditer(doc.text, start, end):
        s, e = m.start(), m.end("part")
        for p in [p for p in found if s <= p.start < e]:
            found.remove(p)
        cands = [c for c in gaz.lookup(m.group("city")) if c.kind == CITY]
        pm = PlaceMention(
            s,
            e,
            doc.text[s:e],
            candidates=cands,
            admin1_hint=m.group("region"),
            locative=True,
            coded=True,
        )
        out.append(pm)
    return out


def _blocked_spans(lex_hits: list) -> list[tuple[int, int]]:
    """Spans of actor names: 'Islamic State Somalia Province' is a group, not a place.
    Country names stay (they are places); actors named after a place do not."""
    from pipelines.extract import lexicon

    actors = lexicon.get().actors
    out = []
    for h in lex_hits:
        if h.entry.category != "actor":
            continue
        a = actors.get(h.entry.value)
        if a is None or a.actor_type == "state":
            continue
        out.append((h.start, h.end))
    return out


_REFERENCE_BEFORE = re.compile(
    r"\b(?:(?:north|south|east|west|northeast|northwest|southeast|southwest)(?:ern)?\s+of|(?:km|kms|kilometers|kilometres|miles)\s+(?:\w+\s+)?(?:from|of|outside)|on the road (?:to|from)|toward|towards|road linking)\s+(?:the\s+)?$"
)
_KIND_OF_BEFORE = re.compile(
    r"(village|town|city|district|province|region|camp|neighbo[u]?rhood|suburb|area) of\s+(?:the\s+)?$"
)
_AGE_AFTER = re.compile(r",\s*\d{1,2}\s*,")
_PERSON_VERB_AFTER = re.compile(r"\s+(?:said|says|told|added|was|is|who|has|had)\b")


def _annotate(doc: Doc, pm: PlaceMention) -> None:
    text, low = doc.text, doc.low
    before = low[max(0, pm.start - 40) : pm.start]
    para = before.rfind("\n\n")
    if para >= 0:
        before = before[para + 2 :]  # a word ending the paragraph above does not introduce it
    pm.locative = bool(_LOCATIVE.search(before))
    pm.reference = bool(_REFERENCE_BEFORE.search(before))
    after = text[pm.end : pm.end + 40]
    fm = _FEATURE_WORDS.match(after)
    if fm:
        pm.kind_hint = fm.group(1).lower()
    if _SITE_WORDS.match(after):
        pm.site = True
    # "village of X", "X district"
    m = _KIND_OF_BEFORE.search(before)
    if m:
        pm.kind_hint = m.group(1)
        pm.locative = True


# A name followed by these names a business, a building or a street, not a town.
_FACILITY_AFTER = re.compile(
    r"\s+(?:[IVX]{1,3}\s+)?(?:hotel|installations?|boulevard|restaurant|bank|company|"
    r"corporation|store|supermarket|department store|shopping (?:center|centre|mall)|mall|"
    r"factory|plant|offices|headquarters|building|tower|stadium|cinema|theater|theatre)\b",
    re.I,
)


def _plausible(doc: Doc, pm: PlaceMention) -> bool:
    """Keep a candidate only if it reads like a place here."""
    low = doc.low
    before = low[max(0, pm.start - 30) : pm.start]
    if _PERSON_TITLE.search(before):
        return False
    after = doc.text[pm.end : pm.end + 25]
    # "Ahmed, 25," / "Smith said"
    if (_AGE_AFTER.match(after) or _PERSON_VERB_AFTER.match(after) and not pm.locative) and not any(
        c.kind == COUNTRY for c in pm.candidates
    ):
        return False
    kinds = {c.kind for c in pm.candidates}
    big = max((c.population for c in pm.candidates), default=0)
    if (
        " " not in pm.name.strip()
        and is_common_word(pm.name, 4.8)
        and re.search(r"\bthe\s+$", before)
        and COUNTRY not in kinds
    ):
        return False  # "in the capital city", "the centre": a word, not a region named so
    if big < 500_000 and _FACILITY_AFTER.match(after) and not kinds & {COUNTRY, SITE}:
        return False  # "the Presto installations", "the Hilton hotel", "Juan Pablo II Boulevard"
    if COUNTRY in kinds and not doc.is_caps:
        nxt = re.match(r"[ ]+([A-Z][a-z]+)", doc.text[pm.end : pm.end + 20])
        if (
            nxt
            and nxt.group(1).lower() not in _NOT_PLACES
            and not re.match(r"(?:The|In|On|And|But|Is|Was|Has|Said|Says)$", nxt.group(1))
        ):
            return False  # "Jordan Smith": a person
    if kinds & {COUNTRY, SITE}:
        return True
    single = " " not in pm.name.strip()
    if (
        single
        and is_common_word(pm.name)
        and big < 300_000
        and not (ADMIN1 in kinds and not doc.is_caps)
    ):
        return False
    if single and not doc.is_caps and pm.name.isupper() and len(pm.name) <= 4:
        return False  # "SUV", "NIRA", "KVA": acronyms
    if doc.is_caps:
        # In capitals anything is a candidate: demand place-like context or a large place.
        return (
            pm.locative
            or pm.kind_hint is not None
            or pm.site
            or big >= 200_000
            or ADMIN1 in kinds
            and pm.locative
        )
    if pm.locative or pm.kind_hint or pm.site:
        return True
    # A bare capitalised word: sentence-initial words are the usual false friends.
    sent = doc.sentence_at(pm.start)
    at_start = sent is not None and doc.text[sent.start : pm.start].strip(" \"'(") == ""
    if at_start and big < 100_000:
        return False
    return big >= 1000 or ADMIN1 in kinds


# Every feature word of the first two patterns of `_unknown_places` holds one of these
# ("neighbo" for neighborhood and neighbourhood): keep them in step with the patterns.
_UNKNOWN_FEATURES = (
    "village",
    "town",
    "city",
    "district",
    "area",
    "neighbo",
    "locality",
    "settlement",
    "camp",
    "suburb",
    "quarter",
    "municipality",
    "county",
    "hamlet",
)


def _unknown_places(
    doc: Doc, start: int, end: int, found: list[PlaceMention], gaz
) -> list[PlaceMention]:
    """Names the gazetteer lacks, recognised by the way agencies write places:
    'in Xaawo-Cabdi village (Afgooye, Lower Shabelle)', 'near Aborey village',
    'the village of El Meygaag', 'in Kashkash in the Southern parts of ...'."""
    text = doc.text
    out: list[PlaceMention] = []
    name = r"((?:[A-Z][\w'\u2019`]*(?:-[A-Z]?[\w'\u2019`]+)*)(?:\s+(?:al-|el-|de\s|del\s|la\s)?[A-Z][\w'\u2019`]*(?:-[A-Z]?[\w'\u2019`]+)*){0,3})"
    if doc.is_caps:
        name = r"((?:[A-Z][A-Z'\u2019`-]*)(?:\s+[A-Z][A-Z'\u2019`-]*){0,2})"
    pats = [
        re.compile(
            r"\b(?:in|near|at|outside|around|from|to|of)\s+(?:the\s+)?"
            + name
            + r"\s+(village|town|city|district|area|neighbo[u]?rhood|locality|settlement|camp|suburb|quarter|municipality|county|hamlet)\b",
            re.I if doc.is_caps else 0,
        ),
        re.compile(
            r"\b(?:village|town|city|district|neighbo[u]?rhood|suburb|area|locality|hamlet|settlement|municipality|county) of\s+"
            + name,
            re.I if doc.is_caps else 0,
        ),
    ]
    if not doc.is_caps and not any(text.find(w, start, end) >= 0 for w in _UNKNOWN_FEATURES):
        pats = []  # neither can match without one of its feature words (case-sensitive here)
    for pat in pats:
        for m in pat.finditer(text, start, end):
            s, e = m.start(1), m.end(1)
            words = text[s:e]
            k = gazetteer.key(words)
            if not k or k in _NOT_PLACES or any(w in _NOT_PLACES for w in k.split()[:1]):
                continue
            if " " not in k and is_common_word(k, 4.8):
                continue  # "in the capital city", "in the main town": words, not names
            if any(p.start <= s < p.end or s <= p.start < e for p in found + out):
                continue
            pm = PlaceMention(s, e, words, candidates=gaz.lookup(words), locative=True)
            kind = m.group(2) if m.lastindex and m.lastindex >= 2 else None
            pm.kind_hint = kind.lower() if kind else re.match(r"\w+", m.group(0)).group(0).lower()
            out.append(pm)
    # "on La Noria Bridge, in San Marcos Lempa": a capitalised name after a locative word is a
    # place even when the gazetteer lacks it (ordinary text only: in capitals every word is).
    if not doc.is_caps:
        loc = re.compile(
            r"\b(?:in|near|outside|around|of the town of|of the village of|on the outskirts of|in the (?:town|village|city|district|province|region|department|area|neighbou?rhood) of)\s+(?:the\s+)?"
            + name
            + r"(?=[\s,.;)])"
        )
        for m in loc.finditer(text, start, end):
            s, e = m.start(1), m.end(1)
            words = text[s:e]
            k = gazetteer.key(words)
            first = k.split()[0] if k else ""
            if (
                not k
                or first in _NOT_PLACES
                or first in _TITLE_WORDS
                or any(p.start <= s < p.end or s <= p.start < e for p in found + out)
            ):
                continue
            if " " not in k and (len(k) < 5 or is_common_word(k, 3.5)):
                continue
            if re.match(r"\s+(?:said|says|told|and\s+[A-Z])", text[e : e + 12]):
                continue
            nxt = _NEXT_WORD.match(text[e : e + 14])
            if nxt and nxt.group(1).lower().rstrip(".") in _STREET or k.split()[-1] in _STREET:
                continue  # "near Cedar Avenue": a street
            unit = _ADMIN_UNIT_SUFFIX.search(words)
            if unit and unit.start() > 0:
                # "in Tsafe Local Government Area": the place is Tsafe, the rest its kind.
                words, e = words[: unit.start()], s + unit.start()
                pm = PlaceMention(s, e, words, candidates=gaz.lookup(words), locative=True)
                pm.kind_hint = unit.group(1).lower()
                out.append(pm)
                continue
            out.append(PlaceMention(s, e, words, candidates=gaz.lookup(words), locative=True))
    # "in North Waziristan, Federally Administered Tribal Areas, Pakistan": an unknown first
    # element of a written hierarchy is still the place.
    chain = re.compile(r"\b(?:in|near|at|outside|around)\s+(?:the\s+)?" + name + r",\s+(?=[A-Z])")
    for m in chain.finditer(text, start, end):
        s, e = m.start(1), m.end(1)
        words = text[s:e]
        k = gazetteer.key(words)
        if (
            not k
            or any(w in _NOT_PLACES for w in k.split()[:1])
            or any(p.start <= s < p.end or s <= p.start < e for p in found + out)
        ):
            continue
        nxt = [p for p in found if p.start == m.end()]
        if not nxt or not any(c.kind in (ADMIN1, COUNTRY) for c in nxt[0].candidates):
            continue
        out.append(PlaceMention(s, e, words, candidates=gaz.lookup(words), locative=True))
    return out


def _demonym_places(doc: Doc, lex_hits: list, start: int, end: int) -> list[PlaceMention]:
    """'an Iraqi base', 'Somali forces': a country, not a named place."""
    out = []
    for h in lex_hits:
        if h.entry.category != "demonym" or not (start <= h.start < end):
            continue
        if not doc.is_caps and not h.surface[:1].isupper():
            continue
        after = doc.text[h.end : h.end + 30]
        if re.match(r"\s*(?:embassy|consulate|mission|ambassador|envoy|diplomats?)\b", after, re.I):
            continue  # "the U.S. embassy" stands in another country
        pm = PlaceMention(h.start, h.end, h.surface, demonym=True, country_hint=h.entry.value)
        if _SITE_WORDS.match(after):
            pm.site = True
        out.append(pm)
    return out


def _dedupe(places: list[PlaceMention]) -> list[PlaceMention]:
    out: list[PlaceMention] = []
    for p in places:
        if out and p.start < out[-1].end:
            if (p.end - p.start) > (out[-1].end - out[-1].start) and not p.demonym:
                out[-1] = p
            continue
        out.append(p)
    return out


# ----------------------------------------------------------------------------- resolution
# Everyday English compounds with a demonym in them.
_DEMONYM_IDIOM = re.compile(
    r"\s+(?:doors?|windows?|fries|toast|press|kiss|horn|braids?|bread|dressing|vanilla|"
    r"roulette|standoff|shepherds?|cheese|pastry|delight|checkers|summer|food|restaurant|"
    r"cuisine|accent|class|lessons?|teacher|language|muffin|coffee|tea|rug|poodle)\b"
)


def explicit_countries(doc: Doc, lex_hits: list, places: list[PlaceMention]) -> dict[str, float]:
    """Countries the article names outright: country names, demonyms, hierarchies' hints."""
    score: dict[str, float] = {}
    spans = sorted(
        (h for h in lex_hits if h.entry.category in ("country", "demonym")),
        key=lambda h: (h.start, -(h.end - h.start)),
    )
    last_end = -1
    for h in spans:
        if h.start < last_end:
            continue  # "Congo" inside "Democratic Republic of the Congo"
        last_end = h.end
        if doc.is_caps and h.entry.category == "country" and len(h.surface) <= 3:
            continue
        if not doc.is_caps and h.entry.category == "country":
            prev = re.search(
                r"(?<![.!?]\s)\b([A-Z][a-z]+)[ ]+$", doc.text[max(0, h.start - 20) : h.start]
            )
            if prev and prev.group(1) not in (
                "In",
                "On",
                "At",
                "From",
                "To",
                "The",
                "And",
                "Of",
                "For",
                "With",
                "By",
                "Near",
            ):
                continue  # "New Jersey", "South Jersey", "Papua New Guinea": not the country
            if re.match(r"[ ]+[A-Z][a-z]+", doc.text[h.end : h.end + 20]) and not re.match(
                r"[ ]+(?:The|In|On|And|But|Is|Was|Has|Said|Says)\b", doc.text[h.end : h.end + 20]
            ):
                continue  # "Jordan Smith", "Chad Miller": a person
        if h.entry.category == "demonym" and _DEMONYM_IDIOM.match(doc.low, h.end):
            continue  # "French doors", "Russian roulette": no country in them
        w = 2.0 if h.entry.category == "country" else 1.0
        score[h.entry.value] = score.get(h.entry.value, 0.0) + w
    for p in places:
        if p.country_hint and not p.demonym:
            score[p.country_hint] = score.get(p.country_hint, 0.0) + 1.0
        elif p.admin1_hint:
            regions = {
                c.country for c in gazetteer.load().lookup(p.admin1_hint) if c.kind == ADMIN1
            }
            if len(regions) == 1:
                cc = next(iter(regions))
                score[cc] = score.get(cc, 0.0) + 1.0
    return score


def article_countries(doc: Doc, lex_hits: list, places: list[PlaceMention]) -> dict[str, float]:
    """How much the article talks about each country: names, demonyms, unambiguous places.
    When it names countries outright, places abroad of the same name do not vote."""
    score = explicit_countries(doc, lex_hits, places)
    explicit = set(score)
    for p in places:
        if p.country_hint and not p.demonym:
            continue
        cands = [
            c
            for c in p.candidates
            if not explicit or c.country in explicit or c.population >= 1_000_000
        ]
        ccs = {c.country for c in cands if c.kind in (CITY, ADMIN1, SITE)}
        if len(ccs) == 1:
            cc = next(iter(ccs))
            score[cc] = score.get(cc, 0.0) + 1.5
        elif p.candidates:
            # Ambiguous names vote by population share ("Toledo" leans to Ohio and Spain).
            pops: dict[str, float] = {}
            for c in cands:
                if c.kind in (CITY, ADMIN1, SITE):
                    pops[c.country] = pops.get(c.country, 0.0) + c.population + 1
            total = sum(pops.values())
            for cc, v in pops.items():
                if v / total >= 0.2:
                    score[cc] = score.get(cc, 0.0) + v / total
    if explicit - {"US"}:
        return score  # other countries named outright: the American cues below cannot apply
    us = len(set(m.group(0).lower() for m in _US_CUES.finditer(doc.text)))
    named = [p for p in places if not p.demonym and p.candidates]
    with_us = [p for p in named if any(c.country == "US" for c in p.candidates)]
    if us >= 2 or (len(with_us) >= 2 and len(with_us) >= 0.6 * len(named)) or (us >= 1 and with_us):
        # English local news whose places all exist in the United States is American.
        score["US"] = score.get("US", 0.0) + min(us, 4) + len(with_us)
    return score


def resolve(
    doc: Doc,
    places: list[PlaceMention],
    countries: dict[str, float],
    explicit: dict[str, float] | None = None,
) -> None:
    """Pick one gazetteer entry per mention, in place (two passes: regions inform towns)."""
    admin_keys = {}
    for p in places:
        for c in p.candidates:
            if c.kind == ADMIN1:
                admin_keys.setdefault((c.country, gazetteer.key(c.name)), c)
    # Hierarchies written out: "X, Y, Z" and "X (Y, Z)".
    _hierarchy_hints(doc, places)
    main = max(countries, key=countries.get) if countries else None
    strong_main = (
        main is not None
        and countries[main] >= 2
        and countries[main] >= 0.5 * sum(countries.values())
    )
    for p in places:
        if p.demonym or not p.candidates:
            continue
        pool = [c for c in p.candidates if not p.country_hint or c.country == p.country_hint]
        if explicit and not p.country_hint:
            # A small namesake abroad is not the place: "Sui" in a Pakistani story.
            pool = [
                c
                for c in pool
                if c.country in explicit or c.population >= 1_000_000 or c.kind == COUNTRY
            ]
        elif strong_main and not p.country_hint:
            pool = [
                c
                for c in pool
                if c.country in countries or c.population >= 1_000_000 or c.kind == COUNTRY
            ]
        if not pool:
            p.resolved = None
            continue
        if len(pool) == 1:
            p.resolved = pool[0]  # nothing to weigh
            continue
        p.resolved = max(pool, key=lambda c: _score(c, p, places, countries))


def _score(
    c: Place, p: PlaceMention, places: list[PlaceMention], countries: dict[str, float]
) -> float:
    s = math.log10(c.population + 10)
    s += 3.0 * countries.get(c.country, 0.0) ** 0.5
    if p.country_hint and c.country != p.country_hint:
        s -= 8
    if p.admin1_hint:
        hint = gazetteer.key(p.admin1_hint)
        if c.admin1 and (
            gazetteer.key(c.admin1) == hint or gazetteer.squash(c.admin1) == gazetteer.squash(hint)
        ):
            s += 4
    if gazetteer.key(c.name) == gazetteer.key(p.name):
        s += 1.0
    if c.kind == SITE:
        s += 3.0 if p.site or p.locative else 1.0
    if c.kind == COUNTRY:
        s += 4.0
    if c.kind == ADMIN1 and p.kind_hint in (
        "province",
        "region",
        "governorate",
        "state",
        "department",
    ):
        s += 3.0
    if c.kind == CITY and p.kind_hint in ("village", "town", "city"):
        s += 1.0
    # A region whose name is mentioned next to the candidate's own region
    for q in places:
        if q is p or not q.candidates:
            continue
        if abs(q.start - p.end) < 60 and any(
            r.kind == ADMIN1
            and r.country == c.country
            and c.admin1
            and gazetteer.key(r.name) == gazetteer.key(c.admin1)
            for r in q.candidates
        ):
            s += 3.0
    return s


def _hierarchy_hints(doc: Doc, places: list[PlaceMention]) -> None:
    """'in Shirin Tagab, Faryab, Afghanistan' and 'Belet Xaawo village (Belet Xaawo, Gedo)':
    the later names are the region and the country of the first."""
    text = doc.text
    for i, p in enumerate(places):
        tail = text[p.end : p.end + 80]
        m = re.match(
            r"\s*(?:village|town|city|district|area|neighbo[u]?rhood|settlement)?\s*\(([^()]{2,60})\)",
            tail,
        )
        if m:
            parts = [x.strip() for x in re.split(r",", m.group(1)) if x.strip()]
            if parts:
                p.admin1_hint = p.admin1_hint or _region_name(parts[-1])
                p.coded = True
                regions = [c for c in gazetteer.load().lookup(parts[-1]) if c.kind == ADMIN1]
                if len({c.country for c in regions}) == 1:
                    p.country_hint = p.country_hint or regions[0].country
                if len(parts) >= 2 and not p.candidates:
                    # The district town locates an unknown village roughly.
                    p.candidates = [c for c in gazetteer.load().lookup(parts[0]) if c.kind == CITY]
        # Comma chains of following mentions.
        chain = [p]
        j = i + 1
        while j < len(places) and (
            link := re.fullmatch(r"\s*,\s*(the\s+)?", text[chain[-1].end : places[j].start] or "x")
        ):
            if link.group(1) and any(c.kind == COUNTRY for c in chain[-1].candidates):
                break  # "Kabul, Afghanistan, the US embassy compound": the chain ended
            chain.append(places[j])
            j += 1
        if len(chain) >= 2:
            countries = [
                q
                for q in chain[1:]
                if not q.demonym and any(c.kind == COUNTRY for c in q.candidates)
            ]
            last_country = countries[-1] if countries else None
            cc = (
                next(c.country for c in last_country.candidates if c.kind == COUNTRY)
                if last_country
                else None
            )
            for q in chain[1:]:
                if q.demonym or q is last_country:
                    continue
                kinds = {c.kind for c in q.candidates}
                if (
                    ADMIN1 in kinds
                    or q.kind_hint in ("province", "region", "governorate", "state")
                    or COUNTRY in kinds
                    or CITY in kinds
                ):
                    # "Suleja, Niger, Nigeria": Niger is the state here, not the country.
                    p.admin1_hint = p.admin1_hint or q.name
                    if cc:
                        q.candidates = [
                            c for c in q.candidates if c.country == cc and c.kind != COUNTRY
                        ] or q.candidates
                    break
            if cc:
                for r in chain:
                    if r is not last_country:
                        r.country_hint = r.country_hint or cc


def _region_name(s: str) -> str:
    return re.sub(r"\s+(?:region|province|governorate|state)$", "", s.strip(), flags=re.I)
