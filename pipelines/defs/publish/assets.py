"""The last asset: copy the warehouse to the analyst file and swap it in atomically."""

from collections.abc import Sequence

import dagster as dg
import polars as pl

from pipelines.defs import keys
from pipelines.defs.metadata import preview
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource
from pipelines.warehouse.publish import publish


def build_analyst_database(mart_keys: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """The publish asset, downstream of every mart (so it runs after the whole dbt build)."""

    @dg.asset(
        key=keys.ANALYST_DATABASE,
        deps=list(mart_keys),
        group_name="publish",
        pool=WAREHOUSE_POOL,
        kinds={"duckdb"},
        description=(
            "The analysts' read-only copy of the warehouse (settings.analyst_path), replaced "
            "atomically: open sessions keep the old copy, new sessions see this one."
        ),
    )
    def analyst_database(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        settings = warehouse.settings()
        result = publish(settings.warehouse_path, settings.analyst_path)
        context.log.info(f"published {result.analyst_path} ({result.size_bytes:,} bytes)")
        counts = pl.DataFrame(
            {"table": list(result.row_counts), "rows": list(result.row_counts.values())},
            schema={"table": pl.String, "rows": pl.Int64},
        )
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.analyst_path)),
                "published_at": result.published_at.isoformat(),
                "size_bytes": result.size_bytes,
                "tables": len(result.row_counts),
                **{
                    f"rows_{name.replace('.', '_')}": n
                    for name, n in result.row_counts.items()
                    if name.startswith("marts.")
                },
                "row_counts": preview(counts, rows=100),
            }
        )

    return analyst_database
