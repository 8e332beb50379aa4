"""Helpers for the operating tests: sources files, the bundled samples over HTTP, fetch days,
jobs run in this process or in a child process, and snapshots of the marts."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines import settings as settings_module
from pipelines.ingest.collect import fetch_sources
from pipelines.ingest.rawstore import RawStore
from pipelines.ingest.sources import load_sources
from pipelines.settings import Settings

ROOT = settings_module.PROJECT_ROOT
# The extractor's gazetteer cache (a pickle keyed by its inputs, shared with tests/e2e and
# `make run`). In a fresh folder every child process would rebuild it, most of a minute each.
SHARED_CACHE_DIR = Path(os.environ.get("PIPELINES_CACHE_DIR") or ROOT / ".cache")
# dbt's data and unit tests are the subject of tests/e2e and tests/warehouse. Here they would
# add half a minute to every run without testing what these tests are about (runs, crashes,
# analysts, the UI), so runs build every seed, model and snapshot and skip the tests.
RUN_ENV = {
    "PIPELINES_CACHE_DIR": str(SHARED_CACHE_DIR),
    "DBT_EXCLUDE_RESOURCE_TYPES": "test unit_test",
}
SAMPLES_DIR = ROOT / "raw" / "samples"
# The bundled outlets and their feed files (raw/samples/README.md).
SAMPLE_FEEDS = {
    "tigris-herald": "feed.xml",
    "frontier-wire": "atom.xml",
    "horn-dispatch": "rss.xml",
    "harmattan-times": "feed.xml",
}
CONTENT_TYPES = {".xml": "application/rss+xml", ".html": "text/html; charset=utf-8"}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def write_sources(settings: Settings, entries: Iterable[Mapping[str, object]]) -> None:
    """Write the sources file: one [[source]] table per entry."""
    tables = [
        "[[source]]\n" + "".join(f"{key} = {_toml_value(v)}\n" for key, v in entry.items())
        for entry in entries
    ]
    settings.sources_file.write_text("\n".join(tables), encoding="utf-8")


def sample_sources(names: Iterable[str], base: str) -> list[dict[str, object]]:
    """Sources for bundled outlets under ``base`` (an http URL or a folder)."""
    return [{"name": name, "url": f"{base}/{name}/{SAMPLE_FEEDS[name]}"} for name in names]


def serve_folder(server: HTTPServer, folder: Path, prefix: str = "") -> None:
    """Serve every file under ``folder`` at ``prefix`` + its relative path (404 outside it)."""
    root = folder.resolve()

    def handler(request: Request) -> Response:
        relative = request.path.removeprefix(prefix).lstrip("/")
        path = (root / relative).resolve()
        if not path.is_relative_to(root) or not path.is_file():
            return Response("not found", status=404)
        content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        return Response(path.read_bytes(), content_type=content_type)

    server.expect_request(re.compile(rf"^{re.escape(prefix)}/.*$")).respond_with_handler(handler)


def fetch_day(when: datetime) -> pl.DataFrame:
    """Fetch every configured source into raw/ as the poll on ``when`` would have."""
    settings = settings_module.load()
    return fetch_sources(
        load_sources(settings.sources_file),
        settings=settings,
        store=RawStore(settings.landed_dir),
        now=when,
    )


def run_job(
    defs: dg.Definitions,
    job_name: str,
    instance: dg.DagsterInstance,
    *,
    partition_key: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> dg.ExecuteInProcessResult:
    """Run a job in this process, as `make run` / `make rebuild` do."""
    return defs.resolve_job_def(job_name).execute_in_process(
        instance=instance, partition_key=partition_key, tags=tags, raise_on_error=False
    )


def query(path: Path, sql: str) -> list[tuple]:
    """Rows of one query on a DuckDB file opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def marts(path: Path, schema: str = "marts") -> dict[str, list[tuple]]:
    """Every table of a schema with its rows sorted: what an analyst can see."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = ? order by 1", [schema]
        ).fetchall()
        return {
            name: con.execute(f'select * from {schema}."{name}" order by all').fetchall()
            for (name,) in tables
        }
    finally:
        con.close()


def history_dependent_marts() -> set[str]:
    """Marts built from dbt snapshots: they record when the warehouse was built, not the news.

    A rebuild (or a rerun after a crash) reproduces every other mart from raw/ exactly; these
    carry the build times of the runs that made them, so comparisons leave them out.
    """
    from pipelines.defs.dbt.project import dbt_project

    nodes = json.loads(dbt_project.manifest_path.read_text(encoding="utf-8"))["nodes"]

    def reads_a_snapshot(unique_id: str, seen: set[str]) -> bool:
        if unique_id in seen or unique_id not in nodes:
            return False
        seen.add(unique_id)
        node = nodes[unique_id]
        if node["resource_type"] == "snapshot":
            return True
        parents = node.get("depends_on", {}).get("nodes", [])
        return any(reads_a_snapshot(parent, seen) for parent in parents)

    return {
        node["name"]
        for unique_id, node in nodes.items()
        if node["resource_type"] == "model"
        and node["schema"].endswith("marts")
        and reads_a_snapshot(unique_id, set())
    }


def comparable_marts(path: Path) -> dict[str, list[tuple]]:
    """The marts a rebuild from raw/ must reproduce exactly (all but the build history)."""
    skip = history_dependent_marts()
    return {name: rows for name, rows in marts(path).items() if name not in skip}


def published_counts(analyst_path: Path) -> dict[str, int]:
    """The marts' row counts the JSON beside the analyst copy announces."""
    document = json.loads(analyst_path.with_suffix(".json").read_text(encoding="utf-8"))
    return {
        name: count for name, count in document["row_counts"].items() if name.startswith("marts.")
    }


# Every raw table's key: a lost row changes the distinct count, a duplicate the row count.
RAW_KEYS = {
    "raw.fetches": "fetch_id",
    "raw.articles": "article_id, article_version",
    "raw.extractions": "article_id, article_version, extractor_version",
    "raw.event_mentions": "mention_id",
    "raw.casualty_figures": "figure_id",
    "raw.attributions": "attribution_id",
    "raw.evidence": "evidence_id",
}


def raw_state(settings: Settings) -> dict[str, object]:
    """Row counts and distinct keys of the raw tables, and every article row."""
    state: dict[str, object] = {}
    for table, key in RAW_KEYS.items():
        state[table] = query(
            settings.warehouse_path, f"select count(*), count(distinct ({key})) from {table}"
        )[0]
    state["articles"] = query(settings.warehouse_path, "select * from raw.articles order by all")
    return state


def fetch_logs(landed: Path) -> dict[str, str]:
    """SHA-256 of every day's fetch log: any fetch would append to one."""
    return {
        str(path.relative_to(landed)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(landed.glob("*/fetches.jsonl"))
    }


class ChildProcess:
    """A Python child in its own process group whose output lines are collected as they come.

    ``wait_for`` polls the lines (or anything else) until a condition holds; ``kill`` sends
    SIGKILL to the whole group, as a crash of the machine or the OOM killer would.
    """

    def __init__(self, args: list[str], env: Mapping[str, str], log: Path) -> None:
        self.lines: list[str] = []
        self._log = log.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            self._log.write(line)
            self._log.flush()

    def wait_for(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Poll ``condition`` every 50 ms; fail with the output's tail when it never holds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None and not condition():
                break
            time.sleep(0.05)
        tail = "".join(self.lines[-40:])
        raise AssertionError(f"{what} did not happen within {timeout:.0f} s:\n{tail}")

    def saw(self, text: str) -> bool:
        """True once a line containing ``text`` was printed."""
        return any(text in line for line in self.lines)

    def kill(self) -> None:
        """SIGKILL the child and everything it started (dbt included)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def wait(self, timeout: float) -> int:
        """Wait for the child to exit on its own; return its exit code."""
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self._reader.join(timeout=5)
            self._log.close()

    def close(self) -> None:
        """Make sure nothing is left running (used in finally blocks)."""
        if self.process.poll() is None:
            self.kill()
        self._reader.join(timeout=5)
        if not self._log.closed:
            self._log.close()
