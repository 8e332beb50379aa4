"""The bundled sample articles: what a user running the demo sees for each one.

`raw/samples/expected.json` gives, per article, the text, the publication date and the
records a perfect extractor returns. These tests ask what a reader would notice first: no
incident in non-violent news, and for the others the main incident's kind and country.
Dates, tolls and attributions of the samples are measured by the scorer, not here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from pipelines.extract import extract_article
from pipelines.settings import PROJECT_ROOT

SAMPLES_FILE = PROJECT_ROOT / "raw" / "samples" / "expected.json"


def _is_non_violent(sample: dict[str, Any]) -> bool:
    return bool(sample.get("non_violent")) or not any(
        e["kind"] == "incident" for e in sample["events"]
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # One test per sample article, read when tests are collected (not at import).
    wanted = {"quiet_key", "violent_key"} & set(metafunc.fixturenames)
    if wanted:
        samples = json.loads(SAMPLES_FILE.read_text(encoding="utf-8"))["articles"]
        quiet = [k for k, sample in samples.items() if _is_non_violent(sample)]
        keys = quiet if "quiet_key" in wanted else [k for k in samples if k not in quiet]
        metafunc.parametrize(wanted.pop(), keys)


def _incidents(key: str, sample: dict[str, Any]) -> list[dict[str, Any]]:
    article = {
        "article_id": key,
        "published_at": sample["published_at"],
        "text": sample["reference_text"],
    }
    return [r for r in extract_article(article) if r["kind"] == "incident"]


def test_non_violent_sample_yields_no_incident(
    quiet_key: str, sample_articles: dict[str, dict[str, Any]]
) -> None:
    # A protest, a flood, a parliament vote, a defused bomb: nothing for the incident tables.
    sample = sample_articles[quiet_key]
    found = _incidents(quiet_key, sample)
    seen = [(r["attack_type"], r["date_start"], r["evidence"][:1]) for r in found]
    assert found == [], f"{sample['non_violent']}, yet incidents {seen}"


def test_violent_sample_yields_its_main_incident(
    violent_key: str, sample_articles: dict[str, dict[str, Any]]
) -> None:
    sample = sample_articles[violent_key]
    main = next(e for e in sample["events"] if e["kind"] == "incident" and not e["is_background"])
    # The expected record lists other acceptable readings ("an ambush" may be a clash).
    types = {main["attack_type"], *main.get("attack_type_alt", [])}
    country = main["location"]["country_code"]
    seen = [
        (r["attack_type"], (r["location"] or {}).get("country_code"))
        for r in _incidents(violent_key, sample)
    ]
    assert any(t in types and c == country for t, c in seen), (
        f"expected an incident of type {sorted(types)} in {country}, got {seen}"
    )
