"""Fixtures for extractor tests: the dictionaries loaded once per session, the bundled
samples, and the shared evaluation folder (skipped when absent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pipelines.settings import PROJECT_ROOT

SAMPLES_FILE = PROJECT_ROOT / "raw" / "samples" / "expected.json"
EVAL_DIR = PROJECT_ROOT.parent / "shared" / "eval"


@pytest.fixture(scope="session", autouse=True)
def _warm_extractor() -> None:
    """Build the gazetteer and the dictionary automaton once for the whole session (the
    first build of the gazetteer takes ~20 s; later sessions read the project's cache)."""
    from pipelines.extract import gazetteer, lexicon

    gazetteer.load()
    lexicon.get()


@pytest.fixture(scope="session")
def sample_articles() -> dict[str, dict[str, Any]]:
    """The bundled sample articles and what a perfect extractor returns for each."""
    return json.loads(SAMPLES_FILE.read_text(encoding="utf-8"))["articles"]


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The shared evaluation folder (development sets and the referee), if present."""
    if not (EVAL_DIR / "score.py").is_file() or not (EVAL_DIR / "dev").is_dir():
        pytest.skip(f"no shared evaluation folder at {EVAL_DIR} (dev/*.jsonl and score.py)")
    return EVAL_DIR
