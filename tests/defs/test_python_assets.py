"""The Python assets on their own: past partitions stay offline, a failing article is retried."""

from __future__ import annotations

from datetime import UTC, datetime

import dagster as dg
import duckdb
import pytest

import pipelines.extract
from pipelines.defs.extraction.assets import extract_mentions
from pipelines.defs.ingest.assets import fetched_payloads
from pipelines.defs.resources import WarehouseResource

RESOURCES = {"warehouse": WarehouseResource()}


def test_a_past_partition_never_touches_the_network(pipeline_env):
    # A source that cannot be reached: fetching it would record an error attempt.
    pipeline_env.sources_file.write_text(
        '[[source]]\nname = "offline"\nurl = "https://offline.invalid/feed.xml"\n'
    )
    result = dg.materialize(
        [fetched_payloads],
        partition_key="2026-11-02",
        resources=RESOURCES,
        instance=dg.DagsterInstance.ephemeral(),
    )
    metadata = result.asset_materializations_for_node("fetched_payloads")[0].metadata
    assert metadata["fetched_now"].value is False
    assert metadata["fetch_attempts"].value == 0
    assert not pipeline_env.landed_dir.exists()


def flaky_extractor(article):
    if "explode" in article["text"]:
        raise ValueError("date parser crashed")
    return []


def test_a_failing_article_is_recorded_and_retried_while_the_others_land(
    pipeline_env, monkeypatch, land_raw, make_article
):
    published = datetime(2026, 11, 20, tzinfo=UTC)
    land_raw(
        articles=[
            make_article("calm", source="s1", published_at=published, text="Nothing happened."),
            make_article("bad", source="s1", published_at=published, text="This will explode."),
        ]
    )
    monkeypatch.setattr(pipelines.extract, "extract_article", flaky_extractor)
    monkeypatch.setattr(pipelines.extract, "EXTRACTOR_VERSION", "1.0.0-test")

    def run() -> list[tuple]:
        result = dg.materialize(
            [extract_mentions], resources=RESOURCES, instance=dg.DagsterInstance.ephemeral()
        )
        assert result.success
        con = duckdb.connect(str(pipeline_env.warehouse_path), read_only=True)
        try:
            return con.execute(
                "select article_id, status, extracted_at from raw.extractions order by 1"
            ).fetchall()
        finally:
            con.close()

    first = run()
    assert [(a, s) for a, s, _ in first] == [("bad", "error"), ("calm", "ok")]
    second = run()
    # The failed article is read again; the one that succeeded is not.
    assert second[1] == first[1]
    assert second[0][2] > first[0][2]


@pytest.mark.parametrize("version", ["1.0.0-test"])
def test_a_new_extractor_version_rereads_every_article(
    pipeline_env, monkeypatch, land_raw, make_article, version
):
    published = datetime(2026, 11, 20, tzinfo=UTC)
    land_raw(articles=[make_article("a1", source="s1", published_at=published)])
    monkeypatch.setattr(pipelines.extract, "extract_article", lambda article: [])
    for current in (version, "1.1.0-test"):
        monkeypatch.setattr(pipelines.extract, "EXTRACTOR_VERSION", current)
        dg.materialize(
            [extract_mentions], resources=RESOURCES, instance=dg.DagsterInstance.ephemeral()
        )
    con = duckdb.connect(str(pipeline_env.warehouse_path), read_only=True)
    try:
        versions = con.execute(
            "select extractor_version from raw.extractions order by 1"
        ).fetchall()
    finally:
        con.close()
    assert versions == [("1.0.0-test",), ("1.1.0-test",)]
