"""Shared fixtures: an isolated pipeline environment, a prepared dbt project, contract records.

The dbt profile reads the warehouse folder from PIPELINES_WAREHOUSE_DIR, and dbt re-parses
the whole project (~10 s) whenever the profile changes. So the tests of one session share
one warehouse folder (emptied before each test) and one partial-parse state prepared for it
(DBT_TARGET_PATH); every other path (raw/, caches, DAGSTER_HOME) is the test's own.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from pipelines import settings as settings_module
from pipelines.settings import Settings

ROOT = settings_module.PROJECT_ROOT
DBT_DIR = ROOT / "dbt"
DBT_PROJECT_FILE = ROOT / "pipelines" / "defs" / "dbt" / "project.py"
MANIFEST = DBT_DIR / "target" / "manifest.json"


def _dbt_inputs() -> list[Path]:
    skip = {DBT_DIR / "target", DBT_DIR / "logs", DBT_DIR / "dbt_packages"}
    return [
        path
        for path in DBT_DIR.rglob("*")
        if path.suffix in {".sql", ".yml", ".csv"} and not any(p in path.parents for p in skip)
    ]


def _manifest_is_stale() -> bool:
    if not MANIFEST.exists():
        return True
    built = MANIFEST.stat().st_mtime
    return any(path.stat().st_mtime > built for path in [*_dbt_inputs(), DBT_PROJECT_FILE])


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


@dataclass(frozen=True)
class DbtSession:
    """The session's shared warehouse folder and the dbt state prepared for it."""

    warehouse_dir: Path
    target_dir: Path

    def dbt(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the dbt CLI on the project against the session's warehouse folder."""
        bin_dir = Path(sys.executable).parent
        return subprocess.run(
            [
                str(bin_dir / "dbt"),
                *args,
                "--project-dir",
                str(DBT_DIR),
                "--profiles-dir",
                str(DBT_DIR),
                "--target-path",
                str(self.target_dir),
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "PIPELINES_WAREHOUSE_DIR": str(self.warehouse_dir),
                "DBT_LOG_PATH": str(self.target_dir / "logs"),
            },
            capture_output=True,
            text=True,
        )

    def empty_warehouse(self) -> None:
        """Remove what the previous test left in the shared warehouse folder."""
        for leftover in self.warehouse_dir.iterdir():
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()


@pytest.fixture(scope="session")
def dbt_session(tmp_path_factory: pytest.TempPathFactory) -> DbtSession:
    """Build the manifest if stale (as `make prepare` does) and a partial parse for the session."""
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    if _manifest_is_stale():
        _run(
            [
                str(bin_dir / "dagster-dbt"),
                "project",
                "prepare-and-package",
                "--file",
                str(DBT_PROJECT_FILE),
            ],
            env,
        )
    session = DbtSession(
        warehouse_dir=tmp_path_factory.mktemp("warehouse"),
        target_dir=tmp_path_factory.mktemp("dbt_target"),
    )
    parsed = session.dbt("parse", "--quiet")
    if parsed.returncode != 0:
        raise RuntimeError(f"dbt parse failed:\n{parsed.stdout}\n{parsed.stderr}")
    return session


@pytest.fixture
def pipeline_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dbt_session: DbtSession
) -> Iterator[Settings]:
    """Settings with every path in tmp (the warehouse in the session's emptied folder)."""
    dbt_session.empty_warehouse()
    env = {
        "PIPELINES_WAREHOUSE_DIR": dbt_session.warehouse_dir,
        "PIPELINES_RAW_DIR": tmp_path / "raw",
        "PIPELINES_CACHE_DIR": tmp_path / "cache",
        "PIPELINES_REPORTS_DIR": tmp_path / "reports",
        "PIPELINES_SOURCES": tmp_path / "sources.toml",
        "DAGSTER_HOME": tmp_path / "dagster_home",
        "DBT_TARGET_PATH": dbt_session.target_dir,
        "PIPELINES_PER_HOST_DELAY": "0",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    (tmp_path / "dagster_home").mkdir()
    yield settings_module.load()


# -- contract records (the extraction contract's shape), written by these tests ---------------


def _deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


BASE_RECORD: dict[str, Any] = {
    "event_key": "e1",
    "kind": "incident",
    "is_background": False,
    "attack_type": "shelling",
    "weapons": ["rocket"],
    "date_start": "2026-11-16",
    "date_end": "2026-11-16",
    "date_precision": "day",
    "location": {
        "name": "Ain al-Asad",
        "country_code": "IQ",
        "admin1": "Anbar",
        "lat": 33.80,
        "lon": 42.44,
        "precision": "site",
    },
    "perpetrator": {"name": None, "status": "unknown"},
    "targets": ["Ain al-Asad air base"],
    "killed": None,
    "wounded": None,
    "casualty_groups": [],
    "attributions": [],
    "evidence": [],
}


@pytest.fixture(scope="session")
def contract_record() -> Callable[..., dict[str, Any]]:
    """Build one extractor record: the base record with nested changes merged in."""

    def build(article_id: str, **changes: Any) -> dict[str, Any]:
        return _deep_merge({**BASE_RECORD, "article_id": article_id}, changes)

    return build


def _article_row(
    article_id: str,
    *,
    source: str,
    published_at: datetime,
    text: str = "Body text.",
    title: str = "Headline",
    version: str = "v1",
    fetched_at: datetime | None = None,
) -> dict[str, Any]:
    """One raw.articles row (ARTICLES_SCHEMA) for hand-written warehouse tests."""
    fetched = fetched_at or published_at
    return {
        "article_id": article_id,
        "article_version": version,
        "source": source,
        "entry_id": f"{source}:{article_id}",
        "url": f"https://{source}.example/{article_id}",
        "title": title,
        "summary": None,
        "text": text,
        "text_origin": "page",
        "text_fallback_reason": None,
        "published_at": published_at,
        "is_published_at_fallback": False,
        "language": "en",
        "fetched_at": fetched,
        "fetch_date": fetched.date(),
        "feed_payload_sha256": None,
        "page_payload_sha256": None,
        "page_text_engine": "test",
    }


def _fetch_row(source: str, fetched_at: datetime, status: str = "ok") -> dict[str, Any]:
    """One raw.fetches row (FETCHES_SCHEMA)."""
    return {
        "fetch_id": f"{source}-{fetched_at.isoformat()}",
        "fetch_date": fetched_at.date(),
        "source": source,
        "kind": "feed",
        "url": f"https://{source}.example/feed.xml",
        "fetched_at": fetched_at,
        "status": status,
        "http_status": 200 if status == "ok" else 503,
        "payload_sha256": None,
        "payload_bytes": 100,
        "content_type": "application/rss+xml",
        "error": None if status == "ok" else "HTTP 503; retry later",
    }


@pytest.fixture(scope="session")
def make_article() -> Callable[..., dict[str, Any]]:
    """Build one raw.articles row (ARTICLES_SCHEMA)."""
    return _article_row


@pytest.fixture(scope="session")
def make_fetch() -> Callable[..., dict[str, Any]]:
    """Build one raw.fetches row (FETCHES_SCHEMA)."""
    return _fetch_row


@pytest.fixture(scope="session")
def land_raw() -> Callable[..., None]:
    """Land articles, fetches and extractions into the settings' warehouse like the assets do."""
    from pipelines.defs.raw_tables import RAW_TABLES, ensure_raw_tables
    from pipelines.ingest.schema import ARTICLES_SCHEMA, FETCHES_SCHEMA
    from pipelines.warehouse import db, landing
    from pipelines.warehouse.mentions import Extraction, flatten

    def land(
        *,
        articles: list[dict[str, Any]] = (),
        fetches: list[dict[str, Any]] = (),
        extractions: list[Extraction] = (),
    ) -> None:
        with db.connection() as con:
            ensure_raw_tables(con)
            landings = [
                landing.Landing(
                    "raw.articles",
                    pl.DataFrame(list(articles), schema=ARTICLES_SCHEMA),
                    RAW_TABLES["raw.articles"][1],
                ),
                landing.Landing(
                    "raw.fetches",
                    pl.DataFrame(list(fetches), schema=FETCHES_SCHEMA),
                    RAW_TABLES["raw.fetches"][1],
                ),
            ]
            landing.land(con, *landings, *flatten(extractions).landings())

    return land
