"""Extraction asset: article versions the current extractor has not read yet -> raw mention tables.

The extractor (``pipelines.extract``) is pure: article in, contract records out. This asset
picks the article versions without a successful extraction by the current
``EXTRACTOR_VERSION``, runs it on each (an article that raises is recorded as an error and
retried next time, the others land), flattens the records and replaces exactly those
extractions' rows in one transaction.
"""

from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import dagster as dg
import duckdb
import polars as pl

import pipelines.extract as extract
from pipelines.defs import keys
from pipelines.defs.metadata import errors_table, preview
from pipelines.defs.raw_tables import ensure_raw_tables
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.warehouse import landing
from pipelines.warehouse.mentions import Extraction, MentionFrames, flatten

_SPECS = {
    keys.RAW_EXTRACTIONS: "raw.extractions: which extractor version read which article version.",
    keys.RAW_EVENT_MENTIONS: "raw.event_mentions: one row per extractor record.",
    keys.RAW_CASUALTY_FIGURES: "raw.casualty_figures: one row per reported figure and group.",
    keys.RAW_ATTRIBUTIONS: "raw.attributions: one row per claim / blame / denial statement.",
    keys.RAW_EVIDENCE: "raw.evidence: one row per evidence span, with quote and sentence.",
}

PENDING_SQL = """
select
    articles.article_id,
    articles.article_version,
    articles.published_at,
    articles.title,
    articles.text,
    articles.url
from raw.articles as articles
where not exists (
    select 1
    from raw.extractions as done
    where
        done.article_id = articles.article_id
        and done.article_version = articles.article_version
        and done.extractor_version = ?
        and done.status = 'ok'
)
order by articles.article_id, articles.article_version
"""


def pending_articles(con: duckdb.DuckDBPyConnection, extractor_version: str) -> pl.DataFrame:
    """Article versions without a successful extraction by ``extractor_version``."""
    return con.sql(PENDING_SQL, params=[extractor_version]).pl()


def _article_input(row: Mapping[str, Any]) -> dict[str, Any]:
    """The extractor's input line (extraction contract), from a raw.articles row."""
    published = row["published_at"]
    return {
        "article_id": row["article_id"],
        "published_at": published.isoformat() if published is not None else None,
        "title": row["title"],
        "text": row["text"] or "",
        "url": row["url"],
    }


def run_extractor(
    articles: Iterable[Mapping[str, Any]], extractor_version: str, extracted_at: datetime
) -> Iterator[Extraction]:
    """Extract every article; an article that fails becomes an error extraction."""
    for row in articles:
        article = _article_input(row)
        try:
            records, error = list(extract.extract_article(article)), None
        except Exception as exc:  # noqa: BLE001 - one article's bug must not stop the batch
            records = []
            error = (
                f"extractor {extractor_version} raised {exc.__class__.__name__}: {exc}; "
                "fix the extractor (the article is retried on the next run)"
            )
        yield Extraction(
            article_id=row["article_id"],
            article_version=row["article_version"],
            extractor_version=extractor_version,
            extracted_at=extracted_at,
            text=article["text"],
            records=records,
            error=error,
        )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            key,
            deps=[keys.RAW_ARTICLES],
            group_name="raw",
            kinds={"duckdb"},
            description=description,
        )
        for key, description in _SPECS.items()
    ],
    pool=WAREHOUSE_POOL,
    name="extract_mentions",
)
def extract_mentions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult]:
    version = extract.EXTRACTOR_VERSION
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        pending = pending_articles(con, version)
    context.log.info(f"extractor {version}: {pending.height} article versions to read")
    frames = flatten(run_extractor(pending.iter_rows(named=True), version, datetime.now(UTC)))
    for warning in frames.warnings:
        context.log.warning(warning)
    failed = frames.extractions.filter(pl.col("status") == "error")
    for row in failed.iter_rows(named=True):
        context.log.error(f"article {row['article_id']}: {row['error']}")
    with warehouse.connect() as con:
        results = landing.land(con, *frames.landings())
    yield from _results(version, frames, results)


def _results(
    version: str, frames: MentionFrames, results: list[landing.LandResult]
) -> Iterator[dg.MaterializeResult]:
    by_table = {result.table: result for result in results}
    extra: dict[dg.AssetKey, dict[str, Any]] = {
        keys.RAW_EXTRACTIONS: {
            "extractor_version": version,
            "articles_read": frames.extractions.height,
            "articles_failed": frames.extractions.filter(pl.col("status") == "error").height,
            "errors": errors_table(frames.extractions, "article_id", "error"),
            "warnings": len(frames.warnings),
        },
        keys.RAW_EVENT_MENTIONS: {
            "preview": preview(
                frames.event_mentions.select(
                    "article_id",
                    "event_key",
                    "kind",
                    "attack_type",
                    "date_start",
                    "location_name",
                    "killed_low",
                    "killed_high",
                )
            )
        },
    }
    for key in _SPECS:
        table = "raw." + key.path[-1]
        yield dg.MaterializeResult(
            asset_key=key, metadata={**by_table[table].as_metadata(), **extra.get(key, {})}
        )


def defs() -> dg.Definitions:
    """The extraction assets."""
    return dg.Definitions(assets=[extract_mentions])
