"""The pipeline's stages, one per command, run by ``bench.run`` in a process of their own.

Each stage calls the same functions the Dagster assets call (``replay_day`` and
``landing.land`` for ``land_articles``, the extraction runner for ``extract_mentions``,
``dbt build`` for the dbt assets, ``publish`` for ``analyst_database``), on the paths the
environment gives (``PIPELINES_RAW_DIR``, ``PIPELINES_WAREHOUSE_DIR``, ...), and prints one
line ``BENCH-RESULT {json}`` with what it did. Progress goes to stderr.

    python -m bench.stages replay --days 2026-11-01,2026-11-02
    python -m bench.stages extract | dbt --target-path DIR | publish | queries
    python -m bench.stages pairs --target-path DIR
    python -m bench.stages page-text --data DIR --days ... --engine trafilatura
    python -m bench.stages dagster --day 2026-11-21
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.measure import RESULT_PREFIX
from pipelines import settings as settings_module

SQL_DIR = Path(__file__).resolve().parent / "sql"


def emit(result: dict[str, Any]) -> None:
    """Print the stage's result line (and its own peak RSS, for systems without /proc)."""
    result["ru_maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(RESULT_PREFIX + json.dumps(result, default=str), flush=True)


def progress(message: str) -> None:
    """A progress line on stderr (the stage's log)."""
    print(f"{datetime.now(UTC):%H:%M:%S} {message}", file=sys.stderr, flush=True)


# -- replay -> raw.fetches, raw.articles -----------------------------------------------------------


def stage_replay(days: list[date], *, cold_feeds: bool = False) -> dict[str, Any]:
    """Replay each day from raw/ and land it, as ``land_articles`` does in a backfill.

    With ``cold_feeds`` the parsed-feed cache is empty (what a new feed parser version
    finds): every feed payload is parsed again, page texts still come from their cache.
    """
    settings = settings_module.load()
    if not cold_feeds:
        return _replay_and_land(days, settings)
    with tempfile.TemporaryDirectory(prefix="bench-cold-feeds-") as tmp:
        raw_dir = Path(tmp) / "raw"
        landed = raw_dir / "landed"
        landed.mkdir(parents=True)
        for child in settings.landed_dir.iterdir():
            if child.is_dir() and child.name != "feeds":
                (landed / child.name).symlink_to(child, target_is_directory=True)
        return _replay_and_land(days, replace(settings, raw_dir=raw_dir))


def _replay_and_land(days: list[date], settings: settings_module.Settings) -> dict[str, Any]:
    import polars as pl

    from pipelines.defs.raw_tables import RAW_TABLES, ensure_raw_tables
    from pipelines.ingest.collect import replay_day
    from pipelines.ingest.rawstore import RawStore
    from pipelines.warehouse import db, landing

    store = RawStore(settings.landed_dir)
    totals: Counter[str] = Counter()
    replay_s = land_s = 0.0
    opened = time.perf_counter()
    with db.connection() as con:
        ensure_raw_tables(con)
        land_s += time.perf_counter() - opened
        for index, day in enumerate(days):
            started = time.perf_counter()
            replay = replay_day(day, settings=settings, store=store)
            replayed = time.perf_counter()
            landings = [
                landing.Landing(t, f, RAW_TABLES[t][1], "insert_new", RAW_TABLES[t][0])
                for t, f in (("raw.fetches", replay.fetches), ("raw.articles", replay.articles))
            ]
            fetches, articles = landing.land(con, *landings)
            replay_s += replayed - started
            land_s += time.perf_counter() - replayed
            origins = replay.articles.group_by("text_origin").len().iter_rows()
            totals.update({f"origin_{origin}": n for origin, n in origins})
            totals["articles_replayed"] += replay.articles.height
            totals["articles_landed"] += articles.inserted
            totals["fetches_landed"] += fetches.inserted
            totals["feeds"] += replay.fetches.filter(pl.col("kind") == "feed").height
            totals["problems"] += replay.problems.height
            totals["feeds_parsed"] += replay.feeds_parsed
            totals["feeds_cached"] += replay.feeds_cached
            if index % 20 == 0 or index == len(days) - 1:
                landed = totals["articles_landed"]
                progress(f"replayed {index + 1}/{len(days)} days, {landed:,} landed")
        closing = time.perf_counter()
    land_s += time.perf_counter() - closing
    return {**totals, "days": len(days), "replay_s": replay_s, "land_s": land_s}


# -- extraction ----------------------------------------------------------------------------------


def stage_extract() -> dict[str, Any]:
    """Extract every pending article version, as ``extract_mentions`` does."""
    import pipelines.extract as extract
    from pipelines.defs.extraction.runner import extract_pending
    from pipelines.warehouse import db

    settings = settings_module.load()

    def report(summary) -> None:
        progress(f"extracted {summary.articles_read:,}/{summary.pending:,} on {summary.workers}")

    summary = extract_pending(
        db.connection,
        extract.EXTRACTOR_VERSION,
        datetime.now(UTC),
        workers=settings.extract_workers,
        batch_size=settings.extract_batch_size,
        parallel_min=settings.extract_parallel_min,
        on_batch=report,
    )
    return {
        "pending": summary.pending,
        "articles_read": summary.articles_read,
        "articles_failed": summary.articles_failed,
        "workers": summary.workers,
        "batches": summary.batches,
        "warnings": len(summary.warnings),
        "rows": {table: r.inserted for table, r in summary.results.items()},
    }


# -- dbt -----------------------------------------------------------------------------------------


def dbt_command(*args: str, target_path: Path) -> list[str]:
    """The dbt CLI of this environment on the project, with its own target folder."""
    project = settings_module.load().dbt_project_dir
    executable = Path(sys.executable).parent / "dbt"
    return [
        str(executable),
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target_path),
    ]


def stage_dbt(target_path: Path, threads: int | None) -> dict[str, Any]:
    """``dbt build`` (seeds, models, tests) on the warehouse; per-node times from run_results."""
    extra = ["--threads", str(threads)] if threads else []
    env = {**os.environ, "DBT_LOG_PATH": str(target_path / "logs")}
    started = time.perf_counter()
    done = subprocess.run(
        dbt_command("build", *extra, target_path=target_path),
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        progress(done.stdout[-4000:])
    results = json.loads((target_path / "run_results.json").read_text("utf-8"))
    nodes = [
        {
            "id": r["unique_id"],
            "status": r["status"],
            "seconds": r["execution_time"],
        }
        for r in results["results"]
    ]
    return {
        "returncode": done.returncode,
        "seconds": seconds,
        "node_seconds": sum(n["seconds"] for n in nodes),
        "nodes": nodes,
        "failed": [n["id"] for n in nodes if n["status"] not in ("success", "pass")],
    }


# -- publish and analyst queries -------------------------------------------------------------------


def stage_publish() -> dict[str, Any]:
    """Copy the warehouse to the analyst file, as ``analyst_database`` does."""
    from pipelines.warehouse.publish import publish

    result = publish()
    return {
        "size_bytes": result.size_bytes,
        "warehouse_bytes": settings_module.load().warehouse_path.stat().st_size,
        "marts": {k: v for k, v in result.row_counts.items() if k.startswith("marts.")},
        "raw": {k: v for k, v in result.row_counts.items() if k.startswith("raw.")},
    }


QUERIES = {
    "attacks by week x country": """
        select
            date_trunc('week', start_date) as week_start,
            country_code,
            count(*) as attacks,
            sum(killed_best) as killed
        from marts.fct_attacks
        where start_date is not null
        group by all
        order by week_start, country_code
    """,
    "casualties by perpetrator": """
        select
            coalesce(perpetrator_name, 'unknown') as perpetrator,
            perpetrator_status,
            count(*) as attacks,
            sum(killed_best) as killed,
            sum(wounded_best) as wounded
        from marts.fct_attacks
        group by all
        order by killed desc nulls last
        limit 25
    """,
    "killed by victim group and country": """
        select
            attacks.country_code,
            casualties.victim_group,
            count(distinct attacks.event_id) as attacks,
            sum(casualties.best_count) as killed
        from marts.fct_casualties as casualties
        inner join marts.fct_attacks as attacks
            on casualties.event_id = attacks.event_id
        where casualties.casualty_status = 'killed' and not casualties.is_total
        group by all
        order by killed desc nulls last
        limit 50
    """,
    "latest events with evidence": """
        with latest as (
            select * from marts.fct_attacks
            order by last_reported_at desc, event_id
            limit 20
        )
        select
            latest.event_id,
            latest.start_date,
            latest.country_code,
            latest.place_name,
            latest.attack_type,
            latest.killed_best,
            reports.source_id,
            reports.article_url,
            evidence.evidence_field,
            evidence.quoted_text,
            evidence.sentence_text
        from latest
        inner join marts.fct_event_reports as reports
            on latest.event_id = reports.event_id
        left join staging.stg_raw__evidence as evidence
            on reports.mention_id = evidence.mention_id
        order by latest.last_reported_at desc, latest.event_id, reports.mention_id
    """,
    "one country's month, by place": """
        select
            place_name,
            attack_type,
            count(*) as attacks,
            sum(killed_best) as killed,
            max(source_count) as most_sources
        from marts.fct_attacks
        where
            country_code = (select mode(country_code) from marts.fct_attacks)
            and start_date >= (select max(start_date) - interval 30 day from marts.fct_attacks)
        group by all
        order by attacks desc
        limit 50
    """,
    "claims and blame by actor": """
        select
            coalesce(actor_name, 'unnamed') as actor,
            attribution_type,
            count(*) as statements,
            sum(source_count) as reports
        from marts.fct_attributions
        group by all
        order by statements desc
        limit 30
    """,
}


def stage_queries(repeat: int) -> dict[str, Any]:
    """Time the typical analyst queries on the analyst copy (a fresh read-only session)."""
    import duckdb

    from pipelines.warehouse.db import SESSION_SQL

    path = settings_module.load().analyst_path
    timings = {}
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute(SESSION_SQL)
        for name, sql in QUERIES.items():
            runs, rows = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                runs.append((time.perf_counter() - started) * 1000)
            timings[name] = {
                "first_ms": runs[0],
                "median_ms": statistics.median(runs),
                "max_ms": max(runs),
                "rows": rows,
            }
    finally:
        con.close()
    return {"queries": timings}


# -- where dbt's time goes: event resolution pairs -------------------------------------------------


def _compiled(target_path: Path, model: str) -> str:
    found = list((target_path / "compiled").rglob(f"{model}.sql"))
    if not found:
        raise FileNotFoundError(f"{target_path}: no compiled {model}.sql; run the dbt stage first")
    return found[0].read_text("utf-8")


def _timed(con, sql: str) -> tuple[float, Any]:
    started = time.perf_counter()
    value = con.execute(sql).fetchone()[0]
    return time.perf_counter() - started, value


def stage_pairs(target_path: Path) -> dict[str, Any]:
    """Count the pair candidates event resolution compares, and time the model against a
    date-blocked rewrite that must return exactly the same pairs."""
    import duckdb

    path = settings_module.load().warehouse_path
    current = _compiled(target_path, "int_mention_pairs__compatible")
    blocked = (SQL_DIR / "int_mention_pairs__blocked.sql").read_text("utf-8")
    con = duckdb.connect(str(path), read_only=True)
    try:
        counts = con.execute((SQL_DIR / "pair_counts.sql").read_text("utf-8")).fetchone()
        names = ("incidents", "countries", "max_per_country", "same_country_pairs", "candidates")
        result: dict[str, Any] = dict(zip(names, counts, strict=True))
        result["current_s"], result["pairs"] = _timed(con, f"select count(*) from ({current})")
        result["blocked_s"], result["blocked_pairs"] = _timed(
            con, f"select count(*) from ({blocked})"
        )
        key = "mention_id, candidate_mention_id, match_rule"
        result["difference"] = con.execute(
            f"select count(*) from ((select {key} from ({current}) except all "
            f"select {key} from ({blocked})) union all (select {key} from ({blocked}) "
            f"except all select {key} from ({current})))"
        ).fetchone()[0]
        plan = "\n".join(row[1] for row in con.execute(f"explain {current}").fetchall())
        # Operator boxes read "╭─ Hash Join ─...╮" (older versions: "HASH_JOIN").
        operators = re.findall(r"─ ([A-Za-z ]*Join) ─|([A-Z_]*JOIN)", plan)
        result["join_operators"] = sorted({a or b for a, b in operators})
        walk = con.execute(
            "select max(link_depth), sum(link_depth + 1), count(*) "
            "from intermediate.int_events__merge_log where event_id is not null"
        ).fetchone()
        result["max_link_depth"], result["walk_rows"], result["logged_incidents"] = walk
    finally:
        con.close()
    return result


# -- page text: HTML -> text, cold -----------------------------------------------------------------


def _f1(truth: str, found: str | None) -> float:
    truth_tokens, found_tokens = Counter(truth.split()), Counter((found or "").split())
    common = sum((truth_tokens & found_tokens).values())
    if not common:
        return 0.0
    precision = common / sum(found_tokens.values())
    recall = common / sum(truth_tokens.values())
    return 2 * precision * recall / (precision + recall)


def stage_page_text(data: Path, days: list[date], engine: str) -> dict[str, Any]:
    """Replay ``days`` with an empty text cache (every page through the engine), then again
    warm; the difference is the HTML -> text stage. Texts are compared with the stories."""
    from pipelines.ingest.collect import replay_day
    from pipelines.ingest.pages import engine_version
    from pipelines.ingest.rawstore import RawStore

    source = data / "raw" / "landed"
    with tempfile.TemporaryDirectory(prefix="bench-page-text-") as tmp:
        landed = Path(tmp) / "raw" / "landed"
        landed.mkdir(parents=True)
        for day_dir in source.iterdir():
            if day_dir.is_dir() and day_dir.name != "texts":
                (landed / day_dir.name).symlink_to(day_dir, target_is_directory=True)
        settings = replace(
            settings_module.load(), raw_dir=Path(tmp) / "raw", page_text_engine=engine
        )
        store = RawStore(settings.landed_dir)
        timings, cpu = {}, {}
        for label in ("cold", "warm"):
            started, cpu_started = time.perf_counter(), time.process_time()
            articles = sum(
                replay_day(d, settings=settings, store=store).articles.height for d in days
            )
            timings[label] = time.perf_counter() - started
            cpu[label] = time.process_time() - cpu_started
        written = sorted((landed / "texts" / engine_version(engine)).glob("*/*.txt.gz"))
        truth_dir = source / "texts"
        truths = [next(iter(truth_dir.glob(f"*/{p.parent.name}/{p.name}")), None) for p in written]
        scores = [
            _f1(gzip.decompress(t.read_bytes()).decode(), gzip.decompress(p.read_bytes()).decode())
            for p, t in zip(written, truths, strict=True)
            if t is not None
        ]
        identical = sum(
            t is not None and gzip.decompress(t.read_bytes()) == gzip.decompress(p.read_bytes())
            for p, t in zip(written, truths, strict=True)
        )
        shutil.rmtree(landed / "texts", ignore_errors=True)
    pages = len(written)
    extract_s = max(timings["cold"] - timings["warm"], 1e-9)
    return {
        "engine": engine,
        "days": len(days),
        "articles": articles,
        "pages": pages,
        "cold_s": timings["cold"],
        "warm_s": timings["warm"],
        "pages_per_s": pages / extract_s,
        "cold_cpu_s": cpu["cold"],
        "warm_cpu_s": cpu["warm"],
        "pages_per_cpu_s": pages / max(cpu["cold"] - cpu["warm"], 1e-9),
        "share_of_cold_replay": extract_s / timings["cold"],
        "identical": identical,
        "compared": len(scores),
        "mean_f1": statistics.fmean(scores) if scores else None,
    }


# -- the whole incremental run through Dagster -----------------------------------------------------


def stage_dagster(day: str) -> dict[str, Any]:
    """Run the ``rebuild_from_raw`` job for one fetch day in process, as `make run` does."""
    import dagster as dg

    from pipelines.defs.automation import REBUILD_JOB
    from pipelines.defs.instance import ensure_dagster_home

    settings = settings_module.load()
    ensure_dagster_home(settings.dagster_home)
    started = time.perf_counter()
    from pipelines.definitions import defs

    job = defs().resolve_job_def(REBUILD_JOB)
    loaded = time.perf_counter() - started
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, partition_key=day, raise_on_error=False)
        steps: dict[str, dict[str, float]] = {}
        for entry in instance.all_logs(result.run_id):
            event = entry.dagster_event
            if event is None or event.step_key is None:
                continue
            step = steps.setdefault(event.step_key, {})
            if event.event_type_value == "STEP_START":
                step["start"] = entry.timestamp
            elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
                step["end"] = entry.timestamp
    return {
        "success": result.success,
        "load_s": loaded,
        "run_s": time.perf_counter() - started - loaded,
        "steps": {k: v["end"] - v["start"] for k, v in steps.items() if {"start", "end"} <= set(v)},
    }


# -- command line ----------------------------------------------------------------------------------


def _days(text: str) -> list[date]:
    return [date.fromisoformat(d) for d in text.split(",") if d]


def main(argv: list[str] | None = None) -> int:
    """Entry point: one stage per call."""
    parser = argparse.ArgumentParser(prog="python -m bench.stages", description=__doc__)
    commands = parser.add_subparsers(dest="stage", required=True)
    replay = commands.add_parser("replay")
    replay.add_argument("--days", required=True, help="comma-separated fetch days")
    replay.add_argument("--cold-feeds", action="store_true", help="with an empty parsed-feed cache")
    commands.add_parser("extract")
    dbt = commands.add_parser("dbt")
    dbt.add_argument("--target-path", type=Path, required=True)
    dbt.add_argument("--threads", type=int)
    commands.add_parser("publish")
    queries = commands.add_parser("queries")
    queries.add_argument("--repeat", type=int, default=5)
    pairs = commands.add_parser("pairs")
    pairs.add_argument("--target-path", type=Path, required=True)
    page = commands.add_parser("page-text")
    page.add_argument("--data", type=Path, required=True)
    page.add_argument("--days", required=True)
    page.add_argument("--engine", default="trafilatura")
    dagster = commands.add_parser("dagster")
    dagster.add_argument("--day", required=True)
    args = parser.parse_args(argv)
    if args.stage == "replay":
        result = stage_replay(_days(args.days), cold_feeds=args.cold_feeds)
    elif args.stage == "extract":
        result = stage_extract()
    elif args.stage == "dbt":
        result = stage_dbt(args.target_path, args.threads)
    elif args.stage == "publish":
        result = stage_publish()
    elif args.stage == "queries":
        result = stage_queries(args.repeat)
    elif args.stage == "pairs":
        result = stage_pairs(args.target_path)
    elif args.stage == "page-text":
        result = stage_page_text(args.data, _days(args.days), args.engine)
    else:
        result = stage_dagster(args.day)
    emit(result)
    return 0 if result.get("returncode", 0) == 0 and result.get("success", True) else 1


if __name__ == "__main__":
    sys.exit(main())
