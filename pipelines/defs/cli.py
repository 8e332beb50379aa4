"""Command line for make: ``python -m pipelines.defs.cli {init-home,run,rebuild,report,summary}``.

``run`` materialises every asset in this process for today's partition (the ``poll_feeds``
job), records the run in DAGSTER_HOME so the UI shows it, and prints where the analyst
database is, the marts' row counts and a query to paste into ``duckdb``. ``rebuild`` runs
``rebuild_from_raw`` over every fetch day stored in raw/ as one backfill run (no network).
``report`` rebuilds the HTML report from the current analyst copy. Runs whose process died
are marked failed first, so they never hold the warehouse pool.
"""

from __future__ import annotations

import argparse
import os
import sys

import dagster as dg
import duckdb

from pipelines import settings as settings_module
from pipelines.defs.automation import POLL_JOB, REBUILD_JOB
from pipelines.defs.instance import ensure_dagster_home
from pipelines.defs.partitions import FIRST_FETCH_DAY, today_key
from pipelines.defs.recovery import recover_dead_runs
from pipelines.ingest.rawstore import RawStore

# Dagster's run tags for a run over a range of partitions (a single-run backfill).
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"

EXAMPLE_QUERY = (
    "select start_date, country_code, place_name, attack_type, killed_best, wounded_best, "
    "source_count from marts.fct_attacks order by start_date desc, event_id limit 20;"
)


def init_home() -> int:
    """Create DAGSTER_HOME and its dagster.yaml if missing."""
    settings = settings_module.load()
    config = ensure_dagster_home(settings.dagster_home)
    print(f"DAGSTER_HOME={settings.dagster_home} ({config.name} ready)")
    return 0


def run(partition_key: str | None = None) -> int:
    """Materialise every asset for one fetch day (default today) in this process."""
    key = partition_key or today_key()
    return _execute(POLL_JOB, partition_key=key)


def stored_days(settings: settings_module.Settings) -> list[str]:
    """Every fetch day in raw/landed that is a partition (from FIRST_FETCH_DAY to today)."""
    last = today_key()
    days = [day.isoformat() for day in RawStore(settings.landed_dir).days()]
    return [day for day in days if FIRST_FETCH_DAY <= day <= last]


def rebuild(first: str | None = None, last: str | None = None) -> int:
    """Replay raw/ for every stored day (or first..last) and rebuild everything after the fetch."""
    settings = settings_module.load()
    days = [
        d for d in stored_days(settings) if (not first or d >= first) and (not last or d <= last)
    ]
    if not days:
        print(
            f"nothing to rebuild: no fetch day in {settings.landed_dir} "
            f"between {first or FIRST_FETCH_DAY} and {last or today_key()}",
            file=sys.stderr,
        )
        return 1
    first, last = days[0], days[-1]
    print(f"rebuilding from raw/: {len(days)} stored day(s), {first} to {last}, in one run")
    return _execute(REBUILD_JOB, tags={RANGE_START_TAG: first, RANGE_END_TAG: last})


def _execute(
    job_name: str, *, partition_key: str | None = None, tags: dict[str, str] | None = None
) -> int:
    """Run a job in this process against DAGSTER_HOME, after failing runs whose process died."""
    from pipelines.definitions import defs

    settings = settings_module.load()
    ensure_dagster_home(settings.dagster_home)
    os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    job = defs().resolve_job_def(job_name)
    with dg.DagsterInstance.get() as instance:
        recovered = recover_dead_runs(instance)
        for run_id in recovered.failed_runs:
            print(f"run {run_id}: its process is gone; marked failed", file=sys.stderr)
        result = job.execute_in_process(
            instance=instance, partition_key=partition_key, tags=tags, raise_on_error=False
        )
    if not result.success:
        print(f"run {result.run_id} failed; see the log above or `make ui`", file=sys.stderr)
        return 1
    print_summary(settings)
    return 0


def report() -> int:
    """Rebuild the HTML report from the current analyst copy."""
    from pipelines.report.build import build_report

    settings = settings_module.load()
    result = build_report(settings.analyst_path, settings.reports_dir)
    print(f"report ({result.status}, {result.attacks} attacks): {result.path.as_uri()}")
    return 0


def mart_row_counts(path: os.PathLike[str] | str) -> list[tuple[str, int]]:
    """Row counts of every table in the marts schema of a DuckDB file (read-only)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
        return [
            (name, con.execute(f'select count(*) from marts."{name}"').fetchone()[0])
            for (name,) in tables
        ]
    finally:
        con.close()


def print_summary(settings: settings_module.Settings) -> None:
    """Where the analyst copy is, what the marts hold, and a query to try."""
    path = settings.analyst_path
    if not path.exists():
        print(f"\nNo analyst database at {path} yet.")
        return
    print(f"\nAnalyst database: {path}")
    print("Marts (rows):")
    for name, count in mart_row_counts(path):
        print(f"  marts.{name:<28} {count:>8}")
    print("\nTry (DuckDB CLI, read-only so the next publish is never blocked):")
    print(f'  duckdb -readonly "{path}" "{EXAMPLE_QUERY}"')
    report_file = settings.reports_dir / "conflict_report.html"
    if report_file.exists():
        print(f"\nReport: {report_file.as_uri()}")


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.defs.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-home", help="create DAGSTER_HOME/dagster.yaml if missing")
    run_parser = commands.add_parser("run", help="materialise every asset for one fetch day")
    run_parser.add_argument("--partition", help="fetch day YYYY-MM-DD (default: today, UTC)")
    rebuild_parser = commands.add_parser(
        "rebuild", help="replay every fetch day stored in raw/ (one backfill run, no network)"
    )
    rebuild_parser.add_argument("--from", dest="first", help="first fetch day (YYYY-MM-DD)")
    rebuild_parser.add_argument("--to", dest="last", help="last fetch day (YYYY-MM-DD)")
    commands.add_parser("report", help="rebuild the HTML report from the analyst database")
    commands.add_parser("summary", help="print the analyst database's marts")
    args = parser.parse_args(argv)
    if args.command == "init-home":
        return init_home()
    if args.command == "summary":
        print_summary(settings_module.load())
        return 0
    if args.command == "report":
        return report()
    if args.command == "rebuild":
        return rebuild(args.first, args.last)
    return run(args.partition)


if __name__ == "__main__":
    sys.exit(main())
