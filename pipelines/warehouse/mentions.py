"""Flattening extractor records (the extraction contract's shape) into the raw mention tables.

One extraction of one article version by one extractor version becomes:

* ``raw.extractions``      one row per (article version, extractor version): the record count
  and any error. It says "this version was extracted", even when the answer was "no events".
* ``raw.event_mentions``   one row per record,
* ``raw.casualty_figures`` one row per reported figure: the record's killed / wounded totals
  (only when the text states them; a stated zero is a row with 0, an unstated figure no row)
  and each casualty group,
* ``raw.attributions``     one row per claim / blame / denial statement,
* ``raw.evidence``         one row per evidence span, with the quoted words and the sentence
  around them taken from the article text.

Every row carries article_id, article_version, extractor_version, extracted_at and ids that
are a hash of where the row came from, so re-extracting gives the same ids. Re-extracting an
article version with the same extractor version replaces exactly those rows
(``replace_keys`` on :data:`EXTRACTION_KEY`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import polars as pl

from pipelines.warehouse.landing import Landing

UTC = "UTC"
EXTRACTION_KEY = ("article_id", "article_version", "extractor_version")

_PROVENANCE = {
    "article_id": pl.String,
    "article_version": pl.String,
    "extractor_version": pl.String,
    "extracted_at": pl.Datetime("us", UTC),
}

EXTRACTIONS_SCHEMA = pl.Schema(
    {
        **_PROVENANCE,
        "status": pl.String,  # ok | error
        "record_count": pl.Int64,
        "error": pl.String,  # what failed and what to do; null when ok
    }
)

EVENT_MENTIONS_SCHEMA = pl.Schema(
    {
        # sha256 of (article_id, article_version, extractor_version, event_key)
        "mention_id": pl.String,
        **_PROVENANCE,
        "event_key": pl.String,
        "record_index": pl.Int32,  # position in the extractor's output
        "kind": pl.String,  # incident | aggregate
        "is_background": pl.Boolean,
        "attack_type": pl.String,
        "weapons": pl.List(pl.String),
        "date_start": pl.Date,
        "date_end": pl.Date,
        "date_precision": pl.String,
        "location_name": pl.String,
        "location_country_code": pl.String,
        "location_admin1": pl.String,
        "location_lat": pl.Float64,
        "location_lon": pl.Float64,
        "location_precision": pl.String,
        "perpetrator_name": pl.String,
        "perpetrator_status": pl.String,
        "targets": pl.List(pl.String),
        # null = the text does not say; a row of 0 / 0 = the text says nobody.
        "has_killed_figure": pl.Boolean,
        "killed_low": pl.Int64,
        "killed_high": pl.Int64,  # null with a low = open-ended ("at least 12")
        "killed_qualifier": pl.String,
        "has_wounded_figure": pl.Boolean,
        "wounded_low": pl.Int64,
        "wounded_high": pl.Int64,
        "wounded_qualifier": pl.String,
        "aggregate_count": pl.Int64,  # aggregates: how many incidents the statement sums up
        "record_json": pl.String,  # the record as the extractor returned it
    }
)

CASUALTY_FIGURES_SCHEMA = pl.Schema(
    {
        "figure_id": pl.String,
        "mention_id": pl.String,
        **_PROVENANCE,
        "figure_scope": pl.String,  # total | group
        "group_index": pl.Int32,  # position in casualty_groups; null for totals
        "casualty_status": pl.String,  # killed | wounded
        "victim_group": pl.String,  # null for totals
        "is_perpetrator": pl.Boolean,  # the attackers' own dead ("the bomber also died")
        "nationality": pl.String,  # ISO 3166-1 alpha-2 or null
        "low": pl.Int64,
        "high": pl.Int64,
        "qualifier": pl.String,  # totals only: exact | at_least | at_most | about
    }
)

ATTRIBUTIONS_SCHEMA = pl.Schema(
    {
        "attribution_id": pl.String,
        "mention_id": pl.String,
        **_PROVENANCE,
        "statement_index": pl.Int32,
        "attribution_type": pl.String,  # claim | no_claim | blame | suspect | deny
        "actor": pl.String,
        "stated_by": pl.String,  # the contract's "by"
    }
)

EVIDENCE_SCHEMA = pl.Schema(
    {
        "evidence_id": pl.String,
        "mention_id": pl.String,
        **_PROVENANCE,
        "evidence_index": pl.Int32,
        "field": pl.String,
        "start_offset": pl.Int64,  # character offsets into the article text
        "end_offset": pl.Int64,
        "is_span_valid": pl.Boolean,  # false when the offsets fall outside the text
        "quote": pl.String,
        "sentence": pl.String,
        "sentence_start": pl.Int64,
        "sentence_end": pl.Int64,
    }
)

TABLES: dict[str, pl.Schema] = {
    "raw.extractions": EXTRACTIONS_SCHEMA,
    "raw.event_mentions": EVENT_MENTIONS_SCHEMA,
    "raw.casualty_figures": CASUALTY_FIGURES_SCHEMA,
    "raw.attributions": ATTRIBUTIONS_SCHEMA,
    "raw.evidence": EVIDENCE_SCHEMA,
}


@dataclass(frozen=True)
class Extraction:
    """One article version run through one extractor version: its records or its error."""

    article_id: str
    article_version: str
    extractor_version: str
    extracted_at: datetime
    text: str
    records: Sequence[Mapping[str, Any]] = ()
    error: str | None = None


@dataclass
class MentionFrames:
    """The five raw frames of a batch of extractions, plus what looked wrong in the records."""

    extractions: pl.DataFrame
    event_mentions: pl.DataFrame
    casualty_figures: pl.DataFrame
    attributions: pl.DataFrame
    evidence: pl.DataFrame
    warnings: list[str] = field(default_factory=list)

    def landings(self) -> list[Landing]:
        """Replace-by-key landings for every table, keyed on the extractions of this batch."""
        keys = self.extractions.select(EXTRACTION_KEY)
        frames = {
            "raw.extractions": (self.extractions, EXTRACTION_KEY),
            "raw.event_mentions": (self.event_mentions, ("mention_id",)),
            "raw.casualty_figures": (self.casualty_figures, ("figure_id",)),
            "raw.attributions": (self.attributions, ("attribution_id",)),
            "raw.evidence": (self.evidence, ("evidence_id",)),
        }
        # Rows are unique on their own ids but replaced per extraction: re-extracting an
        # article version removes the rows the previous attempt left, even if it now finds less.
        return [
            Landing(
                table=table,
                frame=frame,
                key=row_key,
                mode="replace_keys",
                schema=TABLES[table],
                keys=keys,
                replace_on=EXTRACTION_KEY,
            )
            for table, (frame, row_key) in frames.items()
        ]

    def row_counts(self) -> dict[str, int]:
        """Rows per raw table in this batch."""
        return {
            "extractions": self.extractions.height,
            "event_mentions": self.event_mentions.height,
            "casualty_figures": self.casualty_figures.height,
            "attributions": self.attributions.height,
            "evidence": self.evidence.height,
        }


def stable_id(*parts: object) -> str:
    """A deterministic id: sha256 of the parts joined by a separator no part contains."""
    joined = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


def _parse_date(value: Any, where: str, warnings: list[str]) -> date | None:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        warnings.append(f"{where}: date {value!r} is not YYYY-MM-DD; stored as null")
        return None


def _int(value: Any, where: str, warnings: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        warnings.append(f"{where}: {value!r} is not a number; stored as null")
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        warnings.append(f"{where}: {value!r} is not a number; stored as null")
        return None


def _float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _str_list(value: Any) -> list[str]:
    if not isinstance(value, list | tuple):
        return []
    return [s for s in (_str(v) for v in value) if s is not None]


def _figure(record: Mapping[str, Any], status: str, where: str, warnings: list[str]) -> dict:
    figure = record.get(status)
    if not isinstance(figure, Mapping):
        return {
            f"has_{status}_figure": False,
            f"{status}_low": None,
            f"{status}_high": None,
            f"{status}_qualifier": None,
        }
    return {
        f"has_{status}_figure": True,
        f"{status}_low": _int(figure.get("low"), f"{where} {status}.low", warnings),
        f"{status}_high": _int(figure.get("high"), f"{where} {status}.high", warnings),
        f"{status}_qualifier": _str(figure.get("qualifier")),
    }


def _mention_row(
    extraction: Extraction, index: int, record: Mapping[str, Any], warnings: list[str]
) -> dict[str, Any]:
    event_key = _str(record.get("event_key")) or f"r{index + 1}"
    where = f"article {extraction.article_id} record {event_key}"
    location = record.get("location") if isinstance(record.get("location"), Mapping) else {}
    perpetrator = (
        record.get("perpetrator") if isinstance(record.get("perpetrator"), Mapping) else {}
    )
    return {
        "mention_id": _mention_id(extraction, event_key),
        **_provenance(extraction),
        "event_key": event_key,
        "record_index": index,
        "kind": _str(record.get("kind")),
        "is_background": bool(record.get("is_background", False)),
        "attack_type": _str(record.get("attack_type")),
        "weapons": _str_list(record.get("weapons")),
        "date_start": _parse_date(record.get("date_start"), where, warnings),
        "date_end": _parse_date(record.get("date_end"), where, warnings),
        "date_precision": _str(record.get("date_precision")),
        "location_name": _str(location.get("name")),
        "location_country_code": _str(location.get("country_code")),
        "location_admin1": _str(location.get("admin1")),
        "location_lat": _float(location.get("lat")),
        "location_lon": _float(location.get("lon")),
        "location_precision": _str(location.get("precision")),
        "perpetrator_name": _str(perpetrator.get("name")),
        "perpetrator_status": _str(perpetrator.get("status")),
        "targets": _str_list(record.get("targets")),
        **_figure(record, "killed", where, warnings),
        **_figure(record, "wounded", where, warnings),
        "aggregate_count": _int(record.get("count"), f"{where} count", warnings),
        "record_json": json.dumps(record, sort_keys=True, ensure_ascii=False, default=str),
    }


def _provenance(extraction: Extraction) -> dict[str, Any]:
    return {
        "article_id": extraction.article_id,
        "article_version": extraction.article_version,
        "extractor_version": extraction.extractor_version,
        "extracted_at": extraction.extracted_at,
    }


def _mention_id(extraction: Extraction, event_key: str) -> str:
    return stable_id(
        extraction.article_id, extraction.article_version, extraction.extractor_version, event_key
    )


def _figure_rows(
    extraction: Extraction,
    mention: Mapping[str, Any],
    record: Mapping[str, Any],
    warnings: list[str],
) -> list[dict[str, Any]]:
    rows = []
    mention_id = mention["mention_id"]
    for status in ("killed", "wounded"):
        if mention[f"has_{status}_figure"]:
            rows.append(
                {
                    "figure_id": stable_id(mention_id, "total", status),
                    "mention_id": mention_id,
                    **_provenance(extraction),
                    "figure_scope": "total",
                    "group_index": None,
                    "casualty_status": status,
                    "victim_group": None,
                    "is_perpetrator": False,
                    "nationality": None,
                    "low": mention[f"{status}_low"],
                    "high": mention[f"{status}_high"],
                    "qualifier": mention[f"{status}_qualifier"],
                }
            )
    groups = record.get("casualty_groups") or []
    for index, group in enumerate(groups if isinstance(groups, list) else []):
        if not isinstance(group, Mapping):
            continue
        where = f"article {extraction.article_id} record {mention['event_key']} group {index}"
        rows.append(
            {
                "figure_id": stable_id(mention_id, "group", index),
                "mention_id": mention_id,
                **_provenance(extraction),
                "figure_scope": "group",
                "group_index": index,
                "casualty_status": _str(group.get("status")),
                "victim_group": _str(group.get("group")),
                "is_perpetrator": group.get("is_perpetrator") is True,
                "nationality": _str(group.get("nationality")),
                "low": _int(group.get("low"), f"{where} low", warnings),
                "high": _int(group.get("high"), f"{where} high", warnings),
                "qualifier": None,
            }
        )
    return rows


def _attribution_rows(
    extraction: Extraction, mention: Mapping[str, Any], record: Mapping[str, Any]
) -> list[dict[str, Any]]:
    statements = record.get("attributions") or []
    rows = []
    for index, statement in enumerate(statements if isinstance(statements, list) else []):
        if not isinstance(statement, Mapping):
            continue
        rows.append(
            {
                "attribution_id": stable_id(mention["mention_id"], "attribution", index),
                "mention_id": mention["mention_id"],
                **_provenance(extraction),
                "statement_index": index,
                "attribution_type": _str(statement.get("type")),
                "actor": _str(statement.get("actor")),
                "stated_by": _str(statement.get("by")),
            }
        )
    return rows


def _evidence_rows(
    extraction: Extraction,
    mention: Mapping[str, Any],
    record: Mapping[str, Any],
    warnings: list[str],
) -> list[dict[str, Any]]:
    spans = record.get("evidence") or []
    rows = []
    for index, span in enumerate(spans if isinstance(spans, list) else []):
        if not isinstance(span, Mapping):
            continue
        where = f"article {extraction.article_id} record {mention['event_key']} evidence {index}"
        start = _int(span.get("start"), f"{where} start", warnings)
        end = _int(span.get("end"), f"{where} end", warnings)
        valid = start is not None and end is not None and 0 <= start <= end <= len(extraction.text)
        if not valid:
            warnings.append(f"{where}: span {start}..{end} is outside the text; kept without quote")
        sentence = enclosing_sentence(extraction.text, start, end) if valid else None
        rows.append(
            {
                "evidence_id": stable_id(mention["mention_id"], "evidence", index),
                "mention_id": mention["mention_id"],
                **_provenance(extraction),
                "evidence_index": index,
                "field": _str(span.get("field")),
                "start_offset": start,
                "end_offset": end,
                "is_span_valid": valid,
                "quote": extraction.text[start:end] if valid else None,
                "sentence": sentence[0] if sentence else None,
                "sentence_start": sentence[1] if sentence else None,
                "sentence_end": sentence[2] if sentence else None,
            }
        )
    return rows


# A sentence ends at . ! or ? (optionally followed by closing quotes or brackets) when
# whitespace and then an upper-case letter, a digit or an opening quote follow — so "U.S.
# military" does not end one. Abbreviations before a capitalised word are listed.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    {
        *("u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "no", "vs"),
        *("gen", "lt", "col", "maj", "sgt", "capt", "cpt", "gov", "sen", "rep"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("inc", "corp", "co", "ltd"),
    }
)


def _sentence_breaks(paragraph: str) -> list[int]:
    """Offsets (within ``paragraph``) where a new sentence starts."""
    breaks = []
    for match in _SENTENCE_END.finditer(paragraph):
        word = re.search(r"([A-Za-z.]+)$", paragraph[: match.start()])
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        next_start = match.end()
        while next_start < len(paragraph) and paragraph[next_start].isspace():
            next_start += 1
        breaks.append(next_start)
    return breaks


def enclosing_sentence(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The sentence(s) around ``text[start:end]``: (sentence, its start, its end).

    Lines are split first (a headline has no final period), then sentences within a line.
    A span crossing sentence boundaries returns all the sentences it touches.
    """
    if not (0 <= start <= end <= len(text)):
        return None
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", max(end - 1, start))
    line_end = len(text) if line_end == -1 else line_end
    if end > line_end:  # the span crosses lines: keep the whole range of lines
        line_end = end
    line = text[line_start:line_end]
    starts = [0, *_sentence_breaks(line)]
    rel_start, rel_end = start - line_start, end - line_start
    sentence_start = max(s for s in starts if s <= rel_start)
    later = [s for s in starts if s >= max(rel_end, rel_start + 1)]
    sentence_end = later[0] if later else len(line)
    sentence = line[sentence_start:sentence_end].rstrip()
    absolute_start = line_start + sentence_start
    return sentence, absolute_start, absolute_start + len(sentence)


def flatten(extractions: Iterable[Extraction]) -> MentionFrames:
    """Flatten extractions into the five raw frames (explicit schemas, possibly empty)."""
    rows: dict[str, list[dict[str, Any]]] = {table: [] for table in TABLES}
    warnings: list[str] = []
    for extraction in extractions:
        records = [] if extraction.error else list(extraction.records)
        seen_keys: set[str] = set()
        for index, record in enumerate(records):
            if not isinstance(record, Mapping):
                warnings.append(f"article {extraction.article_id}: record {index} is not an object")
                continue
            mention = _mention_row(extraction, index, record, warnings)
            if mention["event_key"] in seen_keys:
                # Duplicate keys would collide on mention_id; the extractor must number uniquely.
                warnings.append(
                    f"article {extraction.article_id}: event_key {mention['event_key']!r} "
                    "repeats; later records with it were dropped"
                )
                continue
            seen_keys.add(mention["event_key"])
            rows["raw.event_mentions"].append(mention)
            rows["raw.casualty_figures"].extend(_figure_rows(extraction, mention, record, warnings))
            rows["raw.attributions"].extend(_attribution_rows(extraction, mention, record))
            rows["raw.evidence"].extend(_evidence_rows(extraction, mention, record, warnings))
        rows["raw.extractions"].append(
            {
                **_provenance(extraction),
                "status": "error" if extraction.error else "ok",
                "record_count": len(seen_keys),
                "error": extraction.error,
            }
        )
    frames = {
        table: pl.from_dicts(table_rows, schema=TABLES[table])
        if table_rows
        else pl.DataFrame(schema=TABLES[table])
        for table, table_rows in rows.items()
    }
    return MentionFrames(
        extractions=frames["raw.extractions"],
        event_mentions=frames["raw.event_mentions"],
        casualty_figures=frames["raw.casualty_figures"],
        attributions=frames["raw.attributions"],
        evidence=frames["raw.evidence"],
        warnings=warnings,
    )
