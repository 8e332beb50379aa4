"""Every path and tunable the project uses, resolved from the project root and environment.

Paths never depend on the current directory: the project root comes from this file's
location, and each path can be overridden by an environment variable (documented in the
README's Configuration section). Values are read when a function is called, not at import,
so tests can point a whole run elsewhere with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# The dbt manifest records the DuckDB file's stem as the catalog name, so every warehouse
# (the real one, test ones) keeps this file name and moves only its folder.
WAREHOUSE_FILE_NAME = "conflict.duckdb"
ANALYST_FILE_NAME = "conflict_analyst.duckdb"


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).expanduser().resolve() if value else default


def _float(env: str, default: float) -> float:
    value = os.environ.get(env)
    return float(value) if value else default


def _int(env: str, default: int) -> int:
    value = os.environ.get(env)
    return int(value) if value else default


def _bool(env: str, default: bool) -> bool:
    value = os.environ.get(env)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """A snapshot of the configuration; build one with :func:`load`."""

    project_root: Path
    warehouse_dir: Path
    raw_dir: Path
    samples_dir: Path
    sources_file: Path
    dbt_project_dir: Path
    dagster_home: Path
    cache_dir: Path
    reports_dir: Path
    # HTTP
    user_agent: str
    http_timeout_s: float
    http_retries: int
    http_backoff_s: float
    max_body_bytes: int
    per_host_delay_s: float
    allow_loopback: bool
    # Text extraction from pages: "trafilatura" (accurate) or "trafilatura-fast" (bulk replays).
    page_text_engine: str
    # Schedule
    poll_cron: str
    # Extraction: worker processes (1 = in this process), article versions per landed batch,
    # and the fewest pending articles worth starting a pool for (each worker loads the
    # extractor's dictionaries and gazetteer first, a few seconds).
    extract_workers: int = 1
    extract_batch_size: int = 5000
    extract_parallel_min: int = 3000

    @property
    def warehouse_path(self) -> Path:
        """The pipeline's working DuckDB file (one writer; analysts never open it)."""
        return self.warehouse_dir / WAREHOUSE_FILE_NAME

    @property
    def analyst_path(self) -> Path:
        """The published, read-only analyst copy (swapped in atomically after each run)."""
        return self.warehouse_dir / ANALYST_FILE_NAME

    @property
    def landed_dir(self) -> Path:
        """Where fetched payloads are kept, content-addressed and date-partitioned."""
        return self.raw_dir / "landed"

    @property
    def http_state_file(self) -> Path:
        """ETag / Last-Modified remembered per source for conditional GETs."""
        return self.raw_dir / "landed" / "http_state.json"


def load() -> Settings:
    """Read the environment now and return the settings every module should use."""
    root = PROJECT_ROOT
    raw_dir = _path("PIPELINES_RAW_DIR", root / "raw")
    return Settings(
        project_root=root,
        warehouse_dir=_path("PIPELINES_WAREHOUSE_DIR", root / "warehouse"),
        raw_dir=raw_dir,
        samples_dir=root / "raw" / "samples",
        sources_file=_path("PIPELINES_SOURCES", root / "sources.toml"),
        dbt_project_dir=root / "dbt",
        dagster_home=_path("DAGSTER_HOME", root / ".dagster_home"),
        cache_dir=_path("PIPELINES_CACHE_DIR", root / ".cache"),
        reports_dir=_path("PIPELINES_REPORTS_DIR", root / "warehouse" / "reports"),
        user_agent=os.environ.get(
            "PIPELINES_USER_AGENT",
            "conflict-warehouse/0.1 (+open conflict-event research; feed reader)",
        ),
        http_timeout_s=_float("PIPELINES_HTTP_TIMEOUT", 20.0),
        http_retries=_int("PIPELINES_HTTP_RETRIES", 3),
        http_backoff_s=_float("PIPELINES_HTTP_BACKOFF", 1.0),
        max_body_bytes=_int("PIPELINES_MAX_BODY_BYTES", 10 * 1024 * 1024),
        per_host_delay_s=_float("PIPELINES_PER_HOST_DELAY", 1.0),
        allow_loopback=_bool("PIPELINES_ALLOW_LOOPBACK", False),
        page_text_engine=os.environ.get("PIPELINES_PAGE_TEXT_ENGINE", "trafilatura"),
        poll_cron=os.environ.get("PIPELINES_POLL_CRON", "0 * * * *"),
        extract_workers=_int("PIPELINES_EXTRACT_WORKERS", 0) or usable_cpus(),
        extract_batch_size=max(1, _int("PIPELINES_EXTRACT_BATCH", 5000)),
        extract_parallel_min=max(0, _int("PIPELINES_EXTRACT_PARALLEL_MIN", 3000)),
    )


def usable_cpus() -> int:
    """The cores this process may run on (its affinity mask, else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
