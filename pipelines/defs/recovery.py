"""Runs whose process died: mark them failed and give back their slot in the warehouse pool.

A run killed from outside (SIGKILL, out of memory, a reboot) never records its end. It stays
STARTED in the run history, and the slot its step held in the ``warehouse`` pool (limit 1)
stays claimed, so every later run waits for it forever. Every step runs in one process (the
in-process executor), whose pid the run's first engine event records; when that process no
longer exists on this machine, the run is dead. The data is safe either way: landing and
dbt write in transactions, and the next run redoes what the dead one did not commit.

Called before every ``make run`` / ``make rebuild`` and by the ``dead_run_sensor`` while the
UI's daemon runs.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass

import dagster as dg

LIVE_STATUSES = [
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.CANCELING,
]


@dataclass(frozen=True)
class Recovered:
    """What one sweep did."""

    failed_runs: list[str]
    freed_slots: int  # runs whose claimed or pending slots were given back


def run_worker_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process executing the run's steps (from its engine events), if known."""
    records = instance.get_records_for_run(
        run_id, of_type=dg.DagsterEventType.ENGINE_EVENT, limit=20
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        data = getattr(event, "engine_event_data", None) if event else None
        metadata = getattr(data, "metadata", None) or {}
        pid = metadata.get("pid")
        if pid is not None:
            with contextlib.suppress(TypeError, ValueError):
                return int(getattr(pid, "value", pid))
    return None


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists here (a reused pid counts as alive: safe side)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_dead_runs(instance: dg.DagsterInstance) -> Recovered:
    """Fail every live-looking run whose worker process is gone; free the slots dead runs hold."""
    failed = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=LIVE_STATUSES)):
        run = record.dagster_run
        pid = run_worker_pid(instance, run.run_id)
        if pid is None or pid_alive(pid):
            continue
        instance.report_run_failed(
            run,
            message=(
                f"The run's process (pid {pid}) is gone: it was killed or the machine "
                "restarted. Marked failed so the next run can take the warehouse pool; rerun "
                "the job (its writes are transactional, nothing half-written remains)."
            ),
        )
        failed.append(run.run_id)
    return Recovered(failed, _free_finished_slots(instance))


def _free_finished_slots(instance: dg.DagsterInstance) -> int:
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return 0
    freed = 0
    for run_id in storage.get_concurrency_run_ids():
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            storage.free_concurrency_slots_for_run(run_id)
            freed += 1
    return freed


@dg.sensor(
    name="dead_run_sensor",
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Marks runs whose process died (killed, machine restarted) as failed and frees "
        "their slot in the warehouse pool, so scheduled runs are not blocked forever."
    ),
)
def dead_run_sensor(context: dg.SensorEvaluationContext) -> dg.SkipReason:
    recovered = recover_dead_runs(context.instance)
    for run_id in recovered.failed_runs:
        context.log.warning(f"run {run_id}: its process is gone; marked failed")
    return dg.SkipReason(
        f"{len(recovered.failed_runs)} dead run(s) marked failed, "
        f"{recovered.freed_slots} pool slot(s) freed"
    )
