"""The report asset: one offline HTML page built from the freshly published analyst copy."""

import dagster as dg

from pipelines.defs import keys
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.report.build import build_report


@dg.asset(
    key=keys.ANALYST_REPORT,
    deps=[keys.ANALYST_DATABASE],
    group_name="publish",
    # It only reads the analyst copy, but one run's steps never overlap another's anyway.
    pool=WAREHOUSE_POOL,
    kinds={"html"},
    description=(
        "warehouse/reports/conflict_report.html (settings.reports_dir): attacks and "
        "casualties over time by country, top perpetrators, claimed / blamed / unattributed "
        "shares and the latest attacks with their evidence sentences. Self-contained: opens "
        "offline from a file:// URL."
    ),
)
def analyst_report(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    settings = warehouse.settings()
    result = build_report(settings.analyst_path, settings.reports_dir)
    context.log.info(f"report written to {result.path} ({result.status}, {result.attacks} attacks)")
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "url": dg.MetadataValue.url(result.path.as_uri()),
            "status": result.status,
            "attacks": result.attacks,
            "countries": result.countries,
            "size_bytes": result.size_bytes,
        }
    )


def defs() -> dg.Definitions:
    """The report asset."""
    return dg.Definitions(assets=[analyst_report])
