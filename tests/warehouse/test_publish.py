"""Publishing the analyst copy: a full copy, swapped in atomically under open readers."""

from __future__ import annotations

import json
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipelines.warehouse import db
from pipelines.warehouse.publish import PublishError, manifest_path_for, publish

# A separate process holds the analyst copy open, as an analyst's session would; it answers
# one count per line it reads on stdin.
READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    print("ready", flush=True)
    for _ in sys.stdin:
        print(con.execute("select count(*) from marts.fct_attacks").fetchone()[0], flush=True)
    """
)


def build_pipeline_db(path: Path, attacks: int) -> None:
    con = db.connect(path)
    try:
        con.execute("create schema if not exists raw")
        con.execute("create schema if not exists staging")
        con.execute("create schema if not exists marts")
        con.execute("create or replace table raw.articles as select 'a1' as article_id")
        con.execute(
            "create or replace table marts.fct_attacks as "
            f"select range as event_id from range({attacks})"
        )
        # Views (dbt's staging layer) are written with the pipeline's catalog name.
        con.execute(
            "create or replace view staging.stg_raw__articles as "
            'select * from "conflict"."raw"."articles"'
        )
    finally:
        con.close()


@pytest.fixture
def paths(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "conflict.duckdb", tmp_path / "conflict_analyst.duckdb"


def test_publish_copies_tables_and_views_and_writes_row_counts(paths):
    source, target = paths
    build_pipeline_db(source, attacks=3)
    result = publish(source, target)
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_attacks").fetchone() == (3,)
        # The view still works although the analyst file's catalog has another name.
        assert con.execute("select * from staging.stg_raw__articles").fetchall() == [("a1",)]
    finally:
        con.close()
    document = json.loads(manifest_path_for(target).read_text())
    assert document["row_counts"]["marts.fct_attacks"] == 3
    assert document["published_at"] == result.published_at.isoformat()
    leftovers = [p.name for p in target.parent.iterdir() if ".tmp" in p.name]
    assert leftovers == []


def test_open_readers_keep_the_old_copy_and_new_sessions_see_the_new(paths):
    source, target = paths
    build_pipeline_db(source, attacks=2)
    publish(source, target)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "ready"
        build_pipeline_db(source, attacks=5)
        # The analyst's open session does not block the publish ...
        publish(source, target)
        reader.stdin.write("count\n")
        reader.stdin.flush()
        # ... keeps reading the copy it opened ...
        assert reader.stdout.readline().strip() == "2"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    # ... and whoever connects now sees the new one.
    con = duckdb.connect(str(target), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_attacks").fetchone() == (5,)
    finally:
        con.close()


def test_a_missing_pipeline_database_leaves_the_analyst_copy_alone(paths, tmp_path):
    source, target = paths
    build_pipeline_db(source, attacks=1)
    publish(source, target)
    before = target.read_bytes()
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "elsewhere" / "conflict.duckdb", target)
    assert target.read_bytes() == before


def storage_version_number(path: Path) -> int:
    """The version number in a DuckDB file's header (bytes 12-20, after the DUCK magic)."""
    header = path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    return struct.unpack("<Q", header[12:20])[0]


def test_the_copy_is_readable_by_duckdb_1_x(paths):
    source, target = paths
    build_pipeline_db(source, attacks=1)
    publish(source, target)
    # DuckDB 1.x reads storage versions 64-68 ("we can only read versions between 64 and
    # 68"); the pipeline's own file, written by 2.x, is newer.
    assert storage_version_number(target) <= 68
    assert storage_version_number(source) > 68
