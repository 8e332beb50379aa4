"""The Dagster instance folder (DAGSTER_HOME): created with a dagster.yaml when missing."""

from __future__ import annotations

from pathlib import Path

DAGSTER_YAML = """\
# Created by `make` when missing; edit freely (it is not overwritten).
telemetry:
  enabled: false
concurrency:
  runs:
    # DuckDB has one writer: one run at a time.
    max_concurrent_runs: 1
  pools:
    # Every writing asset is in the "warehouse" pool; one of them runs at a time.
    default_limit: 1
"""


def ensure_dagster_home(home: Path) -> Path:
    """Create ``home`` and its dagster.yaml if missing; return the dagster.yaml path."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML, encoding="utf-8")
    return config


def main() -> int:
    """``python -m pipelines.defs.instance``: get DAGSTER_HOME ready (without importing Dagster)."""
    from pipelines import settings as settings_module

    home = settings_module.load().dagster_home
    ensure_dagster_home(home)
    print(f"DAGSTER_HOME={home}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
