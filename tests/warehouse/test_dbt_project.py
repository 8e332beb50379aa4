"""The dbt project: every data test is a Dagster asset check, every mart states its grain."""

from __future__ import annotations

import json

import pytest

from pipelines.defs.dbt.project import dbt_project

PROJECT_NAME = "conflict_warehouse"


@pytest.fixture(scope="module")
def manifest(dbt_session) -> dict:
    # dbt_session rebuilds the manifest when anything under dbt/ changed.
    return json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))


def test_every_dbt_data_test_is_an_asset_check(manifest):
    # A singular test reading several models is only a check when its config names the
    # model it reports on (meta.dagster.ref); otherwise Dagster runs it but never shows it.
    from pipelines.defs.dbt.assets import build_dbt_assets

    checks = {key.name for key in build_dbt_assets().check_keys}
    tests = {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node["package_name"] == PROJECT_NAME
    }
    assert tests, "the manifest lists no dbt tests"
    assert sorted(tests - checks) == []


def test_every_mart_states_its_grain(manifest):
    marts = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    ]
    assert len(marts) >= 10
    for node in marts:
        assert node["description"].startswith("Grain: one row per"), node["name"]
        assert node["meta"].get("grain") or node["config"]["meta"].get("grain"), node["name"]
