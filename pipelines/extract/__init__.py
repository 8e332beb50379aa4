"""The event extractor: article text in, contract records (see CONTRACT in the README) out.

Pure Python: no Dagster, no DuckDB, no network. The pipeline's asset and the command
``python -m pipelines.extract INPUT.jsonl`` both call :func:`extract_article`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EXTRACTOR_VERSION = "0.0.0"


def extract_article(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the event records for one article (fields as in the extraction contract)."""
    # Interim: the real extractor replaces this module body.
    return []
