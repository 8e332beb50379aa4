"""The warehouse builds and tests green when the extractor finds nothing (the interim one)."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pytest

from pipelines.warehouse.mentions import Extraction

pytestmark = pytest.mark.e2e


def test_an_empty_extractor_output_builds_and_tests_green(dbt_session, land_raw, make_article):
    # The interim extractor returns nothing: articles, extractions with zero records, and
    # every model and test must still pass with empty marts.
    dbt_session.empty_warehouse()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIPELINES_WAREHOUSE_DIR", str(dbt_session.warehouse_dir))
        article = make_article(
            "quiet-1", source="tigris-herald", published_at=datetime(2026, 11, 20, tzinfo=UTC)
        )
        land_raw(
            articles=[article],
            extractions=[
                Extraction(
                    article_id=article["article_id"],
                    article_version=article["article_version"],
                    extractor_version="0.0.0",
                    extracted_at=datetime(2026, 11, 20, 1, tzinfo=UTC),
                    text=article["text"],
                    records=[],
                )
            ],
        )
        built = dbt_session.dbt("build")
    assert built.returncode == 0, built.stdout[-5000:]
    con = duckdb.connect(str(dbt_session.warehouse_dir / "conflict.duckdb"), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_attacks").fetchone() == (0,)
        assert con.execute("select count(*) from marts.dim_sources").fetchone() == (1,)
    finally:
        con.close()
