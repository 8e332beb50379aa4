"""Synthetic conflict news for the benchmarks: a world of places, armed groups and outlets, and
stories written from it.

The stories follow the structure of the bundled sample stories (``raw/samples``): a
headline, a standfirst, a lead with a dateline, the place, when, what and the toll, then
details, responsibility (a claim, a denial, suspicion, blame or "no group has claimed"),
context, sometimes an earlier incident in the background or a running tally. Several
outlets report one incident in their own words over the following days, and later reports
revise the toll. About a third of the stories are quiet news (votes, floods, prices).

Places come from the extractor's gazetteer (populated places of each country, with their
first-level regions) and its curated conflict sites; armed groups from the ``actors`` seed;
nationalities from the extractor's country list. Every choice is drawn from a
``random.Random`` seeded by the story's key, so the same key always gives the same text,
whichever process writes it.

None of it is news: outlets are fictional (``.example`` domains) and every incident is
invented.
"""

from __future__ import annotations

import csv
import hashlib
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from pipelines import settings as settings_module

EXTRACT_DATA = settings_module.PROJECT_ROOT / "pipelines" / "extract" / "data"
ACTORS_SEED = settings_module.PROJECT_ROOT / "dbt" / "seeds" / "actors.csv"

# Countries the outlets cover, with their weight in the news flow and the dateline city
# wire copy uses when the reporter is in the capital.
COUNTRIES: dict[str, tuple[float, str]] = {
    "IQ": (9, "Baghdad"),
    "SY": (7, "Damascus"),
    "SO": (8, "Mogadishu"),
    "NG": (9, "Abuja"),
    "PK": (7, "Islamabad"),
    "AF": (6, "Kabul"),
    "YE": (5, "Sanaa"),
    "ML": (4, "Bamako"),
    "BF": (4, "Ouagadougou"),
    "NE": (3, "Niamey"),
    "CD": (5, "Kinshasa"),
    "MZ": (2, "Maputo"),
    "CM": (3, "Yaounde"),
    "ET": (3, "Addis Ababa"),
    "KE": (3, "Nairobi"),
    "SD": (5, "Khartoum"),
    "PH": (3, "Manila"),
    "IN": (4, "New Delhi"),
    "CO": (3, "Bogota"),
    "MX": (4, "Mexico City"),
    "MM": (4, "Yangon"),
    "CF": (2, "Bangui"),
    "LB": (2, "Beirut"),
    "US": (3, "Washington"),
}
PLACES_PER_COUNTRY = 40
MIN_POPULATION = 15_000

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    *("January", "February", "March", "April", "May", "June", "July"),
    *("August", "September", "October", "November", "December"),
)
MONTH_ABBR = (
    "Jan",
    "Feb",
    "March",
    "April",
    "May",
    "June",
    "July",
    "Aug",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
)
NUMBER_WORDS = (
    *("no one", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"),
    *("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen", "twenty"),
)
ORDINALS = (
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    *("tenth", "eleventh", "twelfth", "13th", "14th", "15th", "16th", "17th", "18th", "19th"),
    *("20th", "21st", "22nd", "23rd", "24th", "25th"),
)

# Victims: plural noun, singular noun.
VICTIMS = (
    ("soldiers", "soldier"),
    ("police officers", "police officer"),
    ("civilians", "civilian"),
    ("villagers", "villager"),
    ("farmers", "farmer"),
    ("worshippers", "worshipper"),
    ("students", "student"),
    ("shoppers", "shopper"),
    ("passengers", "passenger"),
    ("militiamen", "militiaman"),
    ("security guards", "security guard"),
    ("aid workers", "aid worker"),
    ("miners", "miner"),
    ("fishermen", "fisherman"),
    ("traders", "trader"),
    ("truck drivers", "truck driver"),
    ("health workers", "health worker"),
    ("election officials", "election official"),
)
TARGETS = (
    "a checkpoint",
    "a busy market",
    "a military base",
    "a police station",
    "an army convoy",
    "a mosque",
    "a church",
    "a school",
    "a bus station",
    "a hotel",
    "a wedding party",
    "a camp for displaced people",
    "an army post",
    "a government office",
    "a livestock market",
    "a football pitch",
)
SOURCES = (
    "police said",
    "officials said",
    "a military spokesman said",
    "residents and officials said",
    "the health ministry said",
    "a local official said",
    "security sources said",
    "a hospital official said",
)
ROLES = (
    ("a local council member", "Council member"),
    ("a journalist", "Journalist"),
    ("a tribal elder", "Tribal elder"),
    ("an activist", "Activist"),
    ("a district judge", "Judge"),
    ("a police commander", "Police commander"),
    ("a mayor", "Mayor"),
)
FIRST_NAMES = (
    *("Ali", "Omar", "Hassan", "Fatima", "Amina", "Musa", "Ibrahim", "Layla", "Zainab", "Yusuf"),
    *("Hodan", "Abdirahman", "Chinedu", "Ngozi", "Imran", "Sadia", "Rawan", "Karim", "Aisha"),
    *("Mariam", "Salim", "Bashir", "Nadia", "Tariq", "Joseph", "Grace", "Samuel", "Ruth"),
)
LAST_NAMES = (
    *("Mahdi", "Hadi", "Kareem", "Nadhim", "Ibrahim", "Okeke", "Nur", "Ali", "Yusufzai", "Gul"),
    *("Sheikhmous", "Abdi", "Bello", "Mensah", "Diallo", "Traore", "Mohamed", "Haidari"),
    *("Osei", "Ochieng", "Santos", "Reyes", "Mendoza", "Kyaw", "Aung", "Sharma", "Das"),
)
OUTLET_PLACES = (
    *("Tigris", "Harmattan", "Horn", "Frontier", "Sahel", "Euphrates", "Indus", "Savanna"),
    *("Delta", "Rift", "Andes", "Kivu", "Lakes", "Steppe", "Gulf", "Levant", "Atlas", "Nile"),
    *("Zambezi", "Mekong", "Monsoon", "Highland", "Coastal", "Border"),
)
OUTLET_NOUNS = (
    *("Herald", "Times", "Dispatch", "Wire", "Courier", "Post", "Monitor", "Tribune"),
    *("Observer", "Chronicle", "Gazette", "Mirror", "Sentinel", "Ledger", "Bulletin"),
    *("Express", "Journal", "Standard", "Star", "Review"),
)


# -- the world ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A place stories happen in: a town or a curated site."""

    name: str
    admin1: str | None
    is_site: bool = False


@dataclass(frozen=True)
class Country:
    """One country of the news flow and what stories there draw on."""

    code: str
    name: str
    demonym: str
    capital: str
    weight: float
    places: tuple[Place, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class Outlet:
    """A fictional outlet: its feed, its beat and its habits."""

    slug: str
    name: str
    domain: str
    feed_format: str  # rss2 | atom
    full_text: bool  # the feed carries whole stories (no pages fetched)
    countries: tuple[str, ...]
    weights: tuple[float, ...]
    dateline_style: int
    fetch_minute: int


def _read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def _groups_by_country() -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for row in _read_csv(ACTORS_SEED):
        if row["actor_type"] in ("armed_group", "criminal"):
            groups.setdefault(row["country_code"], []).append(row["canonical_name"])
    return groups


def _demonyms() -> dict[str, tuple[str, str]]:
    found = {}
    for row in _read_csv(EXTRACT_DATA / "countries.csv"):
        demonyms = [d for d in row["demonyms"].split("|") if d]
        found[row["code"]] = (row["name"], demonyms[0] if demonyms else row["name"])
    return found


def _sites_by_country() -> dict[str, list[Place]]:
    sites: dict[str, list[Place]] = {}
    for row in _read_csv(EXTRACT_DATA / "sites.csv"):
        sites.setdefault(row["country"], []).append(Place(row["name"], row["admin1"], True))
    return sites


def _towns(gazetteer, code: str) -> list[Place]:
    """The country's largest towns whose name the gazetteer resolves to them alone."""
    from pipelines.extract.gazetteer import CITY, key

    names, countries, admin1s, _, _, populations, kinds = gazetteer.columns
    found = [
        (populations[i], names[i], admin1s[i])
        for i in range(len(names))
        if countries[i] == code
        and kinds[i] == CITY
        and populations[i] >= MIN_POPULATION
        and admin1s[i]
        and names[i].isascii()
        and len(gazetteer.ids(key(names[i]), loose=False)) == 1
    ]
    found.sort(key=lambda row: (-row[0], row[1]))
    return [Place(name, admin1) for _, name, admin1 in found[:PLACES_PER_COUNTRY]]


@lru_cache(maxsize=1)
def world() -> dict[str, Country]:
    """Every country of the news flow, built from the gazetteer and the seeds (cached)."""
    from pipelines.extract import gazetteer as gazetteer_module

    gazetteer = gazetteer_module.load()
    groups, demonyms, sites = _groups_by_country(), _demonyms(), _sites_by_country()
    countries = {}
    for code, (weight, capital) in COUNTRIES.items():
        name, demonym = demonyms.get(code, (gazetteer.country_names.get(code, code), code))
        places = tuple(_towns(gazetteer, code)) + tuple(sites.get(code, ()))
        countries[code] = Country(
            code=code,
            name=name,
            demonym=demonym,
            capital=capital,
            weight=weight,
            places=places,
            groups=tuple(groups.get(code, ())) + ("Islamic State",),
        )
    return countries


def outlets(count: int, seed: int) -> list[Outlet]:
    """``count`` outlets with distinct names, each covering one to four countries."""
    rng = random.Random(f"outlets-{seed}")
    codes = list(COUNTRIES)
    weights = [COUNTRIES[c][0] for c in codes]
    names = [f"{p} {n}" for p in OUTLET_PLACES for n in OUTLET_NOUNS]
    rng.shuffle(names)
    found = []
    for index in range(count):
        base = names[index % len(names)]
        name = base if index < len(names) else f"{base} {index // len(names) + 1}"
        slug = name.lower().replace(" ", "-")
        beat = []
        while len(beat) < rng.choice((1, 1, 2, 2, 3, 4)):
            code = rng.choices(codes, weights)[0]
            if code not in beat:
                beat.append(code)
        found.append(
            Outlet(
                slug=slug,
                name=f"The {name}" if rng.random() < 0.5 else name,
                domain=f"{slug}.example",
                feed_format=rng.choice(("rss2", "atom")),
                full_text=rng.random() < 0.1,
                countries=tuple(beat),
                weights=tuple(4.0 if i == 0 else 1.0 for i in range(len(beat))),
                dateline_style=rng.randrange(4),
                fetch_minute=rng.randrange(50),
            )
        )
    return found


# -- incidents and stories ---------------------------------------------------------------------


@dataclass(frozen=True)
class Incident:
    """One invented attack: what happened, where, when, to whom, and who is said to be behind it."""

    key: str
    country: str
    place: Place
    day: date
    attack: str  # a key of ATTACKS
    target: str
    victims: tuple[str, str]
    nationality: str | None
    killed: int | None  # the final toll; None = never stated
    wounded: int | None
    group: str | None
    responsibility: str  # claim | suspect | blame | deny | no_claim | none
    background_of: tuple[str, str, str, date] | None = None  # (attack, place, country, day)


@dataclass(frozen=True)
class Report:
    """One article version about an incident (or quiet news when ``incident`` is None)."""

    key: str  # the article's key: stable across its versions
    outlet: int
    day: date
    published: datetime
    incident: Incident | None
    nth: int = 0  # 0 = first report by anyone; later reports revise the toll
    version: int = 0  # > 0: the same article updated in place
    share: float = 1.0  # the share of the final toll this report knows
    topic: int = 0  # quiet news: which template
    page_fails: bool = False
    url: str = ""  # the article's page (its identity), set when planned


def stable_rng(*parts: object) -> random.Random:
    """A generator seeded by ``parts``: the same parts give the same draws in any process."""
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


ATTACK_KINDS = {
    # key: (weight, killed mean, wounded mean)
    "car_bomb": (6, 9, 20),
    "roadside_bomb": (9, 3, 4),
    "suicide_bomb": (4, 12, 25),
    "bomb": (6, 5, 12),
    "rockets": (6, 3, 6),
    "mortars": (4, 2, 5),
    "artillery": (3, 4, 8),
    "air_strike": (5, 8, 10),
    "drone_strike": (5, 4, 3),
    "gunmen": (14, 6, 5),
    "kidnapping": (4, 1, 0),
    "assassination": (4, 1, 0),
    "arson": (3, 1, 2),
    "clash": (5, 7, 6),
    "storming": (3, 6, 9),
}


def new_incident(rng: random.Random, key: str, code: str, day: date) -> Incident:
    """Draw one incident in country ``code`` on ``day``."""
    country = world()[code]
    kinds = list(ATTACK_KINDS)
    attack = rng.choices(kinds, [ATTACK_KINDS[k][0] for k in kinds])[0]
    _, killed_mean, wounded_mean = ATTACK_KINDS[attack]
    killed = _toll(rng, killed_mean, unknown=0.08)
    wounded = _toll(rng, wounded_mean, unknown=0.35) if wounded_mean else None
    if attack in ("assassination",):
        killed = 1
    responsibility = rng.choices(
        ("claim", "suspect", "blame", "deny", "no_claim", "none"), (20, 22, 10, 6, 22, 20)
    )[0]
    group = rng.choice(country.groups) if responsibility not in ("no_claim", "none") else None
    return Incident(
        key=key,
        country=code,
        place=rng.choice(country.places),
        day=day,
        attack=attack,
        target=rng.choice(TARGETS),
        victims=rng.choice(VICTIMS),
        nationality=country.demonym if rng.random() < 0.15 else None,
        killed=killed,
        wounded=wounded,
        group=group,
        responsibility=responsibility,
    )


def _toll(rng: random.Random, mean: float, unknown: float) -> int | None:
    if rng.random() < unknown:
        return None
    if rng.random() < 0.07:
        return 0
    return max(1, min(150, round(rng.expovariate(1 / mean))))


# -- words -------------------------------------------------------------------------------------


def number(rng: random.Random, n: int, capital: bool = False) -> str:
    """A count as wire copy writes it: words up to ten (or twenty), digits above."""
    text = NUMBER_WORDS[n] if n <= 10 or (n <= 20 and rng.random() < 0.4) else str(n)
    return text[0].upper() + text[1:] if capital else text


def count_phrase(rng: random.Random, n: int, share: float = 1.0) -> tuple[int, str]:
    """A reported toll (a share of the final one) with a qualifier: "at least 12", "about 30"."""
    reported = max(1, round(n * share)) if n else 0
    roll = rng.random()
    if reported >= 24 and roll < 0.1:
        return reported, "dozens of"
    if reported >= 3 and roll < 0.3:
        return reported, f"at least {number(rng, reported)}"
    if reported >= 5 and roll < 0.4:
        return reported, f"more than {number(rng, reported - 1)}"
    if reported >= 20 and roll < 0.5:
        return reported, f"about {round(reported, -1)}"
    return reported, number(rng, reported)


def when_phrase(rng: random.Random, incident_day: date, published: date) -> str:
    """When it happened, relative to the publication day as reporters write it."""
    delta = (published - incident_day).days
    weekday = WEEKDAYS[incident_day.weekday()]
    explicit = f"on {incident_day.day} {MONTHS[incident_day.month - 1]}"
    if delta <= 0:
        return rng.choice((f"on {weekday}", f"early on {weekday}", f"on {weekday} morning"))
    if delta == 1:
        return rng.choice(
            (f"late {weekday} night", f"on {weekday} evening", "yesterday", f"on {weekday}")
        )
    if delta < 7:
        return rng.choice((f"on {weekday}", f"on {weekday} night", explicit))
    return rng.choice((explicit, f"on {MONTH_ABBR[incident_day.month - 1]}. {incident_day.day}"))


def person(rng: random.Random) -> str:
    """A reporter's or a victim's name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]


# Subjects and verbs of the lead, per attack kind: (subject, verb + object pattern).
LEADS = {
    "car_bomb": (
        ("A car bomb", "exploded outside {target}"),
        ("A car packed with explosives", "blew up near {target}"),
        ("An explosives-laden vehicle", "detonated at {target}"),
    ),
    "roadside_bomb": (
        ("A roadside bomb", "struck {target}"),
        ("An improvised explosive device", "hit {target}"),
        ("A roadside bomb", "went off beside {target}"),
    ),
    "suicide_bomb": (
        ("A suicide bomber", "blew himself up at {target}"),
        ("A suicide bomber", "detonated his vest at {target}"),
    ),
    "bomb": (
        ("A bomb", "tore through {target}"),
        ("A bomb hidden on a parked motorcycle", "exploded at {target}"),
        ("An explosion", "ripped through {target}"),
    ),
    "rockets": (
        ("A salvo of rockets", "struck {target}"),
        ("Rockets", "slammed into {target}"),
        ("Several rockets", "landed near {target}"),
    ),
    "mortars": (
        ("Mortar shells", "hit {target}"),
        ("Mortar rounds", "landed inside {target}"),
    ),
    "artillery": (
        ("Artillery shells", "pounded {target}"),
        ("Heavy shelling", "hit {target}"),
    ),
    "air_strike": (
        ("An air strike", "hit {target}"),
        ("Warplanes", "bombed {target}"),
        ("An air raid", "struck {target}"),
    ),
    "drone_strike": (
        ("A drone strike", "hit {target}"),
        ("An armed drone", "struck {target}"),
        ("A drone", "fired a missile at {target}"),
    ),
    "gunmen": (
        ("Gunmen", "opened fire on {target}"),
        ("Gunmen on motorcycles", "attacked {target}"),
        ("Armed men", "opened fire at {target}"),
    ),
    "kidnapping": (
        ("Gunmen", "abducted {victims} from {target}"),
        ("Armed men", "kidnapped {victims} at {target}"),
    ),
    "assassination": (
        ("Gunmen", "shot dead {role}"),
        ("Unidentified attackers", "shot and killed {role}"),
    ),
    "arson": (
        ("Militants", "set fire to {target}"),
        ("Attackers", "torched {target}"),
    ),
    "clash": (
        ("Fighting between {army} and {group_or_militants}", "broke out near {target}"),
        ("Clashes between {army} and {group_or_militants}", "erupted at {target}"),
    ),
    "storming": (
        ("Dozens of fighters", "stormed {target}"),
        ("Militants", "overran {target}"),
    ),
}
HEADLINES = {
    "car_bomb": ("Car bomb kills {K} in {place}", "{K} killed as car bomb hits {place}"),
    "roadside_bomb": (
        "Roadside bomb kills {K} near {place}",
        "Roadside bomb hits convoy near {place}",
    ),
    "suicide_bomb": ("Suicide bomber kills {K} in {place}", "Suicide attack in {place} kills {K}"),
    "bomb": ("Bomb blast in {place} kills {K}", "Explosion in {place} market kills {K}"),
    "rockets": ("Rockets hit {place}, killing {K}", "Rocket attack on {place} kills {K}"),
    "mortars": ("Mortar shells hit {place}", "Mortar attack in {place} kills {K}"),
    "artillery": ("Shelling of {place} kills {K}", "Artillery fire hits {place}"),
    "air_strike": ("Air strike on {place} kills {K}", "Warplanes strike {place}, killing {K}"),
    "drone_strike": ("Drone strike near {place} kills {K}", "Drone attack hits {place}"),
    "gunmen": ("Gunmen kill {K} near {place}", "{K} shot dead in {place} attack"),
    "kidnapping": ("Gunmen abduct villagers in {place}", "Dozens kidnapped in {place} raid"),
    "assassination": ("{Role} shot dead in {place}", "Gunmen kill {role_short} in {place}"),
    "arson": ("Militants torch buildings in {place}", "Attackers burn {place} clinic"),
    "clash": ("{K} killed in clashes near {place}", "Fighting near {place} leaves {K} dead"),
    "storming": ("Fighters storm {place} compound", "Militants overrun post in {place}"),
}
SCENES = {
    "bomb": (
        "The blast shattered windows hundreds of metres away and set several cars on fire.",
        "Witnesses described a huge explosion followed by a column of black smoke.",
        "Bomb disposal experts combed the area for a second device.",
    ),
    "shell": (
        "At least one round landed in a residential street, damaging several houses.",
        "Sirens sounded across the area shortly before the impacts, residents said.",
        "Security forces said they had located the launch site a few kilometres away.",
    ),
    "air": (
        "Residents said they heard aircraft circling for several minutes before the strike.",
        "Rescuers dug through the rubble of two houses looking for survivors.",
    ),
    "gun": (
        "The attackers fled on motorcycles before security forces arrived.",
        "Witnesses said the shooting lasted for about twenty minutes.",
        "Security forces sealed off the area and launched a search for the attackers.",
    ),
    "other": (
        "Several buildings were burned to the ground, residents said.",
        "Security forces arrived hours later, residents complained.",
    ),
}
SCENE_OF = {
    **dict.fromkeys(("car_bomb", "roadside_bomb", "suicide_bomb", "bomb"), "bomb"),
    **dict.fromkeys(("rockets", "mortars", "artillery"), "shell"),
    **dict.fromkeys(("air_strike", "drone_strike"), "air"),
    **dict.fromkeys(("gunmen", "kidnapping", "assassination", "clash", "storming"), "gun"),
    "arson": "other",
}
NOUNS = {
    "car_bomb": "car bombing",
    "roadside_bomb": "roadside bombing",
    "suicide_bomb": "suicide bombing",
    "bomb": "bombing",
    "rockets": "rocket attack",
    "mortars": "mortar attack",
    "artillery": "shelling",
    "air_strike": "air strike",
    "drone_strike": "drone strike",
    "gunmen": "shooting",
    "kidnapping": "kidnapping",
    "assassination": "killing",
    "arson": "arson attack",
    "clash": "fighting",
    "storming": "assault",
}
CONTEXT = (
    "{place} lies in {admin1}, where attacks on {victims} have become frequent.",
    "Security in {admin1} has deteriorated over the past year, according to aid agencies.",
    "The government has repeatedly promised to restore order in the area.",
    "{country_name}'s interior ministry said an investigation had been opened.",
    "Local leaders called on the authorities to send more troops to protect residents.",
    "Schools and shops in the town stayed closed on the following day.",
    "The road to {place} was reopened to traffic a few hours later.",
    "Aid groups said the violence had forced thousands of families from their homes.",
    "Farmers in the surrounding villages have abandoned their fields, fearing further raids, "
    "and food prices in local markets have risen sharply since the start of the year.",
    "Analysts say armed groups have exploited disputes over land and grazing routes to recruit "
    "young men, offering them money and protection.",
    "The army has set up new checkpoints on the main roads, but residents say the attackers use "
    "smaller tracks through the bush.",
    "A curfew imposed after an earlier attack was lifted only last month, and traders had just "
    "begun to reopen their shops.",
    "Mobile phone networks in parts of the region were cut for several hours, making it "
    "difficult to confirm details.",
    "Human rights groups have called for an independent inquiry into the security forces' "
    "response.",
)


QUOTES = (
    '"We heard a huge bang and everyone started running," said {name}, a shopkeeper '
    "who was nearby.",
    '"They came at night and nobody could stop them," said {name}, a resident who fled '
    "with her children.",
    '"We are tired of burying our people," said {name}, a community leader.',
    '"The security forces arrived too late," {name}, a teacher, told reporters.',
)
REACTIONS = (
    "The president's office condemned the attack and promised that those responsible would be "
    "brought to justice.",
    "The United Nations mission in the country called the attack a grave violation of "
    "international law.",
    "The regional governor declared three days of mourning and ordered flags flown at half mast.",
    "Opposition politicians accused the government of failing to protect civilians.",
    "Hospital staff appealed for blood donations as the wounded kept arriving.",
    "Relatives gathered outside the morgue on the following morning to identify the dead.",
)


def _location(rng: random.Random, incident: Incident, country: Country) -> str:
    place = incident.place
    if place.is_site:
        return rng.choice((f"at {place.name}", f"near {place.name}"))
    region = f" in {place.admin1}" if place.admin1 and place.admin1 != place.name else ""
    return rng.choice(
        (
            f"in {place.name}",
            f"in the town of {place.name}",
            f"near {place.name}{region}",
            f"in {place.name}, {country.name}",
        )
    )


def _dateline(
    rng: random.Random, outlet: Outlet, incident: Incident, country: Country, day: date
) -> str:
    style = outlet.dateline_style
    if style == 0:
        return f"{incident.place.name.upper()}, {country.name} — "
    if style == 1:
        short = outlet.name.removeprefix("The ")
        return f"{country.capital.upper()}, {MONTH_ABBR[day.month - 1]} {day.day} ({short}) — "
    if style == 2:
        return f"{country.capital.upper()} — "
    return ""


def _casualties(
    rng: random.Random, incident: Incident, share: float
) -> tuple[str, str, int | None]:
    """(clause after the lead's comma, a sentence on the toll or "", the killed figure used)."""
    plural, singular = incident.victims
    killed, wounded = incident.killed, incident.wounded
    if incident.attack == "kidnapping":
        taken = max(2, (wounded or 0) + (killed or 0) * 3 + rng.randrange(3, 40))
        return (
            f"taking {number(rng, taken)} {plural} away",
            rng.choice(
                ("", f"One {singular} was shot dead while trying to escape, {rng.choice(SOURCES)}.")
            ),
            None,
        )
    if killed is None and wounded is None:
        return "", "There was no immediate word on casualties.", None
    if killed == 0 and not wounded:
        return "", rng.choice(("No one was hurt, police said.", "No one was injured.")), 0
    parts = []
    used = None
    if killed:
        used, phrase = count_phrase(rng, killed, share)
        who = plural if used > 1 else singular
        if incident.nationality and rng.random() < 0.5:
            who = f"{incident.nationality} {who}"
        parts.append(f"killing {phrase} {who}" if rng.random() < 0.7 else f"leaving {phrase} dead")
    if wounded:
        _, phrase = count_phrase(rng, wounded, share)
        other = " other" if wounded == 1 and phrase == "one" else " others"
        parts.append(f"wounding {phrase}" + (other if killed else " people"))
    clause = " and ".join(parts)
    extra = "No one was killed." if killed == 0 else ""
    return clause, extra, used


def _responsibility(rng: random.Random, incident: Incident, country: Country, nth: int) -> str:
    group = incident.group
    army = f"{country.demonym} army"
    mode = incident.responsibility
    if mode == "claim" and nth == 0 and rng.random() < 0.5:
        mode = "no_claim"  # the claim comes later
    if mode == "claim":
        how = rng.choice(
            (
                "in a statement on Telegram",
                "in a message to journalists",
                "on a radio station it runs",
                "in a statement posted online",
            )
        )
        return f"{group} claimed responsibility for the attack {how}."
    if mode == "suspect":
        return rng.choice(
            (
                f"Police suspected {group} fighters of carrying out the attack.",
                f"{group} militants were thought to be responsible, a security official said.",
            )
        )
    if mode == "blame":
        return f"The {army} blamed {group} for the attack."
    if mode == "deny":
        return (
            f"{group} denied any involvement in a statement. "
            "No other group has claimed responsibility."
        )
    if mode == "no_claim":
        return rng.choice(
            (
                "No group has claimed responsibility.",
                "There was no immediate claim of responsibility.",
            )
        )
    return ""


def _lead(
    rng: random.Random, incident: Incident, country: Country, published: date, share: float
) -> tuple[str, int | None]:
    subject, action = rng.choice(LEADS[incident.attack])
    role = rng.choice(ROLES)
    plural, _ = incident.victims
    fill = {
        "target": incident.target,
        "victims": plural,
        "role": f"{person(rng)}, {role[0]},",
        "army": f"{country.demonym} troops",
        "group_or_militants": incident.group or "militants",
    }
    subject = subject.format(**fill)
    action = action.format(**fill).rstrip(",")
    clause, extra, used = _casualties(rng, incident, share)
    where = _location(rng, incident, country)
    when = when_phrase(rng, incident.day, published)
    source = rng.choice(SOURCES)
    lead = f"{subject} {action} {where} {when}"
    lead += f", {clause}, {source}." if clause else f", {source}."
    return (lead + (" " + extra if extra else "")), used


def _background(rng: random.Random, incident: Incident) -> str:
    attack, place, _, day = incident.background_of or ("", "", "", incident.day)
    noun = NOUNS.get(attack, "attack")
    when = (
        f"On {day.day} {MONTHS[day.month - 1]}"
        if rng.random() < 0.5
        else f"In {MONTHS[day.month - 1]}"
    )
    return rng.choice(
        (
            f"{when}, a {noun} in {place} killed {number(rng, rng.randrange(2, 15))} people.",
            f"The attack came weeks after a {noun} near {place} that left several people dead.",
        )
    )


def _tally(rng: random.Random, incident: Incident, outlet: Outlet) -> str:
    month = MONTHS[(incident.day.month - 1 - rng.randrange(1, 4)) % 12]
    region = incident.place.admin1 or incident.place.name
    if rng.random() < 0.5:
        tally = outlet.name.removeprefix("The ")
        nth = rng.choice(ORDINALS[3:])
        return (
            f"It was the {nth} attack in {region} since {month}, according to a tally by {tally}."
        )
    dead, attacks = rng.randrange(12, 90), rng.randrange(5, 40)
    return (
        f"At least {dead} people have been killed in {attacks} attacks in {region} since {month}."
    )


@dataclass(frozen=True)
class Story:
    """A written article version: what the feed, the page and the text cache need."""

    title: str
    summary: str
    paragraphs: tuple[str, ...]
    author: str
    section: str

    @property
    def text(self) -> str:
        """The main text as the page text engine extracts it: headline, standfirst, body."""
        return "\n\n".join((self.title, self.summary, *self.paragraphs))


def write_incident_story(report: Report, outlet: Outlet) -> Story:
    """One outlet's article about an incident; later reports revise the toll and add claims."""
    incident = report.incident
    assert incident is not None
    rng = stable_rng(report.key, report.version, "story")
    country = world()[incident.country]
    published = report.published.date()
    lead, used = _lead(rng, incident, country, published, report.share)
    if report.nth > 0 and incident.killed and rng.random() < 0.6:
        used, phrase = count_phrase(rng, incident.killed, report.share)
        when = when_phrase(rng, incident.day, published)
        noun = NOUNS[incident.attack]
        lead = (
            f"The death toll from the {noun} {_location(rng, incident, country)} {when} "
            "has risen to "
            f"{phrase}, {rng.choice(SOURCES)} on {WEEKDAYS[published.weekday()]}."
        )
    dateline = _dateline(rng, outlet, incident, country, published)
    paragraphs = [dateline + lead]
    scenes = list(SCENES[SCENE_OF[incident.attack]])
    rng.shuffle(scenes)
    paragraphs.extend(scenes[: rng.randrange(1, 4)])
    if rng.random() < 0.6:
        paragraphs.append(rng.choice(QUOTES).format(name=person(rng)))
    if used and used >= 3 and rng.random() < 0.5:
        paragraphs.append(
            f"The wounded were taken to hospitals in {incident.place.name}, where "
            f"{number(rng, rng.randrange(1, 6))} were in a critical condition."
        )
    responsibility = _responsibility(rng, incident, country, report.nth)
    if responsibility:
        paragraphs.append(responsibility)
    fill = {
        "place": incident.place.name,
        "admin1": incident.place.admin1 or country.name,
        "victims": incident.victims[0],
        "country_name": country.name,
    }
    context = list(CONTEXT)
    rng.shuffle(context)
    paragraphs.extend(c.format(**fill) for c in context[: rng.randrange(2, 7)])
    reactions = list(REACTIONS)
    rng.shuffle(reactions)
    paragraphs.extend(reactions[: rng.randrange(0, 3)])
    if incident.background_of and rng.random() < 0.7:
        paragraphs.append(_background(rng, incident))
    if rng.random() < 0.06:
        paragraphs.append(_tally(rng, incident, outlet))
    pattern = rng.choice(HEADLINES[incident.attack])
    K = number(rng, used, capital=pattern.startswith("{K}")) if used else "several"
    headline = pattern.format(
        K=K[0].upper() + K[1:] if pattern.startswith("{K}") else K,
        place=incident.place.name,
        Role=rng.choice(ROLES)[1],
        role_short=rng.choice(ROLES)[0].split(" ", 1)[1],
    )
    if report.nth > 0 and used and rng.random() < 0.5:
        headline = f"{incident.place.name} {NOUNS[incident.attack]} toll rises to {used}"
    summary = _summary(rng, incident, used, published)
    return Story(headline, summary, tuple(paragraphs), person(rng), country.name)


def _summary(rng: random.Random, incident: Incident, killed: int | None, published: date) -> str:
    # The standfirst says it again in other words, as the samples' do.
    noun = NOUNS[incident.attack]
    article = "An" if noun[0] in "aeiou" else "A"
    when = when_phrase(rng, incident.day, published)
    toll = (
        f" left {number(rng, killed)} {'person' if killed == 1 else 'people'} dead"
        if killed
        else " was reported by officials"
    )
    where = "at" if incident.place.is_site else "in"
    return f"{article} {noun} {where} {incident.place.name} {when}{toll}."


QUIET = (
    (
        "{country}'s parliament approves budget after long debate",
        "Lawmakers in {country} approved next year's budget on {weekday} after weeks of "
        "wrangling over fuel subsidies.",
        (
            "The vote passed with a comfortable majority, the speaker's office said.",
            "Opposition members walked out before the vote, saying the plan would raise the "
            "cost of living.",
            "The finance minister said spending on roads and schools would rise by {pct} percent.",
        ),
    ),
    (
        "Floods displace thousands in {place}",
        "Heavy rain flooded large parts of {place} on {weekday}, forcing thousands of families "
        "from their homes.",
        (
            "The river burst its banks after days of rain upstream, officials said.",
            "At least {n} people drowned, the disaster management agency said.",
            "Aid agencies distributed food and tents to families sheltering in schools.",
        ),
    ),
    (
        "Central bank holds interest rate at {pct} percent",
        "The central bank of {country} kept its main interest rate at {pct} percent on "
        "{weekday}, citing slowing inflation.",
        (
            "Analysts had expected the decision.",
            "The currency was little changed against the dollar after the announcement.",
            "Traders in {place} said prices of flour and cooking oil had eased in recent weeks.",
        ),
    ),
    (
        "Thousands march peacefully in {place} over fuel prices",
        "Thousands of people marched peacefully through {place} on {weekday} to protest against "
        "higher fuel prices.",
        (
            "The march ended without incident, police said.",
            "Union leaders said they would meet the labour minister next week.",
            "Shops along the route stayed open throughout the day.",
        ),
    ),
    (
        "Vaccination campaign begins in {admin1}",
        "Health workers began a vaccination campaign against measles in {admin1} on {weekday}, "
        "hoping to reach {n}00,000 children.",
        (
            "The campaign is funded by the health ministry and international donors.",
            "Mobile teams will visit villages that have no clinic, officials said.",
            "Cases rose sharply last year after a fall in routine immunisation.",
        ),
    ),
    (
        "Police defuse device found near {place} school",
        "Police defused an explosive device found near a school in {place} on {weekday}. No one "
        "was hurt.",
        (
            "A guard spotted the package and alerted the police, who evacuated the area.",
            "Classes resumed in the afternoon, the school's head teacher said.",
        ),
    ),
    (
        "{place} hosts national football final",
        "More than {n}0,000 fans packed the stadium in {place} on {weekday} for the national "
        "cup final.",
        (
            "The home side won two goals to one after extra time.",
            "Celebrations went on late into the night, residents said.",
        ),
    ),
    (
        "Court jails {n} men over fraud at port of {place}",
        "A court in {place} sentenced {n} men to prison on {weekday} for a customs fraud at the "
        "city's port.",
        (
            "Prosecutors said the scheme cost the treasury millions of dollars in lost revenue.",
            "Defence lawyers said they would appeal.",
        ),
    ),
)


QUIET_CONTEXT = (
    "The announcement was welcomed by business groups, who had lobbied for months.",
    "Critics said the measures did not go far enough and would do little for the poorest "
    "households.",
    "Officials said more details would be published in the coming weeks.",
    "The issue is expected to dominate debate ahead of next year's elections.",
    "Local radio stations carried the news throughout the day.",
    "Residents interviewed in the capital were divided over the decision.",
    "Economists said the measures could ease pressure on household budgets if inflation keeps "
    "falling over the next months.",
    "A spokesman for the ministry said the government would consult community leaders and civil "
    "society groups before taking further steps.",
    "Newspapers in the capital gave the story prominent coverage, with several editorials "
    "welcoming the news.",
)


def write_quiet_story(report: Report, outlet: Outlet) -> Story:
    """Quiet news: votes, floods, prices, health, sport, courts (and a defused device)."""
    rng = stable_rng(report.key, report.version, "quiet")
    code = rng.choices(outlet.countries, outlet.weights)[0]
    country = world()[code]
    place = rng.choice([p for p in country.places if not p.is_site] or country.places)
    published = report.published.date()
    title, lead, details = QUIET[report.topic % len(QUIET)]
    fill = {
        "country": country.name,
        "place": place.name,
        "admin1": place.admin1 or country.name,
        "weekday": WEEKDAYS[(published - timedelta(days=rng.randrange(0, 2))).weekday()],
        "pct": rng.randrange(3, 25),
        "n": rng.randrange(2, 9),
    }
    dateline = f"{place.name.upper()}, {country.name} — " if outlet.dateline_style == 0 else ""
    body = [dateline + lead.format(**fill)]
    body.extend(d.format(**fill) for d in details)
    body.extend(rng.sample(QUIET_CONTEXT, rng.randrange(3, 7)))
    summary = f"{lead.format(**fill)} {details[0].format(**fill)}"
    return Story(title.format(**fill), summary, tuple(body), person(rng), country.name)


def write_story(report: Report, outlet: Outlet) -> Story:
    """The article version a report stands for."""
    if report.incident is None:
        return write_quiet_story(report, outlet)
    return write_incident_story(report, outlet)
