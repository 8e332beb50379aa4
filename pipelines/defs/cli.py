"""Command line for make: ``python -m pipelines.defs.cli {init-home,run}``.

``run`` materialises every asset in this process for today's partition (the ``poll_feeds``
job), records the run in DAGSTER_HOME so the UI shows it, and prints where the analyst
database is, the marts' row counts and a query to paste into ``duckdb``.
"""

from __future__ import annotations

import argparse
import os
import sys

import dagster as dg
import duckdb

from pipelines import settings as settings_module
from pipelines.defs.automation import POLL_JOB
from pipelines.defs.instance import ensure_dagster_home
from pipelines.defs.partitions import today_key

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
    from pipelines.definitions import defs

    settings = settings_module.load()
    ensure_dagster_home(settings.dagster_home)
    os.environ.setdefault("DAGSTER_HOME", str(settings.dagster_home))
    key = partition_key or today_key()
    job = defs().resolve_job_def(POLL_JOB)
    with dg.DagsterInstance.get() as instance:
        result = job.execute_in_process(instance=instance, partition_key=key, raise_on_error=False)
    if not result.success:
        print(f"run {result.run_id} failed; see the log above or `make ui`", file=sys.stderr)
        return 1
    print_summary(settings)
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
    print(f"\nAnalyst database: {path}")
    print("Marts (rows):")
    for name, count in mart_row_counts(path):
        print(f"  marts.{name:<28} {count:>8}")
    print("\nTry (DuckDB CLI, read-only so the next publish is never blocked):")
    print(f'  duckdb -readonly "{path}" "{EXAMPLE_QUERY}"')


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.defs.cli", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("init-home", help="create DAGSTER_HOME/dagster.yaml if missing")
    run_parser = commands.add_parser("run", help="materialise every asset for one fetch day")
    run_parser.add_argument("--partition", help="fetch day YYYY-MM-DD (default: today, UTC)")
    summary = commands.add_parser("summary", help="print the analyst database's marts")
    summary.set_defaults()
    args = parser.parse_args(argv)
    if args.command == "init-home":
        return init_home()
    if args.command == "summary":
        print_summary(settings_module.load())
        return 0
    return run(args.partition)


if __name__ == "__main__":
    sys.exit(main())
