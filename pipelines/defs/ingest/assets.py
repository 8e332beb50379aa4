"""Ingest assets: fetch today's feeds into raw/, then land a fetch day's articles in DuckDB.

Only today's partition touches the network; an earlier partition replays what raw/ holds
for that day, so any day can be rebuilt offline and gives the same rows.
"""

from datetime import UTC, datetime

import dagster as dg
import polars as pl

from pipelines.defs import keys
from pipelines.defs.metadata import errors_table, preview, status_counts
from pipelines.defs.partitions import fetch_days, partition_day, today_key
from pipelines.defs.raw_tables import RAW_TABLES, ensure_raw_tables
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.ingest.collect import fetch_frame, fetch_sources, replay_day
from pipelines.ingest.rawstore import RawStore
from pipelines.ingest.sources import load_sources
from pipelines.warehouse import landing


@dg.asset(
    key=keys.FETCHED_PAYLOADS,
    partitions_def=fetch_days,
    group_name="ingest",
    pool=WAREHOUSE_POOL,
    kinds={"python"},
    description=(
        "Every feed and page payload fetched on the partition's UTC day, stored "
        "content-addressed under raw/landed/<day>/ with a fetch log. Only today's partition "
        "fetches; earlier partitions report what raw/ already holds."
    ),
)
def fetched_payloads(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings()
    store = RawStore(settings.landed_dir)
    day = partition_day(context.partition_key)
    # One clock reading: the payloads land in the day this partition stands for, even when
    # the run starts a moment before midnight.
    now = datetime.now(UTC)
    if context.partition_key != today_key(now):
        stored = fetch_frame(store.read_fetches(day))
        context.log.info(f"{day}: not today; nothing fetched, {stored.height} attempts in raw/")
        return _fetch_result(stored, fetched=False)
    sources = load_sources(settings.sources_file)
    fetches = fetch_sources(sources, settings=settings, store=store, now=now)
    _log_errors(context, fetches)
    return _fetch_result(fetches, fetched=True)


def _log_errors(context: dg.AssetExecutionContext, fetches: pl.DataFrame) -> None:
    for row in fetches.filter(pl.col("status") == "error").iter_rows(named=True):
        context.log.warning(f"{row['source']}: {row['url']}: {row['error']}")


def _fetch_result(fetches: pl.DataFrame, *, fetched: bool) -> dg.MaterializeResult:
    return dg.MaterializeResult(
        metadata={
            "fetched_now": fetched,
            "fetch_attempts": fetches.height,
            "sources": fetches.get_column("source").n_unique() if fetches.height else 0,
            **status_counts(fetches, "status"),
            "errors": errors_table(fetches, "source", "url", "error"),
            "preview": preview(fetches.select("source", "kind", "status", "url")),
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            keys.RAW_FETCHES,
            deps=[keys.FETCHED_PAYLOADS],
            group_name="raw",
            kinds={"duckdb"},
            description="raw.fetches: one row per fetch attempt (feed or page), errors included.",
        ),
        dg.AssetSpec(
            keys.RAW_ARTICLES,
            deps=[keys.FETCHED_PAYLOADS],
            group_name="raw",
            kinds={"duckdb"},
            description="raw.articles: one row per article version, rebuilt from raw/.",
        ),
    ],
    partitions_def=fetch_days,
    pool=WAREHOUSE_POOL,
    name="land_articles",
)
def land_articles(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> tuple[dg.MaterializeResult, dg.MaterializeResult]:
    """Replay the day from raw/ and land fetches and articles (new keys only: idempotent)."""
    settings = warehouse.settings()
    day = partition_day(context.partition_key)
    replay = replay_day(day, settings=settings, store=RawStore(settings.landed_dir))
    for row in replay.problems.iter_rows(named=True):
        context.log.warning(f"{row['source']}: {row['url']}: {row['message']}")
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        fetches_result, articles_result = landing.land(
            con,
            _landing("raw.fetches", replay.fetches),
            _landing("raw.articles", replay.articles),
        )
    return (
        dg.MaterializeResult(
            asset_key=keys.RAW_FETCHES,
            metadata={
                **fetches_result.as_metadata(),
                **status_counts(replay.fetches, "status"),
                "errors": errors_table(replay.fetches, "source", "url", "error"),
                "preview": preview(replay.fetches.select("source", "kind", "status", "url")),
            },
        ),
        dg.MaterializeResult(
            asset_key=keys.RAW_ARTICLES,
            metadata={
                **articles_result.as_metadata(),
                "problems": errors_table(replay.problems, "source", "url", "message"),
                "preview": preview(
                    replay.articles.select("source", "published_at", "title", "text_origin")
                ),
            },
        ),
    )


def _landing(table: str, frame: pl.DataFrame) -> landing.Landing:
    schema, key = RAW_TABLES[table]
    return landing.Landing(table=table, frame=frame, key=key, mode="insert_new", schema=schema)


def defs() -> dg.Definitions:
    """The ingest assets."""
    return dg.Definitions(assets=[fetched_payloads, land_articles])
