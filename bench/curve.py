"""Event resolution's pair search past the measured sizes: the mentions of a built warehouse
copied k times, as a longer history (each copy shifted by the history's span) or as more
feeds over the same days (copies on the same dates), then the model's query and the
date-blocked rewrite timed on each.

    uv run python -m bench.curve --target-path .cache/bench/dbt-target --factors 1,2,5,10

Reads the warehouse named by the environment (``PIPELINES_WAREHOUSE_DIR``) and the compiled
model under ``--target-path``; writes nothing there (the copies live in a scratch DuckDB
file). A query that runs longer than ``--timeout`` seconds is interrupted and reported as
such.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import duckdb

from bench.measure import RESULT_PREFIX
from bench.stages import SQL_DIR, _compiled
from pipelines import settings as settings_module

COPY_SQL = """
create or replace table intermediate.int_event_mentions__current as
with

source as (
    select * from pipeline_db.intermediate.int_event_mentions__current
),

span as (
    select
        datediff('day', min(start_date), max(start_date)) + 1 as days,
        max(anchor_rank) as ranks
    from source
)

select
    * replace (
        source.mention_id || '#' || copies.copy as mention_id,
        source.article_id || '#' || copies.copy as article_id,
        source.anchor_rank + copies.copy * span.ranks as anchor_rank,
        source.start_date + cast(copies.copy * span.days * ? as integer) as start_date,
        source.end_date + cast(copies.copy * span.days * ? as integer) as end_date
    )
from source
cross join span
cross join range(?) as copies (copy)
"""


def _timed(con: duckdb.DuckDBPyConnection, sql: str, timeout: float) -> tuple[float | None, int]:
    timer = threading.Timer(timeout, con.interrupt)
    timer.start()
    started = time.perf_counter()
    try:
        count = con.execute(f"select count(*) from ({sql})").fetchone()[0]
    except duckdb.InterruptException:
        return None, -1
    finally:
        timer.cancel()
    return time.perf_counter() - started, count


def curve(target_path: Path, factors: list[int], mode: str, timeout: float) -> list[dict[str, Any]]:
    """One row per factor: mentions, and the model's and the rewrite's time and pair count."""
    source = settings_module.load().warehouse_path
    current = _compiled(target_path, "int_mention_pairs__compatible")
    blocked = (SQL_DIR / "int_mention_pairs__blocked.sql").read_text("utf-8")
    shift = 1 if mode == "history" else 0
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-curve-") as tmp:
        # The compiled model names the catalog after the file: give the scratch file that name.
        con = duckdb.connect(str(Path(tmp) / settings_module.WAREHOUSE_FILE_NAME))
        try:
            con.execute(f"attach '{source}' as pipeline_db (read_only)")
            con.execute("create schema intermediate")
            con.execute("create schema seeds")
            con.execute(
                "create table seeds.attack_type_compatibility as "
                "select * from pipeline_db.seeds.attack_type_compatibility"
            )
            for factor in factors:
                con.execute(COPY_SQL, [shift, shift, factor])
                mentions = con.execute(
                    "select count(*) from intermediate.int_event_mentions__current "
                    "where mention_kind = 'incident'"
                ).fetchone()[0]
                current_s, pairs = _timed(con, current, timeout)
                blocked_s, blocked_pairs = _timed(con, blocked, timeout)
                row = {
                    "factor": factor,
                    "mode": mode,
                    "incident_mentions": mentions,
                    "current_s": current_s,
                    "pairs": pairs,
                    "blocked_s": blocked_s,
                    "blocked_pairs": blocked_pairs,
                }
                print(json.dumps(row), file=sys.stderr, flush=True)
                rows.append(row)
        finally:
            con.close()
    return rows


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.curve", description=__doc__)
    parser.add_argument("--target-path", type=Path, required=True)
    parser.add_argument("--factors", default="1,2,5,10")
    parser.add_argument("--modes", default="history,density")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)
    factors = [int(f) for f in args.factors.split(",")]
    rows = []
    for mode in args.modes.split(","):
        rows += curve(args.target_path, factors, mode, args.timeout)
    print(RESULT_PREFIX + json.dumps({"curve": rows}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
