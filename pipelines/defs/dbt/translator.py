"""How dbt nodes become Dagster assets: keys and groups follow dbt's own schema layout."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject


class WarehouseDbtTranslator(DagsterDbtTranslator):
    """Sources take the key of the Python asset that lands them; nodes are keyed by schema.

    A model configured into the ``marts`` schema becomes ``marts/<model>``; its group is the
    schema, so the UI shows raw -> staging -> intermediate -> marts as groups.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return _source_key(dbt_resource_props)
        return super().get_asset_key(dbt_resource_props)

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: DbtProject | None,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or not _tests_a_source(manifest, unique_id):
            return spec
        # A blocking check on raw/articles, run by the dbt step, would make the extraction
        # step (downstream of raw/articles) wait for dbt, which waits for extraction: Dagster
        # then splits dbt into several steps. Inside `dbt build` a failing source test
        # still skips every model downstream of it.
        return spec._replace(blocking=False)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        return dbt_resource_props.get("config", {}).get("schema") or "dbt"


def _tests_a_source(manifest: Mapping[str, Any], unique_id: str) -> bool:
    test = manifest.get("nodes", {}).get(unique_id, {})
    parents = test.get("depends_on", {}).get("nodes", [])
    return any(parent.startswith("source.") for parent in parents)


def _source_key(props: Mapping[str, Any]) -> dg.AssetKey:
    """The upstream asset named in the source's ``meta.dagster.asset_key``."""
    meta = props.get("config", {}).get("meta") or props.get("meta") or {}
    key = meta.get("dagster", {}).get("asset_key")
    if not key:
        raise ValueError(
            f"dbt source {props['source_name']}.{props['name']} has no meta.dagster.asset_key; "
            "add the key of the asset that lands it in dbt/models/staging/_raw__sources.yml"
        )
    return dg.AssetKey(key)


def translator() -> WarehouseDbtTranslator:
    """The translator with dbt tests, source tests included, as asset checks."""
    return WarehouseDbtTranslator(
        settings=DagsterDbtTranslatorSettings(
            enable_asset_checks=True, enable_source_tests_as_checks=True
        )
    )
