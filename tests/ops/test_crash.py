"""Crash safety: a run SIGKILLed while loading or while dbt builds leaves nothing half-done.

The runs are `make rebuild` over the three fetch days `operated_days` stored, each in a
child process (its own process group, so dbt dies with it, as on a power cut or an
out-of-memory kill). The first is killed inside the landing transaction, the next one in the
middle of `dbt build`; each following run marks the dead one failed and takes back its slot
in the warehouse pool, and the last (in the test's process) completes. It must leave the
raw rows and marts of the uninterrupted rebuild `operated_days` made: no lost article, no
duplicate row.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs import cli
from pipelines.settings import Settings

from .conftest import OperatedDays
from .helpers import ChildProcess, comparable_marts, raw_state

pytestmark = pytest.mark.e2e

RUN_TIMEOUT_S = 300


def start_run(tmp_path: Path, name: str, *extra: str) -> ChildProcess:
    return ChildProcess(["-m", "tests.ops.crash_run", *extra], os.environ, tmp_path / f"{name}.log")


def committed_rows(settings: Settings, table: str) -> int:
    """Rows of a table that a new connection sees (0 when the table does not exist)."""
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        schema, name = table.split(".")
        found = con.execute(
            "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?",
            [schema, name],
        ).fetchone()[0]
        return con.execute(f"select count(*) from {table}").fetchone()[0] if found else 0
    finally:
        con.close()


def the_dead_run(settings: Settings) -> str:
    """The killed run: it still looks alive and holds the pool's slot; nothing published."""
    assert not settings.analyst_path.exists(), "a killed run must not publish"
    with dg.DagsterInstance.get() as instance:
        dead = instance.get_runs(limit=1)[0]
        assert dead.status == dg.DagsterRunStatus.STARTED
        assert instance.event_log_storage.get_concurrency_run_ids() == {dead.run_id}
    return dead.run_id


def is_dbt_building_intermediate(run: ChildProcess) -> bool:
    # dbt has built the staging views and at least one intermediate table; marts are next.
    return run.saw("ASSET_MATERIALIZATION - Materialized value intermediate")


def recovered(run: ChildProcess, run_id: str) -> bool:
    return run.saw(f"run {run_id}: its process is gone; marked failed")


def test_runs_killed_while_loading_and_while_dbt_builds_are_recovered_by_the_next_run(
    stored_env: Settings,
    operated_days: OperatedDays,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
):
    settings = stored_env
    assert not settings.warehouse_path.exists()

    # Killed with the first day's raw.fetches and raw.articles written, not committed.
    marker = tmp_path / "inside-the-transaction"
    loading = start_run(
        tmp_path, "killed-loading", "--pause-in", "raw.articles", "--marker", str(marker)
    )
    try:
        loading.wait_for(marker.exists, RUN_TIMEOUT_S, "the pause inside the landing transaction")
    finally:
        loading.close()
    killed_loading = the_dead_run(settings)
    assert committed_rows(settings, "raw.articles") == 0

    # The next run fails the dead one, lands every day, and is killed in the middle of dbt.
    building = start_run(tmp_path, "killed-dbt")
    try:
        building.wait_for(
            lambda: is_dbt_building_intermediate(building), RUN_TIMEOUT_S, "dbt building"
        )
    finally:
        building.close()
    assert recovered(building, killed_loading)
    killed_dbt = the_dead_run(settings)
    assert committed_rows(settings, "raw.articles") == len(operated_days.rebuilt_articles)

    # The run after that completes (`make rebuild` again, in this process this time).
    assert cli.main(["rebuild"]) == 0
    assert f"run {killed_dbt}: its process is gone; marked failed" in capsys.readouterr().err
    with dg.DagsterInstance.get() as instance:
        for run_id in (killed_loading, killed_dbt):
            assert instance.get_run_by_id(run_id).status == dg.DagsterRunStatus.FAILURE
        assert not instance.event_log_storage.get_concurrency_run_ids()

    # What an uninterrupted rebuild of the same days left: no lost or duplicated row.
    assert raw_state(settings) == operated_days.rebuilt_raw
    assert comparable_marts(settings.analyst_path) == operated_days.rebuilt
