"""Dagster definitions by role: assets, checks, jobs, schedules, resources.

Each domain module exposes ``defs()``; :func:`build_definitions` merges them. Nothing here
runs at import time (not even importing Dagster): the dbt manifest is read when the
definitions are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import dagster as dg


def build_definitions() -> dg.Definitions:
    """All assets, checks, jobs, schedules and resources of the warehouse."""
    import dagster as dg

    from pipelines.defs import automation, resources
    from pipelines.defs.dbt import assets as dbt_assets
    from pipelines.defs.extraction import assets as extraction_assets
    from pipelines.defs.ingest import assets as ingest_assets
    from pipelines.defs.publish import assets as publish_assets
    from pipelines.defs.report import assets as report_assets

    dbt_defs = dbt_assets.build_dbt_assets()
    publish = publish_assets.build_analyst_database(dbt_assets.mart_keys(dbt_defs))
    return dg.Definitions.merge(
        resources.defs(),
        ingest_assets.defs(),
        extraction_assets.defs(),
        dg.Definitions(assets=[dbt_defs, publish]),
        report_assets.defs(),
        automation.defs(),
        # One process per run: dbt is parsed once, and DuckDB's single writer makes steps
        # sequential anyway.
        dg.Definitions(executor=dg.in_process_executor),
    )
