"""Runs whose process died are marked failed and give back their pool slot; live ones are not
touched (the sensor the daemon runs, and what `make run` does first)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
from dagster._core.events import EngineEventData

from pipelines.defs.recovery import dead_run_sensor, recover_dead_runs
from pipelines.defs.resources import WAREHOUSE_POOL


def dead_pid() -> int:
    """The pid of a process that has exited."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def started_run(instance: dg.DagsterInstance, pid: int) -> dg.DagsterRun:
    """A run recorded as started by a worker process ``pid``, holding the warehouse slot."""
    run = instance.run_storage.add_run(
        dg.DagsterRun(job_name="poll_feeds", status=dg.DagsterRunStatus.STARTED)
    )
    # What the in-process executor records when it starts the run's steps.
    instance.report_engine_event(
        f"Executing steps in process (pid: {pid})", run, EngineEventData.in_process(pid)
    )
    claim = instance.event_log_storage.claim_concurrency_slot(
        WAREHOUSE_POOL, run.run_id, "land_articles"
    )
    assert claim.is_claimed
    return run


def test_a_dead_run_is_failed_and_frees_the_pool_while_a_live_one_is_kept(tmp_path: Path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, 2)
        dead = started_run(instance, dead_pid())
        alive = started_run(instance, os.getpid())

        recovered = recover_dead_runs(instance)

        assert recovered.failed_runs == [dead.run_id]
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        assert instance.get_run_by_id(alive.run_id).status == dg.DagsterRunStatus.STARTED
        assert instance.event_log_storage.get_concurrency_run_ids() == {alive.run_id}
        failure = instance.all_logs(dead.run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
        assert "is gone" in failure[0].dagster_event.message


def test_the_sensor_does_the_same_and_reports_it(tmp_path: Path):
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        instance.event_log_storage.set_concurrency_slots(WAREHOUSE_POOL, 1)
        dead = started_run(instance, dead_pid())
        result = dead_run_sensor(dg.build_sensor_context(instance=instance))
        assert isinstance(result, dg.SkipReason)
        assert "1 dead run(s) marked failed" in result.skip_message
        assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
        # Nothing left to do the next time.
        again = dead_run_sensor(dg.build_sensor_context(instance=instance))
        assert "0 dead run(s)" in again.skip_message
