"""The bundled samples' warehouses, built once per session and moved out of the shared folder.

`sample_build` runs what `make run` runs (the default sources.toml: the four sample outlets
in raw/samples) in this process, with the real extractor. `gold_build` lands instead the
records raw/samples/expected.json says a perfect extractor returns, and runs `dbt build`.
Both build in the session's warehouse folder, then move the result aside so that other
tests can use the folder; the tests read the moved copies. An answer right on the gold
build and wrong on the sample build points at the extractor, not at the SQL.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest

from pipelines import settings as settings_module
from pipelines.settings import ANALYST_FILE_NAME, WAREHOUSE_FILE_NAME
from pipelines.warehouse.mentions import Extraction

SAMPLES_SOURCES = settings_module.PROJECT_ROOT / "sources.toml"
EXPECTED = settings_module.PROJECT_ROOT / "raw" / "samples" / "expected.json"


@dataclass(frozen=True)
class SampleBuild:
    """The warehouse (and its analyst copy) built from the bundled samples."""

    warehouse_path: Path
    analyst_path: Path


def _materialise_everything(tmp: Path) -> None:
    from pipelines.defs import build_definitions
    from pipelines.defs.instance import ensure_dagster_home
    from pipelines.defs.partitions import today_key

    ensure_dagster_home(tmp / "dagster_home")
    defs = build_definitions()
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(
            list(defs.assets),
            resources=defs.resources,
            partition_key=today_key(),
            instance=instance,
            raise_on_error=False,
        )
    failed = [event.step_key for event in result.all_events if event.is_step_failure]
    assert result.success, f"materialising the samples failed in steps {failed}"


@pytest.fixture(scope="session")
def sample_build(dbt_session, tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """Every asset materialised from raw/samples into a temporary warehouse, once."""
    if not SAMPLES_SOURCES.exists():
        pytest.skip(f"{SAMPLES_SOURCES} is missing (the bundled samples' sources file)")
    tmp = tmp_path_factory.mktemp("samples")
    dbt_session.empty_warehouse()
    with pytest.MonkeyPatch.context() as mp:
        # PIPELINES_CACHE_DIR stays as it is: it holds only the extractor's gazetteer, keyed
        # by its inputs and shared with tests/extract; building it cold takes most of a minute.
        for name, value in {
            "PIPELINES_WAREHOUSE_DIR": dbt_session.warehouse_dir,
            "PIPELINES_RAW_DIR": tmp / "raw",
            "PIPELINES_REPORTS_DIR": tmp / "reports",
            "PIPELINES_SOURCES": SAMPLES_SOURCES,
            "DAGSTER_HOME": tmp / "dagster_home",
            "DBT_TARGET_PATH": dbt_session.target_dir,
            "PIPELINES_PER_HOST_DELAY": "0",
        }.items():
            mp.setenv(name, str(value))
        _materialise_everything(tmp)
    built = tmp / "built"
    built.mkdir()
    for name in (WAREHOUSE_FILE_NAME, ANALYST_FILE_NAME):
        shutil.move(dbt_session.warehouse_dir / name, built / name)
    dbt_session.empty_warehouse()
    return SampleBuild(
        warehouse_path=built / WAREHOUSE_FILE_NAME, analyst_path=built / ANALYST_FILE_NAME
    )


def _gold_raw_rows(make_article) -> tuple[list[dict], list[Extraction]]:
    """raw.articles rows and extractions of expected.json's perfect-extractor records."""
    document = json.loads(EXPECTED.read_text(encoding="utf-8"))
    articles, extractions = [], []
    for key, article in document["articles"].items():
        published = datetime.fromisoformat(article["published_at"]).astimezone(UTC)
        text = article.get("reference_text") or ""
        articles.append(
            make_article(
                key,
                source=article["outlet"],
                published_at=published,
                text=text,
                title=article.get("title") or "",
            )
        )
        extractions.append(
            Extraction(
                article_id=key,
                article_version="v1",
                extractor_version="gold",
                extracted_at=datetime(2026, 11, 25, tzinfo=UTC),
                text=text,
                records=[{**event, "article_id": key} for event in article.get("events") or []],
            )
        )
    return articles, extractions


@pytest.fixture(scope="session")
def gold_build(dbt_session, make_article, land_raw, tmp_path_factory) -> Path:
    """The warehouse dbt builds from the samples' perfect-extractor records (article id = key)."""
    if not EXPECTED.exists():
        pytest.skip(f"{EXPECTED} is missing (the bundled samples' answer key)")
    articles, extractions = _gold_raw_rows(make_article)
    dbt_session.empty_warehouse()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PIPELINES_WAREHOUSE_DIR", str(dbt_session.warehouse_dir))
        land_raw(articles=articles, extractions=extractions)
        built = dbt_session.dbt("build")
    assert built.returncode == 0, built.stdout[-5000:]
    path = tmp_path_factory.mktemp("gold") / WAREHOUSE_FILE_NAME
    shutil.move(dbt_session.warehouse_dir / WAREHOUSE_FILE_NAME, path)
    dbt_session.empty_warehouse()
    return path
