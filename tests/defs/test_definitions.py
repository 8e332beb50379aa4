"""The Dagster definitions load, and the asset graph is one connected lineage."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime

import dagster as dg
import pytest
import yaml
from dagster._core.execution.api import create_execution_plan

from pipelines.defs import build_definitions, keys
from pipelines.defs.automation import POLL_JOB, REBUILD_JOB
from pipelines.defs.instance import ensure_dagster_home
from pipelines.defs.resources import WAREHOUSE_POOL

RAW_TABLE_KEYS = [
    keys.RAW_FETCHES,
    keys.RAW_ARTICLES,
    keys.RAW_EXTRACTIONS,
    keys.RAW_EVENT_MENTIONS,
    keys.RAW_CASUALTY_FIGURES,
    keys.RAW_ATTRIBUTIONS,
    keys.RAW_EVIDENCE,
]


@pytest.fixture(scope="module")
def defs(dbt_session) -> dg.Definitions:
    return build_definitions()


@pytest.fixture(scope="module")
def graph(defs):
    return defs.resolve_asset_graph()


def test_importing_the_code_location_does_no_work():
    # Nothing at import time: not even the dbt integration (which reads the manifest).
    code = (
        "import sys, pipelines.definitions; "
        "assert 'dagster_dbt' not in sys.modules, 'dagster_dbt imported at import time'; "
        "assert 'duckdb' not in sys.modules, 'duckdb imported at import time'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_raw_table_is_a_materialisable_python_asset_upstream_of_staging(graph):
    for key in RAW_TABLE_KEYS:
        node = graph.get(key)
        assert node.is_materializable, f"{key} is not produced by a Python asset"
        staging = [c for c in node.child_keys if c.path[0] == "staging"]
        assert staging, f"no staging model reads {key.to_user_string()}"


def test_data_flows_from_the_fetch_and_the_lookup_seeds_only(graph):
    roots = {key for key in graph.get_all_asset_keys() if not graph.get(key).parent_keys}
    # dim_dates is a generated calendar; seeds are dictionaries; all data starts at the fetch.
    assert {key.to_user_string() for key in roots} == {
        "fetched_payloads",
        "marts/dim_dates",
        "seeds/actors",
        "seeds/attack_type_compatibility",
        "seeds/attack_type_crosswalk",
    }
    fact_keys = {key for key in graph.get_all_asset_keys() if key.path[-1].startswith("fct_")}
    reached = dg.AssetSelection.assets(keys.FETCHED_PAYLOADS).downstream().resolve(graph)
    assert fact_keys <= reached


def test_publish_is_downstream_of_every_mart_and_last(graph):
    marts = {key for key in graph.get_all_asset_keys() if key.path[0] == "marts"}
    assert {
        "fct_attacks",
        "fct_casualties",
        "fct_attributions",
        "fct_aggregate_statements",
        "dim_actors",
        "dim_locations",
        "dim_sources",
        "dim_dates",
    } <= {key.path[-1] for key in marts}
    assert marts <= graph.get(keys.ANALYST_DATABASE).parent_keys
    # Only the report reads the published copy, and nothing comes after it.
    assert graph.get(keys.ANALYST_DATABASE).child_keys == {keys.ANALYST_REPORT}
    assert not graph.get(keys.ANALYST_REPORT).child_keys


def test_no_asset_is_an_orphan(graph):
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.parent_keys or node.child_keys, f"{key.to_user_string()} is disconnected"
        assert node.is_materializable, f"{key.to_user_string()} is an external stub"


def test_dbt_tests_are_asset_checks_source_tests_included(graph):
    checked = {check.asset_key for check in graph.asset_check_keys}
    assert keys.RAW_ARTICLES in checked and keys.RAW_EVENT_MENTIONS in checked
    assert dg.AssetKey(["marts", "fct_attacks"]) in checked


def test_one_dbt_step_per_run(defs):
    # Blocking checks on raw tables run by the dbt step would split dbt into several steps
    # (each a dbt invocation, with tests run against half-built marts).
    plan = create_execution_plan(defs.resolve_job_def(POLL_JOB))
    steps = [step.key for step in plan.get_all_steps_in_topo_order()]
    assert steps == [
        "fetched_payloads",
        "land_articles",
        "extract_mentions",
        "warehouse_dbt",
        "analyst_database",
        "analyst_report",
    ]


def test_every_writing_asset_is_in_the_warehouse_pool(defs):
    for assets_def in defs.assets:
        for key in assets_def.keys:
            assert assets_def.get_op_def_for_asset_key(key).pool == WAREHOUSE_POOL, key


def test_jobs_and_schedule(defs, monkeypatch):
    assert defs.resolve_job_def(POLL_JOB).partitions_def is not None
    rebuild = defs.resolve_job_def(REBUILD_JOB)
    assert keys.FETCHED_PAYLOADS not in rebuild.asset_layer.executable_asset_keys
    assert keys.ANALYST_DATABASE in rebuild.asset_layer.executable_asset_keys
    assert keys.ANALYST_REPORT in rebuild.asset_layer.executable_asset_keys
    # A backfill over many days (the UI's, or `make rebuild`) is one run, not one per day.
    for job in (defs.resolve_job_def(POLL_JOB), rebuild):
        assert job.backfill_policy == dg.BackfillPolicy.single_run()
    schedule = defs.resolve_schedule_def("poll_feeds_schedule")
    assert schedule.cron_schedule == "0 * * * *"
    assert schedule.execution_timezone == "UTC"
    # Nothing polls until someone turns the schedule on; dead runs are always swept.
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    sweeper = defs.resolve_sensor_def("dead_run_sensor")
    assert sweeper.default_status == dg.DefaultSensorStatus.RUNNING
    when = datetime(2026, 11, 20, 13, tzinfo=UTC)
    with dg.build_schedule_context(
        scheduled_execution_time=when, repository_def=defs.get_repository_def()
    ) as context:
        request = schedule.evaluate_tick(context).run_requests[0]
    assert request.partition_key == "2026-11-20"


def test_the_poll_cron_comes_from_settings(dbt_session, monkeypatch):
    monkeypatch.setenv("PIPELINES_POLL_CRON", "*/15 * * * *")
    schedule = build_definitions().resolve_schedule_def("poll_feeds_schedule")
    assert schedule.cron_schedule == "*/15 * * * *"


def test_dagster_home_gets_a_quiet_single_writer_instance(tmp_path, monkeypatch):
    config = ensure_dagster_home(tmp_path / "home")
    document = yaml.safe_load(config.read_text())
    assert document["telemetry"] == {"enabled": False}
    assert document["concurrency"]["runs"]["max_concurrent_runs"] == 1
    assert document["concurrency"]["pools"]["default_limit"] == 1
    config.write_text(config.read_text() + "# edited by hand\n")
    ensure_dagster_home(tmp_path / "home")
    assert config.read_text().endswith("# edited by hand\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "home"))
    with dg.DagsterInstance.get() as instance:
        concurrency = instance.get_concurrency_config()
    assert concurrency.run_queue_config.max_concurrent_runs == 1
    assert concurrency.pool_config.default_pool_limit == 1
