"""The event extractor: article text in, contract records out (attacks, tolls, attributions).

Pure Python — no Dagster, no DuckDB, no network. The pipeline's extraction asset and the
command ``python -m pipelines.extract INPUT.jsonl`` both call :func:`extract_article`. The
record shape is the extraction contract (README, "Extraction contract"): kind, background
flag, attack type and weapons, date interval and precision, location, perpetrator and
status, targets, killed/wounded ranges (null = not said, 0 = nobody), casualty groups,
attributions, and evidence offsets for every field.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

EXTRACTOR_VERSION = "1.2.0"


class ArticleError(ValueError):
    """The article cannot be read: a required field is missing or malformed."""


def _published(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    s = str(value or "").strip()
    if not s:
        raise ArticleError("published_at is missing: the anchor for relative dates is required")
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            raise ArticleError(f"published_at {s!r} is not an ISO date or datetime") from None


def extract_article(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Event records for one article (`article_id`, `published_at`, `text`; `title`, `url`
    optional). Raises ValueError when a required field is missing or malformed."""
    from pipelines.extract.pipeline import run  # heavy modules load on first use

    article_id = article.get("article_id")
    if article_id is None or str(article_id) == "":
        raise ArticleError("article_id is missing")
    text = article.get("text")
    if not isinstance(text, str):
        raise ArticleError("text is missing or not a string")
    return run(str(article_id), text, _published(article.get("published_at")))


__all__ = ["EXTRACTOR_VERSION", "ArticleError", "extract_article"]
