"""Jobs and the schedule: poll the feeds into today's partition, or rebuild from raw/."""

import dagster as dg

from pipelines import settings as settings_module
from pipelines.defs import keys
from pipelines.defs.partitions import today_key

POLL_JOB = "poll_feeds"
REBUILD_JOB = "rebuild_from_raw"

# Everything: fetch, land, extract, dbt build, publish.
poll_feeds = dg.define_asset_job(
    POLL_JOB,
    selection=dg.AssetSelection.all(),
    description="Fetch every source for a fetch day and rebuild everything downstream.",
)

# Everything downstream of the fetch, for a new extractor or dbt change: replays raw/ only.
rebuild_from_raw = dg.define_asset_job(
    REBUILD_JOB,
    selection=dg.AssetSelection.assets(keys.FETCHED_PAYLOADS).downstream(include_self=False),
    description=(
        "Replay a fetch day from raw/ (no network) and rebuild extraction, dbt and the "
        "analyst copy. Backfill it over every day after changing the parser or extractor."
    ),
)


def _poll_schedule(cron: str) -> dg.ScheduleDefinition:
    @dg.schedule(
        name="poll_feeds_schedule",
        cron_schedule=cron,
        job=poll_feeds,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Poll the feeds (PIPELINES_POLL_CRON, default hourly) into today's partition.",
    )
    def poll_feeds_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        key = today_key(context.scheduled_execution_time)
        return dg.RunRequest(run_key=None, partition_key=key)

    return poll_feeds_schedule


def defs() -> dg.Definitions:
    """The jobs and the polling schedule (its cron read from settings when loaded)."""
    cron = settings_module.load().poll_cron
    return dg.Definitions(jobs=[poll_feeds, rebuild_from_raw], schedules=[_poll_schedule(cron)])
