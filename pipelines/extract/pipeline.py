"""One article through every stage: scan, resolve places and actors, find incidents, emit records."""

from __future__ import annotations

import re
from datetime import date, timedelta

from pipelines.extract import actors as actors_mod
from pipelines.extract import assemble, dates, events, gazetteer, lexicon, persons, places
from pipelines.extract.attribution import Statement
from pipelines.extract.events import Incident, Mention
from pipelines.extract.places import PlaceMention
from pipelines.extract.text import Doc, make_doc

# Wire datelines: "GUATEMALA CITY, 4 FEB 90 (ACAN-EFE) --", "AL-QAIM, Iraq, Nov 4 (Tigris
# Herald) —", "BAGHDAD (Frontier Wire) —", "HAVANA (CUBA), 4 FEB 90", "ROANOKE, Va. -".
_DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Za-z.'\u2019-]*(?:[ ][A-Z][A-Za-z.'\u2019-]*){0,3})(?:\s*\((?P<country>[A-Z][A-Za-z .]{1,30})\))?"
    r"(?:,\s*(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)(?P<region>[A-Z][A-Za-z.]{1,20}(?:\s[A-Z][a-z]+)?))?"
    r"(?:,?\s*(?P<date>(?:\d{1,2}\s+[A-Za-z]{3,9}\.?|[A-Z][a-z]{2,8}\.?\s+\d{1,2})(?:,?\s+\d{2,4})?))?"
    r"\s*(?:\((?P<agency>[^)\n]{1,40})\))?\s*(?P<dash>--|\u2014|\u2013|-)?",
    re.MULTILINE,
)


def run(article_id: str, text: str, published: date) -> list[dict]:
    doc = make_doc(text, published)
    if not doc.sentences:
        return []
    lex = lexicon.get()
    hits = lex.scan(doc.text, doc.low, doc.is_caps)
    if not any(h.entry.category == "trigger" for h in hits):
        return []  # no attack word anywhere: nothing to extract
    spans = _focus(doc, hits)
    flat = doc.low.replace("\n", " ")  # wire copy wraps lines inside "this\nmorning"
    date_list = [d for a, b in spans for d in dates.find_dates(flat, published, a, b)]
    date_list = _statement_appositions(doc, date_list)
    date_list = [d for d in date_list if not _birth_date(doc, d)]
    headline = _headline(doc)
    dm = _dateline_match(doc, doc.sentences[1].start if headline is not None else 0)
    if dm is not None:
        # The dateline dates the report, not the events.
        date_list = [
            dates.DateMention(
                d.start, d.end, d.date_start, d.date_end, d.precision, d.kind, d.offset_days, True
            )
            if dm.start() <= d.start < dm.end()
            else d
            for d in date_list
        ]
    place_list = [p for a, b in spans for p in places.find_places(doc, hits, a, b)]
    people = persons.person_names(doc)
    if people:
        # "said Mary": the article's people are not places, wherever their names appear.
        place_list = [
            p
            for p in place_list
            if p.demonym
            or not persons.is_person(p.name, people)
            or any(c.kind == gazetteer.COUNTRY for c in p.candidates)
        ]
    dateline = _dateline(dm)
    in_dateline = (dm.start(), dm.end()) if dm is not None else (0, 0)
    body = [p for p in place_list if not in_dateline[0] <= p.start < in_dateline[1]]
    body_hits = [h for h in hits if not in_dateline[0] <= h.start < in_dateline[1]]
    countries = places.article_countries(doc, body_hits, body)
    explicit = places.explicit_countries(doc, body_hits, body)
    if not explicit and countries.get("US", 0) >= 2 and countries["US"] >= max(countries.values()):
        explicit = {"US": countries["US"]}  # American local news: see places.article_countries
    body_main = max(countries, key=countries.get) if countries else None
    if dateline is not None and dateline.country:
        countries[dateline.country] = countries.get(dateline.country, 0.0) + 1.0
    places.resolve(doc, place_list, countries, explicit)
    if dateline is not None and dateline.country_hint:
        # "MADRID (SPAIN), 19 NOV 89": where the report was filed, not a place coded in the
        # manner of "Leego village (Burhakaba, Bay)".
        for p in place_list:
            if in_dateline[0] <= p.start < in_dateline[1]:
                p.coded = False
    main_country = body_main or (max(countries, key=countries.get) if countries else None)
    actor_list = actors_mod.find_actors(doc, hits, main_country)
    doc.actors = actor_list
    demonym_at = {h.start: h.entry.value for h in hits if h.entry.category == "demonym"}
    mentions = events.analyse(doc, hits, date_list, place_list, actor_list, demonym_at, spans)
    incidents = events.cluster(doc, mentions, date_list)
    if headline is not None:
        incidents = _fold_headline(incidents, headline)
    if not any(i.kind == "incident" for i in incidents):
        incidents = [i for i in incidents if i.kind == "aggregate"]
        if not incidents:
            return []
    _mark_background(doc, incidents)
    _fill_dates(doc, incidents, date_list)
    scoped = _scoped_statements(incidents, mentions)
    fallback = _fallback_place(doc, place_list, dateline, main_country)
    records = []
    for n, inc in enumerate(incidents, 1):
        ctx = {"main": main_country, "explicit": set(explicit)}
        records.append(
            _record(doc, article_id, f"e{n}", inc, scoped.get(id(inc), []), fallback, ctx)
        )
    return records


_FOCUS_CATEGORIES = {
    "trigger",
    "kill",
    "wound",
    "zero",
    "casualty",
    "claim",
    "no_claim",
    "blame",
    "suspect",
    "deny",
    "aggregate",
}


_BORN = re.compile(r"\b(?:born(?: on)?|dob|d\.o\.b\.|date of birth|birth ?date)[:\s]*$")
_NAME_BEFORE = re.compile(r"[A-Z][a-z'\u2019-]+[ \t]+$")


def _birth_date(doc: Doc, d: dates.DateMention) -> bool:
    """'Alexy R. Garcia 07/04/1988 DECEASED', 'born on 4 July 1988': a person's birth date,
    in the lists of victims that police releases carry, is no event's date."""
    if d.kind != "absolute" or d.precision != "day" or d.date_start is None:
        return False
    if d.date_start.year > doc.published.year - 12:
        return False
    before = doc.text[max(0, d.start - 30) : d.start]
    numeric = doc.text[d.start].isdigit()
    return bool(_BORN.search(before.lower()) or numeric and _NAME_BEFORE.search(before))


def _focus(doc: Doc, hits: list) -> list[tuple[int, int]]:
    """The stretches worth reading closely: sentences with attack, casualty or
    responsibility words, their neighbours, and the lead (dateline, first sentences).
    Long articles spend most of their words elsewhere."""
    sents = doc.sentences
    keep = {i for i in range(min(3, len(sents)))}
    keep |= {i for i, s in enumerate(sents) if s.paragraph == sents[0].paragraph}
    for h in hits:
        if h.entry.category in _FOCUS_CATEGORIES:
            s = doc.sentence_at(h.start)
            if s is not None:
                keep |= {s.index - 1, s.index, s.index + 1}
    spans: list[tuple[int, int]] = []
    for i in sorted(k for k in keep if 0 <= k < len(sents)):
        a, b = sents[i].start, sents[i].end
        if spans and a - spans[-1][1] <= 3:
            spans[-1] = (spans[-1][0], b)
        else:
            spans.append((a, b))
    return spans


def _statement_appositions(doc: Doc, ds: list[dates.DateMention]) -> list[dates.DateMention]:
    """'said Tuesday, March 17': the date after a statement date is the same statement's."""
    out = list(ds)
    for i in range(1, len(out)):
        a, b = out[i - 1], out[i]
        if (
            a.is_statement
            and not b.is_statement
            and re.fullmatch(r"\s*,?\s*", doc.low[a.end : b.start])
        ):
            out[i] = dates.DateMention(
                b.start, b.end, b.date_start, b.date_end, b.precision, b.kind, b.offset_days, True
            )
    return out


def _headline(doc: Doc) -> int | None:
    """Where a headline set above the story ends: a first paragraph of one short line with no
    closing full stop, with the story in the paragraphs below ("Pakistani Taliban claim
    ambush that killed three in North Waziristan" over "PESHAWAR, Pakistan — Militants ...")."""
    sents = doc.sentences
    if len(sents) < 2 or sents[1].paragraph == sents[0].paragraph:
        return None
    line = doc.text[sents[0].start : sents[0].end].strip()
    if not line or "\n" in line or len(line.split()) > 25 or line[-1] in ".!?":
        return None
    return sents[0].end


def _fold_headline(incidents: list[Incident], end: int) -> list[Incident]:
    """A headline tells the story's main incident in brief: an incident told only in the
    headline is the first incident of the story below, when their dates agree."""
    real = [i for i in incidents if i.kind == "incident"]
    heads = [i for i in real if all(m.end <= end for m in i.mentions)]
    head_ids = {id(i) for i in heads}
    body = [i for i in real if id(i) not in head_ids]
    if not heads or not body:
        return incidents
    lead = body[0]
    folded: set[int] = set()
    for h in heads:
        if h.interval and lead.interval and not events.overlap(h.interval, lead.interval):
            continue
        # After the story's own mentions: the body tells the place and the details better.
        lead.mentions.extend(h.mentions)
        if lead.interval is None and h.interval is not None:
            lead.interval, lead.precision, lead.date_evidence = (
                h.interval,
                h.precision,
                h.date_evidence,
            )
        folded.add(id(h))
    return [i for i in incidents if id(i) not in folded]


def _dateline_match(doc: Doc, pos: int = 0) -> re.Match | None:
    """The wire dateline opening the story (at `pos`: the line below a headline)."""
    m = _DATELINE.match(doc.text, pos)
    if not m:
        return None
    city = m.group("city").strip()
    # A dateline is a capitalised city before a date, an agency or a dash, not a sentence.
    if not (m.group("dash") or m.group("agency") or m.group("date")):
        return None
    if len(city.split()) > 4 or city.lower() in (
        "on",
        "in",
        "at",
        "by",
        "the",
        "a",
        "an",
        "last",
        "early",
        "late",
    ):
        return None
    if not city.isupper() and not (m.group("agency") and m.group("dash")):
        return None
    return m


def _dateline(m: re.Match | None) -> PlaceMention | None:
    if not m:
        return None
    gaz = gazetteer.load()
    city = m.group("city").strip()
    cands = [c for c in gaz.lookup(city) if c.kind in ("city", "admin1", "country", "site")]
    country_hint = None
    for g in ("country", "region"):
        if m.group(g) and country_hint is None:
            cc = [c for c in gaz.lookup(m.group(g).rstrip(".")) if c.kind == "country"]
            country_hint = cc[0].country if cc else None
    if not cands and not country_hint:
        return None
    pm = PlaceMention(
        m.start("city"), m.end("city"), city, candidates=cands, country_hint=country_hint
    )
    if cands:
        pm.resolved = max(
            cands, key=lambda c: (country_hint is None or c.country == country_hint, c.population)
        )
        if city.isupper():
            pm.name = pm.resolved.name  # "MOGADISHU —": the gazetteer's spelling
    return pm


def _mark_background(doc: Doc, incidents: list[Incident]) -> None:
    """The first incident reported is the news; earlier ones told as context are background."""
    real = [i for i in incidents if i.kind == "incident"]
    if not real:
        for i in incidents:
            i.is_background = True
        return
    news = [i for i in real if any(m.is_event and not m.nominal for m in i.mentions)]
    main = news[0] if news else real[0]
    for inc in incidents:
        if inc is main:
            continue
        if not any(m.is_event and not m.nominal for m in inc.mentions):
            inc.is_background = True  # only referred to ("the murder of ...")
            continue
        if inc.kind == "aggregate":
            inc.is_background = True
            continue
        if (
            (
                main.interval
                and inc.interval
                and inc.interval[1] < main.interval[0] - timedelta(days=1)
            )
            or any(m.background_cue for m in inc.mentions if m.is_event)
            and not (main.interval and inc.interval and inc.interval[0] >= main.interval[0])
            or (
                inc.interval
                and inc.interval[1] < doc.published - timedelta(days=20)
                and main.interval
                and main.interval[0] >= doc.published - timedelta(days=7)
            )
        ):
            inc.is_background = True


def _fill_dates(doc: Doc, incidents: list[Incident], date_list: list[dates.DateMention]) -> None:
    """Undated incidents: a date told in the lines around their first mention (news leads
    often date the event in the next sentence: "On September 16, police responded ..."),
    else — for news — the day of publication or the day before."""
    for inc in incidents:
        if inc.kind != "incident" or inc.interval is not None:
            continue
        first = next((m for m in inc.mentions if m.is_event), inc.first)
        para = doc.sentences[first.sentence].paragraph
        near = [
            d
            for d in date_list
            if not d.is_statement
            and d.kind in ("absolute", "deictic")
            and d.date_start
            and (s := doc.sentence_at(d.start)) is not None
            and para - 1 <= s.paragraph <= para + 1
            and abs(s.index - first.sentence) <= 3
        ]
        if near:
            d = min(near, key=lambda d: abs(d.start - first.start))
            inc.interval, inc.precision = d.as_interval(), d.precision
            inc.date_evidence = (d.start, d.end)
        elif not inc.is_background:
            inc.interval = assemble.default_interval(doc)
            inc.precision = "day"


def _scoped_statements(
    incidents: list[Incident], mentions: list[Mention]
) -> dict[int, list[Statement]]:
    """A statement about several attacks ("No attacks have been claimed but Washington has
    blamed Kataib Hezbollah") covers every incident and aggregate told before it."""
    out: dict[int, list[Statement]] = {}
    for inc in incidents:
        for m in inc.mentions:
            for s in m.statements:
                if not s.plural:
                    continue
                for other in incidents:
                    if other is inc or other.first.start > s.start:
                        continue
                    if _same_family(inc, other):
                        out.setdefault(id(other), []).append(s)
    return out


def _same_family(a: Incident, b: Incident) -> bool:
    ta, _ = assemble.attack_type(a)
    tb, _ = assemble.attack_type(b)
    return ta == tb or "other" in (ta, tb)


def _fallback_place(
    doc: Doc,
    place_list: list[PlaceMention],
    dateline: PlaceMention | None,
    main_country: str | None,
) -> PlaceMention | None:
    """Where an incident with no place of its own happened: the dateline's city when the
    story is about that city's country (a foreign bureau's dateline is not), else the
    country the article talks about."""
    if (
        dateline is not None
        and dateline.resolved is not None
        and (main_country is None or dateline.country == main_country)
    ):
        return dateline
    if main_country:
        gaz = gazetteer.load()
        p = gaz.country(main_country)
        if p is not None:
            pm = PlaceMention(0, 0, p.name, candidates=[p], resolved=p)
            pm.demonym = True
            pm.country_hint = main_country
            return pm
    return None


def _record(
    doc: Doc,
    article_id: str,
    key: str,
    inc: Incident,
    extra: list[Statement],
    fallback: PlaceMention | None,
    ctx: dict,
) -> dict:
    evidence: list[dict] = []

    def ev(fieldname: str, span) -> None:
        if span and span[1] > span[0]:
            evidence.append({"field": fieldname, "start": int(span[0]), "end": int(span[1])})

    atype, at_span = assemble.attack_type(inc)
    ev("attack_type", at_span)
    weapons = assemble.weapons_of(inc)
    for span in weapons.values():
        ev("weapons", span)
    # An earlier attack told in passing may be anywhere; one the news came hours after
    # ("came about 10 hours after a car bomb") is, unless told otherwise, in the same city.
    same_city = inc.is_background and inc.first.prior in ("minute", "hour")
    loc, loc_span = assemble.location(
        inc,
        fallback
        if not inc.is_background or fallback is None or fallback.demonym or same_city
        else None,
        ctx.get("main"),
        ctx.get("explicit"),
    )
    if loc_span and loc_span != (0, 0):
        ev("location", loc_span)
    perp, perp_span, alts = assemble.perpetrator(inc, extra)
    ev("perpetrator", perp_span)
    killed, kfacts = assemble.toll(inc, "killed")
    wounded, wfacts = assemble.toll(inc, "wounded")
    for f in kfacts:
        ev("killed", (f.start, f.end))
    for f in wfacts:
        ev("wounded", (f.start, f.end))
    groups = []
    for g, span in assemble.casualty_groups(inc):
        groups.append(g)
        ev("casualty_groups", span)
    attrs = []
    for a, span in assemble.attributions(inc, extra):
        attrs.append(a)
        ev("attributions", span)
    if inc.interval:
        ev("date", inc.date_evidence)
    if inc.kind == "aggregate" and inc.first.aggregate_count:
        ev("kind", inc.first.aggregate_count)
    if alts:
        perp["alt"] = alts
    rec = {
        "article_id": article_id,
        "event_key": key,
        "kind": inc.kind,
        "is_background": bool(inc.is_background),
        "attack_type": atype,
        "weapons": sorted(weapons),
        "date_start": inc.interval[0].isoformat() if inc.interval else None,
        "date_end": inc.interval[1].isoformat() if inc.interval else None,
        "date_precision": inc.precision if inc.interval else "unknown",
        "location": loc,
        "perpetrator": perp,
        "targets": assemble.targets(doc, inc),
        "killed": killed,
        "wounded": wounded,
        "casualty_groups": groups,
        "attributions": attrs,
        "evidence": evidence,
    }
    if inc.kind == "aggregate" and inc.first.aggregate_count:
        a, b = inc.first.aggregate_count
        from pipelines.extract import numbers

        c = numbers.find_counts(doc.low, a, b)
        if c:
            rec["count"] = c[0].low
    return rec
