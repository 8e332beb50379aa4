"""Flattening contract records into the raw mention tables, and replacing re-extractions."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.warehouse import db, landing
from pipelines.warehouse.mentions import Extraction, enclosing_sentence, flatten

EXTRACTED_AT = datetime(2026, 11, 18, 12, tzinfo=UTC)
TEXT = (
    "Rockets hit Ain al-Asad air base\n"
    "\n"
    "A rocket salvo struck the base late Monday night, the U.S. military said. "
    "Three people were killed. No group has claimed responsibility.\n"
)


def extraction(records, *, article_id="a1", version="0.1.0", text=TEXT, error=None):
    return Extraction(
        article_id=article_id,
        article_version="v1",
        extractor_version=version,
        extracted_at=EXTRACTED_AT,
        text=text,
        records=records,
        error=error,
    )


def span(words: str, field: str) -> dict:
    start = TEXT.index(words)
    return {"field": field, "start": start, "end": start + len(words)}


def test_unknown_and_zero_casualties_stay_apart(contract_record):
    # "The statement made no mention of casualties" (null) vs "no one was injured" (0).
    records = [
        contract_record("a1", event_key="e1", killed=None, wounded=None),
        contract_record(
            "a1",
            event_key="e2",
            killed={"low": 0, "high": 0, "qualifier": "exact"},
            wounded={"low": 12, "high": None, "qualifier": "at_least"},
        ),
    ]
    frames = flatten([extraction(records)])
    mentions = frames.event_mentions.sort("event_key")
    assert mentions.select("has_killed_figure", "killed_low", "killed_high").rows() == [
        (False, None, None),
        (True, 0, 0),
    ]
    figures = frames.casualty_figures.sort("casualty_status")
    # e1 has no figure rows at all; e2 has a stated zero and an open-ended "at least 12".
    assert figures.select("casualty_status", "low", "high", "qualifier").rows() == [
        ("killed", 0, 0, "exact"),
        ("wounded", 12, None, "at_least"),
    ]


def test_totals_and_casualty_groups_are_one_row_each(contract_record):
    # "three American military personnel, one British soldier and an Iraqi soldier"
    record = contract_record(
        "a1",
        killed={"low": 5, "high": 5, "qualifier": "exact"},
        casualty_groups=[
            {
                "status": "killed",
                "group": "American military personnel",
                "nationality": "US",
                "low": 3,
                "high": 3,
            },
            {
                "status": "killed",
                "group": "British soldier",
                "nationality": "GB",
                "low": 1,
                "high": 1,
            },
            {
                "status": "killed",
                "group": "Iraqi soldier",
                "nationality": "IQ",
                "low": 1,
                "high": 1,
            },
        ],
    )
    figures = flatten([extraction([record])]).casualty_figures
    assert figures.get_column("figure_scope").to_list() == ["total", "group", "group", "group"]
    assert figures.filter(pl.col("figure_scope") == "group").get_column("low").sum() == 5
    assert figures.get_column("figure_id").n_unique() == 4


def test_attributions_keep_no_claim_and_who_blamed_whom(contract_record):
    record = contract_record(
        "a1",
        attributions=[
            {"type": "no_claim"},
            {"type": "blame", "actor": "Kataib Hezbollah", "by": "United States"},
        ],
    )
    rows = flatten([extraction([record])]).attributions
    assert rows.select("attribution_type", "actor", "stated_by").rows() == [
        ("no_claim", None, None),
        ("blame", "Kataib Hezbollah", "United States"),
    ]


def test_evidence_carries_the_quote_and_its_sentence(contract_record):
    record = contract_record(
        "a1",
        evidence=[
            span("Rockets hit", "attack_type"),  # the headline has no final period
            span("late Monday night", "date"),  # a sentence containing "U.S." as a word
            span("Three people were killed", "killed"),
        ],
    )
    evidence = flatten([extraction([record])]).evidence
    assert evidence.get_column("quote").to_list() == [
        "Rockets hit",
        "late Monday night",
        "Three people were killed",
    ]
    assert evidence.get_column("sentence").to_list() == [
        "Rockets hit Ain al-Asad air base",
        "A rocket salvo struck the base late Monday night, the U.S. military said.",
        "Three people were killed.",
    ]
    for row in evidence.iter_rows(named=True):
        assert TEXT[row["sentence_start"] : row["sentence_end"]] == row["sentence"]
        assert row["is_span_valid"]


def test_spans_outside_the_text_are_kept_without_quote(contract_record):
    record = contract_record("a1", evidence=[{"field": "date", "start": 5, "end": 10_000}])
    frames = flatten([extraction([record])])
    row = frames.evidence.row(0, named=True)
    assert (row["is_span_valid"], row["quote"], row["sentence"]) == (False, None, None)
    assert any("outside the text" in warning for warning in frames.warnings)


@pytest.mark.parametrize(
    ("text", "words", "sentence"),
    [
        # Two sentences on one line: only the one with the words.
        ("One died. Two were hurt.", "Two", "Two were hurt."),
        # An abbreviation before a capitalised word does not end the sentence.
        ("Gen. Smith said rockets fell. Nobody died.", "rockets", "Gen. Smith said rockets fell."),
        # Wire copy in capitals, quoted speech closing the sentence.
        ('"WE WILL RESPOND," HE SAID. TWO DIED.', "RESPOND", '"WE WILL RESPOND," HE SAID.'),
        # A span across two sentences returns both.
        (
            "A bomb exploded. Four died. Police came.",
            "exploded. Four",
            "A bomb exploded. Four died.",
        ),
        # Paragraphs: the newline bounds the sentence even without a period.
        ("Headline here\n\nBody starts. More.", "Headline", "Headline here"),
    ],
)
def test_enclosing_sentence(text, words, sentence):
    start = text.index(words)
    found = enclosing_sentence(text, start, start + len(words))
    assert found is not None
    assert found[0] == sentence
    assert text[found[1] : found[2]] == sentence


def test_ids_are_deterministic_and_differ_by_extractor_version(contract_record):
    records = [contract_record("a1", event_key="e1"), contract_record("a1", event_key="e2")]
    first = flatten([extraction(records)]).event_mentions.get_column("mention_id").to_list()
    again = flatten([extraction(records)]).event_mentions.get_column("mention_id").to_list()
    newer = flatten([extraction(records, version="0.2.0")]).event_mentions
    assert first == again
    assert set(first).isdisjoint(newer.get_column("mention_id").to_list())


def test_a_failed_extraction_is_recorded_without_records(contract_record):
    frames = flatten([extraction([contract_record("a1")], error="extractor raised KeyError")])
    assert frames.extractions.select("status", "record_count", "error").rows() == [
        ("error", 0, "extractor raised KeyError")
    ]
    assert frames.event_mentions.height == 0


def test_repeated_event_keys_are_dropped_with_a_warning(contract_record):
    frames = flatten([extraction([contract_record("a1"), contract_record("a1")])])
    assert frames.event_mentions.height == 1
    assert frames.extractions.get_column("record_count").to_list() == [1]
    assert any("repeats" in warning for warning in frames.warnings)


def test_empty_extractor_output_gives_empty_frames_with_their_schemas():
    frames = flatten([extraction([])])
    assert frames.extractions.height == 1
    assert frames.event_mentions.height == 0
    assert "weapons" in frames.event_mentions.columns


def test_reextracting_replaces_exactly_that_extraction(tmp_path: Path, contract_record):
    con = db.connect(tmp_path / "conflict.duckdb")
    try:
        two = [
            contract_record("a1", event_key="e1", attributions=[{"type": "no_claim"}]),
            contract_record("a1", event_key="e2"),
        ]
        other = [contract_record("a2", event_key="e1")]
        landing.land(
            con, *flatten([extraction(two), extraction(other, article_id="a2")]).landings()
        )
        landing.land(con, *flatten([extraction(two, version="0.2.0")]).landings())
        # a1 re-read by 0.1.0 now finds one event: its old second record and statement go.
        landing.land(con, *flatten([extraction(two[1:])]).landings())
        counts = con.execute(
            "select article_id, extractor_version, count(*) from raw.event_mentions "
            "group by all order by all"
        ).fetchall()
        assert counts == [("a1", "0.1.0", 1), ("a1", "0.2.0", 2), ("a2", "0.1.0", 1)]
        assert con.execute(
            "select count(*) from raw.attributions where extractor_version = '0.1.0'"
        ).fetchone() == (0,)
        assert con.execute(
            "select record_count from raw.extractions "
            "where article_id = 'a1' and extractor_version = '0.1.0'"
        ).fetchone() == (1,)
    finally:
        con.close()
