"""Dagster resources: the warehouse's settings and DuckDB connections, and the dbt CLI."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import dagster as dg
import duckdb
from dagster_dbt import DbtCliResource
from packaging import version

from pipelines import settings as settings_module
from pipelines.defs.dbt.project import dbt_project
from pipelines.warehouse import db

# Every asset that writes the DuckDB file or raw/ runs in this pool; the instance's
# dagster.yaml gives pools a limit of 1, so writers never overlap across runs.
WAREHOUSE_POOL = "warehouse"


class WarehouseResource(dg.ConfigurableResource):
    """Paths and DuckDB connections, always from ``pipelines.settings`` (environment-driven).

    It holds no connection between calls: dbt runs in another process and needs the file.
    """

    def settings(self) -> settings_module.Settings:
        """The settings as the environment says now."""
        return settings_module.load()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived read-write connection to the pipeline's DuckDB file."""
        with db.connection(self.settings().warehouse_path) as con:
            yield con


class WarehouseDbtCliResource(DbtCliResource):
    """The dbt CLI, told its version by the installed dbt-core package.

    dagster-dbt otherwise runs ``dbt --version`` before every invocation to learn it: a
    second dbt start-up (~6 s here) per dbt step. The executable is the dbt-core of this
    environment, so the package metadata gives the same answer.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(importlib.metadata.version("dbt-core"))


def dbt_resource() -> DbtCliResource:
    """The dbt CLI on the project in ``dbt/`` (its profile reads PIPELINES_WAREHOUSE_DIR)."""
    return WarehouseDbtCliResource(project_dir=dbt_project)


def defs() -> dg.Definitions:
    """The resources every asset may ask for."""
    return dg.Definitions(resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()})
