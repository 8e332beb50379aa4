"""Every table in the ``raw`` schema: its Polars schema and key, and creating them all."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.ingest.schema import ARTICLES_SCHEMA, FETCHES_SCHEMA
from pipelines.warehouse import landing, mentions

RAW_TABLES: dict[str, tuple[pl.Schema, tuple[str, ...]]] = {
    "raw.fetches": (FETCHES_SCHEMA, ("fetch_id",)),
    "raw.articles": (ARTICLES_SCHEMA, ("article_id", "article_version")),
    "raw.extractions": (mentions.EXTRACTIONS_SCHEMA, mentions.EXTRACTION_KEY),
    "raw.event_mentions": (mentions.EVENT_MENTIONS_SCHEMA, ("mention_id",)),
    "raw.casualty_figures": (mentions.CASUALTY_FIGURES_SCHEMA, ("figure_id",)),
    "raw.attributions": (mentions.ATTRIBUTIONS_SCHEMA, ("attribution_id",)),
    "raw.evidence": (mentions.EVIDENCE_SCHEMA, ("evidence_id",)),
}


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Create missing raw tables and columns, so dbt's sources exist even before any data."""
    added: list[str] = []
    with landing.transaction(con):
        for table, (schema, _) in RAW_TABLES.items():
            if landing.ensure_table(con, table, schema):
                added.append(table)
    return added
