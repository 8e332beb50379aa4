"""A rebuild from the same raw tables gives the same warehouse; dbt docs document all of it.

The samples' warehouse (built by every asset, `sample_build`) is rebuilt by dbt alone into
a second warehouse from a copy of its raw tables only. Every table dbt builds must hold
the same rows in both, except build metadata: the snapshots' dbt_* columns and
fct_toll_revisions.observed_at (copied from them) record when a build ran, which is the
point of warehouse-observed history, so they differ between any two builds by design.
`dbt docs generate` then runs against the rebuilt warehouse into a temporary target.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.settings import PROJECT_ROOT

pytestmark = pytest.mark.e2e

DBT_DIR = PROJECT_ROOT / "dbt"
PROJECT_NAME = "conflict_warehouse"

# Tables dbt builds (raw is landed by Python and copied, staging holds views).
BUILT_SCHEMAS = ("seeds", "intermediate", "marts", "snapshots")

# Build metadata: when a build ran (see the module docstring), excluded by name.
BUILD_METADATA_COLUMNS = {
    "snapshots.*": {"dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to"},
    "marts.fct_toll_revisions": {"observed_at"},
}

DOCUMENTED_RESOURCE_TYPES = ("model", "snapshot", "seed")


def excluded_columns(schema: str, table: str) -> set[str]:
    return BUILD_METADATA_COLUMNS.get(f"{schema}.*", set()) | BUILD_METADATA_COLUMNS.get(
        f"{schema}.{table}", set()
    )


def table_contents(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every built table's columns (build metadata excluded) and rows, sorted."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            f"where schema_name in {BUILT_SCHEMAS} order by all"
        ).fetchall()
        contents = {}
        for schema, table in tables:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from duckdb_columns() "
                    "where schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
                if name not in excluded_columns(schema, table)
            ]
            selected = ", ".join(f'"{name}"' for name in columns)
            contents[f"{schema}.{table}"] = (
                columns,
                con.execute(f'select {selected} from "{schema}"."{table}" order by all').fetchall(),
            )
        return contents
    finally:
        con.close()


def copy_raw_tables(source: Path, target: Path) -> None:
    """A new warehouse holding only the raw tables of ``source``."""
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{source}' as built (read_only)")
        con.execute("create schema raw")
        for (table,) in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = 'built' and schema_name = 'raw' order by 1"
        ).fetchall():
            con.execute(f'create table raw."{table}" as select * from built.raw."{table}"')
        con.execute("detach built")
    finally:
        con.close()


@pytest.fixture(scope="module")
def rebuilt(sample_build, dbt_session) -> Path:
    """The samples' raw tables rebuilt by dbt alone in the session's warehouse folder."""
    dbt_session.empty_warehouse()
    target = dbt_session.warehouse_dir / sample_build.warehouse_path.name
    copy_raw_tables(sample_build.warehouse_path, target)
    # Tests already ran in the first build; the second only builds.
    built = dbt_session.dbt(
        "build",
        "--resource-type",
        "seed",
        "--resource-type",
        "model",
        "--resource-type",
        "snapshot",
    )
    assert built.returncode == 0, built.stdout[-5000:]
    yield target
    dbt_session.empty_warehouse()


def test_a_rebuild_from_the_same_raw_tables_is_identical(sample_build, rebuilt):
    first, second = table_contents(sample_build.warehouse_path), table_contents(rebuilt)
    assert sorted(first) == sorted(second)
    assert "marts.fct_toll_revisions" in first and "snapshots.snap_attacks" in first
    for table, (columns, rows) in first.items():
        other_columns, other_rows = second[table]
        assert columns == other_columns, table
        differing = [pair for pair in zip(rows, other_rows, strict=False) if pair[0] != pair[1]]
        assert len(rows) == len(other_rows) and not differing, (
            f"{table}: {len(rows)} vs {len(other_rows)} rows; first differences {differing[:3]}"
        )


def test_dbt_docs_describe_every_model_snapshot_seed_and_column(dbt_session, rebuilt, tmp_path):
    target = tmp_path / "docs_target"
    target.mkdir()
    # The session's partial parse spares a full re-parse of the project.
    shutil.copy(dbt_session.target_dir / "partial_parse.msgpack", target)
    generated = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "docs",
            "generate",
            # Compiling only what has a catalog entry spares compiling ~300 tests.
            "--select",
            "resource_type:model",
            "resource_type:snapshot",
            "resource_type:seed",
            "--project-dir",
            str(DBT_DIR),
            "--profiles-dir",
            str(DBT_DIR),
            "--target-path",
            str(target),
        ],
        env={
            **os.environ,
            "PIPELINES_WAREHOUSE_DIR": str(dbt_session.warehouse_dir),
            "DBT_LOG_PATH": str(target / "logs"),
        },
        capture_output=True,
        text=True,
    )
    try:
        assert generated.returncode == 0, generated.stdout[-5000:]
        manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
        catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(target)
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in DOCUMENTED_RESOURCE_TYPES
        and node["package_name"] == PROJECT_NAME
    }
    assert nodes, "the manifest lists no models"
    undescribed = [
        unique_id for unique_id, node in nodes.items() if not node["description"].strip()
    ]
    assert undescribed == []
    # Every column of every built relation (from the database's catalog) has a description.
    missing = []
    for unique_id, node in nodes.items():
        assert unique_id in catalog["nodes"], f"{unique_id} was not built"
        documented = {
            name.lower(): column["description"].strip() for name, column in node["columns"].items()
        }
        missing += [
            f"{unique_id}.{name}"
            for name in catalog["nodes"][unique_id]["columns"]
            if not documented.get(name.lower())
        ]
    assert missing == []
