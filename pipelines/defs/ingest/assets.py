"""Ingest assets: fetch today's feeds into raw/, then land fetch days' articles in DuckDB.

Only today's partition touches the network; an earlier partition replays what raw/ holds
for that day, so any day can be rebuilt offline and gives the same rows. A backfill over a
range of days is one run (``BackfillPolicy.single_run``) that lands the days oldest first,
so an article seen on several days keeps its first sighting, as in the original runs.

``land_articles`` also answers two freshness checks after landing (see
``pipelines.defs.freshness``): every source delivered something new within its
``expected_cadence_hours``, and no feed's latest payload came back with zero entries.
"""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import polars as pl

from pipelines.defs import freshness, keys
from pipelines.defs.metadata import errors_table, preview, status_counts
from pipelines.defs.partitions import fetch_days, partition_day, today_key
from pipelines.defs.raw_tables import RAW_TABLES, ensure_raw_tables
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.ingest.collect import Replay, fetch_frame, fetch_sources, replay_day
from pipelines.ingest.rawstore import RawStore
from pipelines.ingest.sources import SourceConfigError, load_sources
from pipelines.warehouse import landing

CADENCE_CHECK = "sources_deliver_within_cadence"
ENTRIES_CHECK = "feeds_have_entries"


@dg.asset(
    key=keys.FETCHED_PAYLOADS,
    partitions_def=fetch_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
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
    # One clock reading: the payloads land in the day this partition stands for, even when
    # the run starts a moment before midnight.
    now = datetime.now(UTC)
    frames, fetched = [], False
    for key in context.partition_keys:
        day = partition_day(key)
        if key != today_key(now):
            stored = fetch_frame(store.read_fetches(day))
            context.log.info(f"{day}: not today; nothing fetched, {stored.height} attempts in raw/")
            frames.append(stored)
            continue
        sources = load_sources(settings.sources_file)
        fetches = fetch_sources(sources, settings=settings, store=store, now=now)
        _log_errors(context, fetches)
        frames.append(fetches)
        fetched = True
    return _fetch_result(pl.concat(frames, how="vertical"), fetched=fetched)


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
            "failed_sources": failed_sources(fetches),
            "errors": errors_table(fetches, "source", "url", "error"),
            "preview": preview(fetches.select("source", "kind", "status", "url")),
        }
    )


def failed_sources(fetches: pl.DataFrame) -> dg.MetadataValue:
    """Each source whose feed failed, with its (last) error in full: the run's error summary."""
    failed = fetches.filter((pl.col("kind") == "feed") & (pl.col("status") == "error"))
    return dg.MetadataValue.json(
        {row["source"]: row["error"] for row in failed.sort("fetched_at").iter_rows(named=True)}
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
    check_specs=[
        dg.AssetCheckSpec(
            CADENCE_CHECK,
            asset=keys.RAW_ARTICLES,
            description=(
                "Every enabled source delivered a new article version within its "
                "expected_cadence_hours (sources.toml); warns with the stale sources."
            ),
        ),
        dg.AssetCheckSpec(
            ENTRIES_CHECK,
            asset=keys.RAW_FETCHES,
            description=(
                "Every source's latest stored feed payload still has entries; warns when a "
                "feed that parses comes back empty."
            ),
        ),
    ],
    partitions_def=fetch_days,
    backfill_policy=dg.BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    name="land_articles",
)
def land_articles(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Replay each day from raw/ and land fetches and articles (new keys only: idempotent)."""
    settings = warehouse.settings()
    store = RawStore(settings.landed_dir)
    landed: list[tuple[Replay, landing.LandResult, landing.LandResult]] = []
    # Oldest day first, each in its own transaction: a crash keeps the days already landed,
    # and the rerun adds only what is missing. One connection for the whole run: opening
    # and closing (a checkpoint) the file cost more than landing a day.
    with warehouse.connect() as con:
        ensure_raw_tables(con)
        for key in sorted(context.partition_keys):
            replay = replay_day(partition_day(key), settings=settings, store=store)
            for row in replay.problems.iter_rows(named=True):
                context.log.warning(f"{row['source']}: {row['url']}: {row['message']}")
            fetches_result, articles_result = landing.land(
                con,
                _landing("raw.fetches", replay.fetches),
                _landing("raw.articles", replay.articles),
            )
            landed.append((replay, fetches_result, articles_result))
    yield from _land_results(landed)
    yield from freshness_checks(context, warehouse)


def _land_results(
    landed: list[tuple[Replay, landing.LandResult, landing.LandResult]],
) -> Iterator[dg.MaterializeResult]:
    fetches = pl.concat([replay.fetches for replay, _, _ in landed], how="vertical")
    articles = pl.concat([replay.articles for replay, _, _ in landed], how="vertical")
    problems = pl.concat([replay.problems for replay, _, _ in landed], how="vertical")
    days = {"days_landed": len(landed)}
    yield dg.MaterializeResult(
        asset_key=keys.RAW_FETCHES,
        metadata={
            **_summed([result for _, result, _ in landed]),
            **days,
            **status_counts(fetches, "status"),
            "failed_sources": failed_sources(fetches),
            "errors": errors_table(fetches, "source", "url", "error"),
            "preview": preview(fetches.select("source", "kind", "status", "url")),
        },
    )
    yield dg.MaterializeResult(
        asset_key=keys.RAW_ARTICLES,
        metadata={
            **_summed([result for _, _, result in landed]),
            **days,
            "feeds_parsed": sum(replay.feeds_parsed for replay, _, _ in landed),
            "feeds_from_cache": sum(replay.feeds_cached for replay, _, _ in landed),
            "problems": errors_table(problems, "source", "url", "message"),
            "preview": preview(articles.select("source", "published_at", "title", "text_origin")),
        },
    )


def _summed(results: list[landing.LandResult]) -> dict[str, int | str]:
    """One landing's metadata, or several days' added up (rows_after from the last day)."""
    if len(results) == 1:
        return results[0].as_metadata()
    last = results[-1].as_metadata()
    for name in ("rows_in", "inserted", "deleted", "duplicates_dropped"):
        last[name] = sum(getattr(result, name) for result in results)
    return last


def freshness_checks(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> Iterator[dg.AssetCheckResult]:
    """The cadence and entries checks over everything landed so far (warnings, never blocking)."""
    settings = warehouse.settings()
    try:
        sources = load_sources(settings.sources_file)
    except SourceConfigError as exc:
        for name, key in ((CADENCE_CHECK, keys.RAW_ARTICLES), (ENTRIES_CHECK, keys.RAW_FETCHES)):
            yield _check_result(name, key, False, {"error": str(exc)})
        return
    with warehouse.connect() as con:
        cadence = freshness.source_cadence(con, sources, datetime.now(UTC))
        entries = freshness.feed_entries(con, sources, RawStore(settings.landed_dir))
    yield _cadence_result(context, cadence)
    yield _entries_result(context, entries)


def _check_result(name: str, key: dg.AssetKey, passed: bool, metadata: dict) -> dg.AssetCheckResult:
    return dg.AssetCheckResult(
        check_name=name,
        asset_key=key,
        passed=passed,
        severity=dg.AssetCheckSeverity.WARN,
        metadata=metadata,
    )


def _cadence_result(
    context: dg.AssetExecutionContext, verdicts: list[freshness.SourceCadence]
) -> dg.AssetCheckResult:
    stale = [v for v in verdicts if v.is_stale]
    for verdict in stale:
        context.log.warning(f"{verdict.source}: stale: {verdict.note}")
    table = pl.DataFrame(
        [
            {
                "source": v.source,
                "stale": v.is_stale,
                "expected_h": v.expected_cadence_hours,
                "hours_since_new": v.hours_since_new,
                "last_new_article_at": v.last_new_article_at,
                "note": v.note,
            }
            for v in verdicts
        ],
        schema={
            "source": pl.String,
            "stale": pl.Boolean,
            "expected_h": pl.Float64,
            "hours_since_new": pl.Float64,
            "last_new_article_at": pl.Datetime("us", "UTC"),
            "note": pl.String,
        },
    )
    return _check_result(
        CADENCE_CHECK,
        keys.RAW_ARTICLES,
        not stale,
        {
            "stale_sources": dg.MetadataValue.json({v.source: v.note for v in stale}),
            "sources_checked": len(verdicts),
            "sources": preview(table.sort("stale", descending=True), rows=100),
        },
    )


def _entries_result(
    context: dg.AssetExecutionContext, verdicts: list[freshness.FeedEntries]
) -> dg.AssetCheckResult:
    empty = [v for v in verdicts if v.is_empty]
    for verdict in empty:
        context.log.warning(f"{verdict.source}: empty feed: {verdict.note}")
    table = pl.DataFrame(
        [
            {
                "source": v.source,
                "latest_entries": v.latest_entries,
                "previous_entries": v.previous_entries,
                "latest_fetched_at": v.latest_fetched_at,
                "note": v.note,
            }
            for v in verdicts
        ],
        schema={
            "source": pl.String,
            "latest_entries": pl.Int64,
            "previous_entries": pl.Int64,
            "latest_fetched_at": pl.Datetime("us", "UTC"),
            "note": pl.String,
        },
    )
    return _check_result(
        ENTRIES_CHECK,
        keys.RAW_FETCHES,
        not empty,
        {
            "empty_feeds": dg.MetadataValue.json({v.source: v.note for v in empty}),
            "sources_checked": len(verdicts),
            "feeds": preview(table.sort("latest_entries", nulls_last=True), rows=100),
        },
    )


def _landing(table: str, frame: pl.DataFrame) -> landing.Landing:
    schema, key = RAW_TABLES[table]
    return landing.Landing(table=table, frame=frame, key=key, mode="insert_new", schema=schema)


def defs() -> dg.Definitions:
    """The ingest assets."""
    return dg.Definitions(assets=[fetched_payloads, land_articles])
