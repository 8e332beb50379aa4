"""Runs and history: fetch days are partitions, and a backfill replays raw/ without the network
into the same marts the original day-by-day runs built (what `make rebuild` does)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from pipelines.defs import cli
from pipelines.defs.partitions import FIRST_FETCH_DAY
from pipelines.settings import Settings

from .conftest import DAYS, OperatedDays


@pytest.mark.e2e
def test_a_backfill_replays_raw_offline_and_rebuilds_the_marts_of_the_original_runs(
    operated_days: OperatedDays,
):
    # `operated_days` (conftest): three polls over HTTP, then the original runs, one per
    # fetch day as the schedule made them; then `make rebuild` into an empty warehouse.
    assert len(operated_days.original["fct_attacks"]) > 0, "the samples should give attacks"
    assert operated_days.rebuild_exit_code == 0
    # Every mart but those recording the build history (dbt snapshots: build times).
    assert operated_days.rebuilt == operated_days.original
    assert operated_days.rebuilt_articles == operated_days.original_articles
    # Neither the past days' runs nor the rebuild touched the network or fetched anything.
    assert operated_days.requests_during_runs == 0
    assert operated_days.fetch_logs_after == operated_days.fetch_logs_before
    assert len(operated_days.fetch_logs_before) == len(DAYS)
    # One run over the range of stored days, recorded in the run history.
    run = operated_days.rebuild_run
    assert run.job_name == "rebuild_from_raw" and run.is_success
    assert run.tags["dagster/asset_partition_range_start"] == DAYS[0].date().isoformat()
    assert run.tags["dagster/asset_partition_range_end"] == DAYS[-1].date().isoformat()


def test_rebuild_takes_every_stored_fetch_day_and_nothing_else(
    pipeline_env: Settings, capsys: pytest.CaptureFixture[str]
):
    landed = pipeline_env.landed_dir
    today = datetime.now(UTC).date()
    folders = [
        "2026-10-31",  # before the first partition: not a fetch day the warehouse knows
        FIRST_FETCH_DAY,
        "2026-11-03",
        (today + timedelta(days=1)).isoformat(),  # a clock that ran ahead
        "texts",  # the page-text cache lives beside the days
    ]
    for name in folders:
        (landed / name).mkdir(parents=True)
    assert cli.stored_days(pipeline_env) == [FIRST_FETCH_DAY, "2026-11-03"]

    # Nothing in the asked range: a clear message, no run.
    assert cli.rebuild("2026-11-10", "2026-11-12") == 1
    assert "nothing to rebuild" in capsys.readouterr().err
    assert date.fromisoformat(FIRST_FETCH_DAY) <= today
