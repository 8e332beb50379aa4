"""Extraction asset: article versions the current extractor has not read yet -> raw mention tables.

The extractor (``pipelines.extract``) is pure: article in, contract records out. This asset
picks the article versions without a successful extraction by the current
``EXTRACTOR_VERSION`` and hands them to :mod:`pipelines.defs.extraction.runner`, which runs
the extractor over ``PIPELINES_EXTRACT_WORKERS`` processes in batches of
``PIPELINES_EXTRACT_BATCH`` (an article that raises is recorded as an error and retried next
time, the others land) and replaces exactly those extractions' rows, one transaction per
batch.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import dagster as dg

import pipelines.extract as extract
from pipelines.defs import keys
from pipelines.defs.extraction.runner import ExtractionSummary, extract_pending
from pipelines.defs.metadata import errors_table, preview
from pipelines.defs.raw_tables import ensure_raw_tables
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource

_SPECS = {
    keys.RAW_EXTRACTIONS: "raw.extractions: which extractor version read which article version.",
    keys.RAW_EVENT_MENTIONS: "raw.event_mentions: one row per extractor record.",
    keys.RAW_CASUALTY_FIGURES: "raw.casualty_figures: one row per reported figure and group.",
    keys.RAW_ATTRIBUTIONS: "raw.attributions: one row per claim / blame / denial statement.",
    keys.RAW_EVIDENCE: "raw.evidence: one row per evidence span, with quote and sentence.",
}
_PREVIEW_COLUMNS = (
    "article_id",
    "event_key",
    "kind",
    "attack_type",
    "date_start",
    "location_name",
    "killed_low",
    "killed_high",
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
    settings = warehouse.settings()
    version = extract.EXTRACTOR_VERSION
    with warehouse.connect() as con:
        ensure_raw_tables(con)

    def progress(summary: ExtractionSummary) -> None:
        context.log.info(
            f"extractor {version}: {summary.articles_read}/{summary.pending} article versions "
            f"read on {summary.workers} worker(s)"
        )

    summary = extract_pending(
        warehouse.connect,
        version,
        datetime.now(UTC),
        workers=settings.extract_workers,
        batch_size=settings.extract_batch_size,
        parallel_min=settings.extract_parallel_min,
        on_batch=progress,
    )
    for warning in summary.warnings:
        context.log.warning(warning)
    for row in summary.errors.iter_rows(named=True):
        context.log.error(f"article {row['article_id']}: {row['error']}")
    yield from _results(summary)


def _results(summary: ExtractionSummary) -> Iterator[dg.MaterializeResult]:
    extra: dict[dg.AssetKey, dict[str, Any]] = {
        keys.RAW_EXTRACTIONS: {
            "extractor_version": summary.extractor_version,
            "articles_read": summary.articles_read,
            "articles_failed": summary.articles_failed,
            "errors": errors_table(summary.errors, "article_id", "error"),
            "warnings": len(summary.warnings),
            "workers": summary.workers,
            "batches": summary.batches,
        },
    }
    if summary.preview is not None:
        extra[keys.RAW_EVENT_MENTIONS] = {
            "preview": preview(summary.preview.select(_PREVIEW_COLUMNS))
        }
    for key in _SPECS:
        table = "raw." + key.path[-1]
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={**summary.results[table].as_metadata(), **extra.get(key, {})},
        )


def defs() -> dg.Definitions:
    """The extraction assets."""
    return dg.Definitions(assets=[extract_mentions])
