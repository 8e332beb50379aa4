"""Every record the extractor emits has the shape of the extraction contract (v1)."""

from __future__ import annotations

from typing import Any

import pytest

from pipelines.extract import extract_article

from .articles import ALL_ARTICLES
from .contract import record_violations, violations


@pytest.mark.parametrize("article", ALL_ARTICLES, ids=lambda a: a["article_id"])
def test_records_of_written_articles_follow_the_contract(article: dict[str, Any]) -> None:
    assert violations(extract_article(article), article) == []


def test_records_of_sample_articles_follow_the_contract(
    sample_articles: dict[str, dict[str, Any]],
) -> None:
    problems: dict[str, list[str]] = {}
    produced = 0
    for key, sample in sample_articles.items():
        article = {
            "article_id": key,
            "published_at": sample["published_at"],
            "text": sample["reference_text"],
        }
        records = extract_article(article)
        produced += len(records)
        if found := violations(records, article):
            problems[key] = found
    assert problems == {}
    # The samples report 19 violent articles: the check above must have had records to see.
    assert produced >= 19


def test_contract_check_catches_broken_records() -> None:
    # The checker itself: each of these records breaks one rule of the contract.
    text = "Gunmen killed two police officers in Karachi on Friday."
    good = {
        "article_id": "a",
        "event_key": "e1",
        "kind": "incident",
        "is_background": False,
        "attack_type": "armed_assault",
        "weapons": ["firearm"],
        "date_start": "2021-05-07",
        "date_end": "2021-05-07",
        "date_precision": "day",
        "location": {
            "name": "Karachi",
            "country_code": "PK",
            "admin1": "Sindh",
            "lat": 24.86,
            "lon": 67.01,
            "precision": "city",
        },
        "perpetrator": {"name": None, "status": "unknown"},
        "targets": [],
        "killed": {"low": 2, "high": 2, "qualifier": "exact"},
        "wounded": None,
        "casualty_groups": [
            {"status": "killed", "group": "officers", "nationality": None, "low": 2, "high": 2}
        ],
        "attributions": [],
        "evidence": [{"field": "killed", "start": 7, "end": 33}],
    }
    assert record_violations(good, text) == []
    broken = [
        {"kind": "event"},
        {"attack_type": "shooting"},
        {"weapons": ["rifle"]},
        {"date_start": "2021-05-08"},  # after date_end
        {"date_end": "07/05/2021"},
        {"date_precision": "hour"},
        {"location": {**good["location"], "country_code": "PAK"}},
        {"location": {**good["location"], "precision": "street"}},
        {"perpetrator": {"name": None, "status": "rumoured"}},
        {"killed": {"low": 3, "high": 2, "qualifier": "exact"}},
        {"killed": {"low": 2, "high": 2, "qualifier": "roughly"}},
        {"killed": 2},
        {"attributions": [{"type": "praise", "actor": None, "by": None}]},
        {"evidence": [{"field": "killed", "start": 40, "end": 400}]},
        {"evidence": [{"field": "killed", "start": 9, "end": 9}]},
        {
            "casualty_groups": [
                {"status": "missing", "group": None, "nationality": None, "low": 1, "high": 1}
            ]
        },
        {"severity": "high"},
    ]
    for change in broken:
        assert record_violations({**good, **change}, text) != [], change
    twice = violations([good, good], {"article_id": "a", "text": text})
    assert any("event_key" in p for p in twice)
