"""The dbt project as Dagster assets: ``dbt build`` (models, seeds, tests as asset checks)."""

import shutil
from collections.abc import Iterator
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, DbtProject, dbt_assets

from pipelines.defs.dbt.project import dbt_project
from pipelines.defs.dbt.translator import translator
from pipelines.defs.raw_tables import ensure_raw_tables
from pipelines.defs.resources import WAREHOUSE_POOL, WarehouseResource

MARTS_SCHEMA = "marts"


class ManifestMissingError(FileNotFoundError):
    """The dbt manifest has not been built; the message says how to build it."""


def build_dbt_assets(project: DbtProject = dbt_project) -> dg.AssetsDefinition:
    """The ``@dbt_assets`` definition over the prepared manifest (called at load, not import)."""
    if not project.manifest_path.exists():
        raise ManifestMissingError(
            f"{project.manifest_path} does not exist: build it with `make prepare` "
            "(dagster-dbt project prepare-and-package --file pipelines/defs/dbt/project.py)"
        )

    @dbt_assets(
        manifest=project.manifest_path,
        project=project,
        dagster_dbt_translator=translator(),
        name="warehouse_dbt",
        pool=WAREHOUSE_POOL,
    )
    def warehouse_dbt(
        context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource
    ) -> Iterator[Any]:
        # dbt's sources must exist even when nothing was landed yet (an empty first day).
        with warehouse.connect() as con:
            ensure_raw_tables(con)
        invocation = dbt.cli(["build"], context=context)
        yield from invocation.stream()
        # Each invocation writes ~2 MB of artefacts into its own folder under target/;
        # once it succeeded nobody needs them (a failed one raised above and keeps them).
        shutil.rmtree(invocation.target_path, ignore_errors=True)

    return warehouse_dbt


def mart_keys(dbt_defs: dg.AssetsDefinition) -> list[dg.AssetKey]:
    """The keys of the marts (the models in the ``marts`` schema)."""
    return sorted(
        (key for key in dbt_defs.keys if key.path[0] == MARTS_SCHEMA), key=lambda k: k.path
    )


def defs() -> dg.Definitions:
    """The dbt assets and their checks."""
    return dg.Definitions(assets=[build_dbt_assets()])
