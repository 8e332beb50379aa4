"""Fixtures for the operating tests: the pipeline environment they run in, the ingest tests'
HTTP server on 127.0.0.1 (imported, so a handler that stalls never blocks the others), and
three days of scheduled runs with analysts reading along, shared by the session.

A run costs a `dbt build` (most of half a minute here), so the expensive story is told once:
`operated_days` polls three fetch days, one run each, with an analyst holding a session open
through the second run and another polling through the third, then rebuilds everything
from raw/ into an empty warehouse as `make rebuild` does. The analyst, history and crash
tests assert on what it recorded.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg
import pytest
from pytest_httpserver import HTTPServer

from pipelines import settings as settings_module
from pipelines.defs import build_definitions, cli
from pipelines.defs.automation import POLL_JOB
from pipelines.defs.instance import ensure_dagster_home
from pipelines.settings import Settings

# Imported fixtures register here as if defined in this file.
from tests.ingest.conftest import SHARED_DIR, _server, server, stalling  # noqa: F401

from .helpers import (
    RUN_ENV,
    SAMPLE_FEEDS,
    SAMPLES_DIR,
    ChildProcess,
    comparable_marts,
    fetch_day,
    fetch_logs,
    published_counts,
    query,
    raw_state,
    run_job,
    sample_sources,
    serve_folder,
    write_sources,
)

# Three fetch days. The outlets polled grow from one to all four (the earlier ones again,
# unchanged), so every day's run publishes different marts.
DAYS = [datetime(2026, 11, day, 12, 0, tzinfo=UTC) for day in (20, 21, 22)]
DAY_OUTLETS = [["tigris-herald"], ["tigris-herald", "horn-dispatch"], list(SAMPLE_FEEDS)]


@pytest.fixture
def pipeline_env(pipeline_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The suite's isolated settings, with the shared gazetteer cache and dbt's tests skipped."""
    for name, value in RUN_ENV.items():
        monkeypatch.setenv(name, value)
    return settings_module.load()


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the fetcher reach the test server on 127.0.0.1 (refused by default)."""
    monkeypatch.setenv("PIPELINES_ALLOW_LOOPBACK", "1")


@dataclass(frozen=True)
class OperatedDays:
    """What three days of runs and a rebuild did, recorded for the tests to check."""

    raw_dir: Path  # raw/ with the three fetch days (copy it before running on it)
    sources_file: Path
    published: list[dict[str, int]]  # marts' row counts each day's run published
    held: list[dict]  # readings of one read-only session held open through day 2's run
    polled: list[dict]  # readings of a new short session every 0.1 s through day 3's run
    original: dict[str, list[tuple]]  # the comparable marts after day 3's run
    original_articles: list[tuple]
    rebuild_exit_code: int
    rebuilt: dict[str, list[tuple]]  # the same, after `make rebuild` into an empty warehouse
    rebuilt_articles: list[tuple]
    rebuilt_raw: dict[str, object]  # raw tables' keys and articles after the rebuild
    rebuild_run: dg.DagsterRun
    fetch_logs_before: dict[str, str]  # the fetch logs before the runs, and after them
    fetch_logs_after: dict[str, str]
    requests_during_runs: int  # HTTP requests the runs and the rebuild made


def readings(child: ChildProcess) -> list[dict]:
    return [json.loads(line) for line in child.lines if line.startswith("{")]


class Analyst:
    """`python -m tests.ops.analyst MODE`: an analyst's session on the published copy."""

    def __init__(self, mode: str, settings: Settings, folder: Path) -> None:
        self.mode = mode
        self.stop_file = folder / f"stop-{mode}"
        self.child = ChildProcess(
            ["-m", "tests.ops.analyst", mode, str(settings.analyst_path), str(self.stop_file)],
            dict(os.environ),
            folder / f"analyst-{mode}.log",
        )
        self.child.wait_for(
            lambda: any("counts" in r for r in readings(self.child)), 60, f"the {mode} session"
        )

    def stop(self) -> list[dict]:
        self.stop_file.touch()
        try:
            assert self.child.wait(timeout=30) == 0, "".join(self.child.lines[-20:])
        finally:
            self.child.close()
        return readings(self.child)


def _run_days(settings: Settings, folder: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """Day 1's run; day 2's with a session held open; day 3's with a polling analyst."""
    defs = build_definitions()
    published: list[dict[str, int]] = []
    held: list[dict] = []
    polled: list[dict] = []
    # An in-memory run history: these runs are about the warehouse, and sqlite's fsyncs of
    # ~450 events a run cost seconds on a busy disk. The rebuild records into DAGSTER_HOME.
    with dg.DagsterInstance.ephemeral() as instance:
        for index, when in enumerate(DAYS):
            analyst = None
            if index == 1:
                analyst = Analyst("hold", settings, folder)
            elif index == 2:
                analyst = Analyst("poll", settings, folder)
            try:
                result = run_job(defs, POLL_JOB, instance, partition_key=when.date().isoformat())
            finally:
                seen = analyst.stop() if analyst else []
            reading = f" while an analyst was reading ({analyst.mode})" if analyst else ""
            assert result.success, f"the run of {when.date()} failed{reading}"
            published.append(published_counts(settings.analyst_path))
            if index == 1:
                held = seen
            elif index == 2:
                polled = seen
    return published, held, polled


@pytest.fixture(scope="session")
def operated_days(dbt_session, tmp_path_factory: pytest.TempPathFactory) -> OperatedDays:
    """Three days polled over HTTP, one run each with analysts reading, then `make rebuild`."""
    folder = tmp_path_factory.mktemp("operated_days")
    http = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    http.start()
    try:
        with pytest.MonkeyPatch.context() as mp:
            dbt_session.empty_warehouse()
            for name, value in {
                **RUN_ENV,
                "PIPELINES_WAREHOUSE_DIR": dbt_session.warehouse_dir,
                "DBT_TARGET_PATH": dbt_session.target_dir,
                "PIPELINES_RAW_DIR": folder / "raw",
                "PIPELINES_SOURCES": folder / "sources.toml",
                "PIPELINES_REPORTS_DIR": folder / "reports",
                "DAGSTER_HOME": folder / "dagster_home",
                "PIPELINES_PER_HOST_DELAY": "0",
                "PIPELINES_ALLOW_LOOPBACK": "1",
            }.items():
                mp.setenv(name, str(value))
            settings = settings_module.load()
            ensure_dagster_home(settings.dagster_home)

            # The polls' fetches, pages from a real HTTP server; after them, no request.
            serve_folder(http, SAMPLES_DIR)
            base = http.url_for("/").rstrip("/")
            for when, outlets in zip(DAYS, DAY_OUTLETS, strict=True):
                write_sources(settings, sample_sources(outlets, base))
                fetch_day(when)
            http.clear_log()
            logs_before = fetch_logs(settings.landed_dir)

            published, held, polled = _run_days(settings, folder)
            original = comparable_marts(settings.analyst_path)
            original_articles = query(
                settings.warehouse_path, "select * from raw.articles order by all"
            )

            # `make rebuild` into an empty warehouse: every stored day, one run, offline.
            dbt_session.empty_warehouse()
            code = cli.rebuild()
            with dg.DagsterInstance.get() as instance:
                rebuild_run = instance.get_runs(limit=1)[0]
            recorded = OperatedDays(
                raw_dir=settings.raw_dir,
                sources_file=settings.sources_file,
                published=published,
                held=held,
                polled=polled,
                original=original,
                original_articles=original_articles,
                rebuild_exit_code=code,
                rebuilt=comparable_marts(settings.analyst_path) if code == 0 else {},
                rebuilt_articles=query(
                    settings.warehouse_path, "select * from raw.articles order by all"
                ),
                rebuilt_raw=raw_state(settings),
                rebuild_run=rebuild_run,
                fetch_logs_before=logs_before,
                fetch_logs_after=fetch_logs(settings.landed_dir),
                requests_during_runs=len(http.log),
            )
            dbt_session.empty_warehouse()
    finally:
        http.clear()
        http.stop()
    return recorded


@pytest.fixture
def stored_days(operated_days: OperatedDays, tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the three days' raw/ and their sources file (runs write to raw/)."""
    raw = tmp_path / "stored" / "raw"
    shutil.copytree(operated_days.raw_dir, raw)
    sources = tmp_path / "stored" / "sources.toml"
    shutil.copy(operated_days.sources_file, sources)
    return raw, sources


@pytest.fixture
def stored_env(
    pipeline_env: Settings, stored_days: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """The pipeline environment over the copy of the three stored days."""
    raw, sources = stored_days
    monkeypatch.setenv("PIPELINES_RAW_DIR", str(raw))
    monkeypatch.setenv("PIPELINES_SOURCES", str(sources))
    yield settings_module.load()
