"""The browser test runs the pipeline as the operating tests do (see tests/ops/helpers.py)."""

from __future__ import annotations

import pytest

from pipelines import settings as settings_module
from pipelines.settings import Settings
from tests.ops.helpers import RUN_ENV


@pytest.fixture
def pipeline_env(pipeline_env: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The suite's isolated settings, with the shared gazetteer cache and dbt's tests skipped."""
    for name, value in RUN_ENV.items():
        monkeypatch.setenv(name, value)
    return settings_module.load()
