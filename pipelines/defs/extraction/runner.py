"""Running the extractor over pending article versions, in batches, on every core. No Dagster.

The pending article versions (those without a successful extraction by the current
extractor version) are read in key order and cut into batches; each batch is extracted,
flattened into the five raw frames and landed in one transaction, so memory stays flat
however many articles are pending and a crash keeps the batches already landed (the next
run reads only the rest).

With more than one worker, chunks of a batch go to a pool of processes (``spawn``: no
inherited threads or locks from the orchestrator); each worker extracts and flattens its
chunk, and the parent concatenates the chunks in input order. The extractor is pure and
every value (``extracted_at`` included) comes from the parent, so the frames are the same,
row for row, as the serial path's — which is the same chunk function run in this process.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import polars as pl

import pipelines.extract as extract
from pipelines.warehouse import landing
from pipelines.warehouse.mentions import Extraction, MentionFrames, flatten

# Articles per task sent to a worker: large enough that pickling is noise, small enough
# that both workers finish a batch at about the same time.
CHUNK_SIZE = 64
# Rows of the first batch kept for the asset's preview; errors are kept up to this many.
KEEP_ROWS = 50

PENDING_KEYS_SQL = """
select
    articles.article_id,
    articles.article_version
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

BATCH_SQL = """
select
    articles.article_id,
    articles.article_version,
    articles.published_at,
    articles.title,
    articles.text,
    articles.url
from raw.articles as articles
inner join __extraction_batch as batch
    on
        articles.article_id = batch.article_id
        and articles.article_version = batch.article_version
order by articles.article_id, articles.article_version
"""

Connect = Callable[[], AbstractContextManager[duckdb.DuckDBPyConnection]]


def pending_keys(con: duckdb.DuckDBPyConnection, extractor_version: str) -> pl.DataFrame:
    """(article_id, article_version) of every version not yet read by ``extractor_version``."""
    return con.sql(PENDING_KEYS_SQL, params=[extractor_version]).pl()


def batch_articles(con: duckdb.DuckDBPyConnection, keys: pl.DataFrame) -> list[dict[str, Any]]:
    """The raw.articles rows (extractor input columns) of ``keys``, in key order."""
    con.register("__extraction_batch", keys.to_arrow())
    try:
        return con.sql(BATCH_SQL).pl().to_dicts()
    finally:
        con.unregister("__extraction_batch")


def article_input(row: Mapping[str, Any]) -> dict[str, Any]:
    """The extractor's input (extraction contract), from a raw.articles row."""
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
    """Extract every article in this process; an article that fails becomes an error extraction."""
    for row in articles:
        article = article_input(row)
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


def extract_chunk(
    rows: Sequence[Mapping[str, Any]], extractor_version: str, extracted_at: datetime
) -> MentionFrames:
    """Extract and flatten one chunk: the unit of work of a worker (and of the serial path)."""
    return flatten(run_extractor(rows, extractor_version, extracted_at))


def concat_frames(parts: Sequence[MentionFrames]) -> MentionFrames:
    """The chunks' frames one after the other, as if flattened in one go."""
    if not parts:
        return flatten([])

    def stack(name: str) -> pl.DataFrame:
        return pl.concat([getattr(part, name) for part in parts], how="vertical")

    return MentionFrames(
        extractions=stack("extractions"),
        event_mentions=stack("event_mentions"),
        casualty_figures=stack("casualty_figures"),
        attributions=stack("attributions"),
        evidence=stack("evidence"),
        warnings=[warning for part in parts for warning in part.warnings],
    )


def _warm_worker() -> None:
    # Dictionaries and the gazetteer load on the first article; load them before the first
    # chunk so that both workers start at once.
    extract.extract_article(
        {"article_id": "warm-up", "published_at": "2026-01-01", "text": "Nothing happened."}
    )


class ExtractorPool:
    """Chunks of articles extracted on ``workers`` processes, or in this process when 1."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ExtractorPool:
        if self.workers > 1:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_worker,
            )
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(
        self, rows: Sequence[Mapping[str, Any]], extractor_version: str, extracted_at: datetime
    ) -> list[Future[MentionFrames]] | MentionFrames:
        """Start a batch on the workers (futures, in order), or extract it now when serial."""
        if self._executor is None:
            return extract_chunk(rows, extractor_version, extracted_at)
        return [
            self._executor.submit(
                extract_chunk, rows[i : i + CHUNK_SIZE], extractor_version, extracted_at
            )
            for i in range(0, len(rows), CHUNK_SIZE)
        ]

    @staticmethod
    def collect(started: list[Future[MentionFrames]] | MentionFrames) -> MentionFrames:
        """The frames of a batch started with :meth:`submit`."""
        if isinstance(started, MentionFrames):
            return started
        return concat_frames([future.result() for future in started])


@dataclass
class ExtractionSummary:
    """What one extraction run read and landed, summed over its batches."""

    extractor_version: str
    workers: int
    pending: int = 0
    batches: int = 0
    articles_read: int = 0
    articles_failed: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(schema={"article_id": pl.String, "error": pl.String})
    )
    preview: pl.DataFrame | None = None
    results: dict[str, landing.LandResult] = field(default_factory=dict)

    def add(self, frames: MentionFrames, results: list[landing.LandResult]) -> None:
        """Fold one landed batch in."""
        self.batches += 1
        self.articles_read += frames.extractions.height
        failed = frames.extractions.filter(pl.col("status") == "error")
        self.articles_failed += failed.height
        if self.errors.height < KEEP_ROWS:
            self.errors = pl.concat([self.errors, failed.select("article_id", "error")]).head(
                KEEP_ROWS
            )
        self.warnings.extend(frames.warnings)
        if self.preview is None:
            self.preview = frames.event_mentions.head(KEEP_ROWS)
        for result in results:
            self.results[result.table] = _sum_results(self.results.get(result.table), result)


def _sum_results(
    before: landing.LandResult | None, after: landing.LandResult
) -> landing.LandResult:
    if before is None:
        return after
    return landing.LandResult(
        table=after.table,
        mode=after.mode,
        rows_in=before.rows_in + after.rows_in,
        inserted=before.inserted + after.inserted,
        deleted=before.deleted + after.deleted,
        duplicates_dropped=before.duplicates_dropped + after.duplicates_dropped,
        rows_after=after.rows_after,
        added_columns=tuple(dict.fromkeys(before.added_columns + after.added_columns)),
    )


def extract_pending(
    connect: Connect,
    extractor_version: str,
    extracted_at: datetime,
    *,
    workers: int,
    batch_size: int,
    parallel_min: int = 0,
    on_batch: Callable[[ExtractionSummary], None] | None = None,
) -> ExtractionSummary:
    """Extract every pending article version and land the records, batch by batch.

    ``connect`` opens a short-lived connection to the warehouse (one per read and per
    landing, so nothing holds the file while the workers run). The pool is started only
    when at least ``parallel_min`` articles are pending. While one batch is landed, the
    workers already extract the next.
    """
    with connect() as con:
        keys = pending_keys(con, extractor_version)
    use = workers if keys.height >= max(parallel_min, 1) and workers > 1 else 1
    summary = ExtractionSummary(extractor_version, use, pending=keys.height)
    # No pending article still lands (empty) frames: the tables exist and report their counts.
    batches = [keys.slice(i, batch_size) for i in range(0, keys.height, max(1, batch_size))] or [
        keys
    ]
    with ExitStack() as stack:
        pool = stack.enter_context(ExtractorPool(use))
        started = None
        for index in range(len(batches) + 1):
            # Start batch `index` before landing batch `index - 1`: the workers keep busy.
            upcoming = None
            if index < len(batches):
                with connect() as con:
                    rows = batch_articles(con, batches[index])
                upcoming = pool.submit(rows, extractor_version, extracted_at)
            if started is not None:
                frames = pool.collect(started)
                with connect() as con:
                    results = landing.land(con, *frames.landings())
                summary.add(frames, results)
                if on_batch is not None:
                    on_batch(summary)
            started = upcoming
    return summary
