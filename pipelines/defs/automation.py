"""Jobs and the schedule: poll the feeds into today's partition, or rebuild from raw/."""

import dagster as dg

from pipelines import settings as settings_module
from pipelines.defs import keys
from pipelines.defs.partitions import today_key
from pipelines.defs.recovery import dead_run_sensor

POLL_JOB = "poll_feeds"
REBUILD_JOB = "rebuild_from_raw"

# Everything: fetch, land, extract, dbt build, publish.
poll_feeds = dg.define_asset_job(
    POLL_JOB,
    selection=dg.AssetSelection.all(),
    description="Fetch every source for a fetch day and rebuild everything downstream.",
)

# Everything but the fetch, for a new extractor or dbt change: replays raw/ only. The seeds
# and the calendar are not downstream of the fetch but are selected too, so the rebuild runs
# one whole `dbt build` and works into an empty warehouse as well.
rebuild_from_raw = dg.define_asset_job(
    REBUILD_JOB,
    selection=dg.AssetSelection.all() - dg.AssetSelection.assets(keys.FETCHED_PAYLOADS),
    description=(
        "Replay fetch days from raw/ (no network) and rebuild extraction, dbt, the analyst "
        "copy and the report. Backfill it over every day (one run: `make rebuild`) after "
        "changing the parser or the extractor."
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
    """The jobs, the polling schedule (its cron read from settings when loaded) and the sensor
    that fails runs whose process died."""
    cron = settings_module.load().poll_cron
    return dg.Definitions(
        jobs=[poll_feeds, rebuild_from_raw],
        schedules=[_poll_schedule(cron)],
        sensors=[dead_run_sensor],
    )
