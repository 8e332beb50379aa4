"""Fixtures for ingest tests: isolated settings, a threaded HTTP server on 127.0.0.1, and
the shared third-party fixtures folder (skipped when absent)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from pipelines import settings as settings_module
from pipelines.ingest.rawstore import RawStore
from pipelines.settings import Settings

SHARED_DIR = settings_module.PROJECT_ROOT.parent / "shared"


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings pointing every writable path into tmp_path, tuned for fast tests."""
    env = {
        "PIPELINES_RAW_DIR": tmp_path / "raw",
        "PIPELINES_WAREHOUSE_DIR": tmp_path / "warehouse",
        "PIPELINES_CACHE_DIR": tmp_path / "cache",
        "PIPELINES_REPORTS_DIR": tmp_path / "reports",
        "PIPELINES_SOURCES": tmp_path / "sources.toml",
        "PIPELINES_HTTP_TIMEOUT": "3",
        "PIPELINES_HTTP_RETRIES": "2",
        "PIPELINES_HTTP_BACKOFF": "0.01",
        "PIPELINES_PER_HOST_DELAY": "0",
        "PIPELINES_MAX_BODY_BYTES": str(2 * 1024 * 1024),
        "PIPELINES_ALLOW_LOOPBACK": "1",
        "PIPELINES_PAGE_TEXT_ENGINE": "trafilatura",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, str(value))
    return settings_module.load()


@pytest.fixture
def store(settings: Settings) -> RawStore:
    return RawStore(settings.landed_dir)


@pytest.fixture(scope="module")
def _server() -> Iterator[HTTPServer]:
    # Threaded, so a handler that stalls (timeouts, slow bodies) does not block the others.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def server(_server: HTTPServer) -> Iterator[HTTPServer]:
    """A real HTTP server on 127.0.0.1, with no handlers and an empty log."""
    _server.clear()
    yield _server
    _server.clear()


@pytest.fixture
def stalling(server: HTTPServer) -> Iterator[Callable[[str], None]]:
    """Register paths whose handler hangs (until the test ends) to provoke read timeouts.

    At teardown the hung handlers are released and their requests waited for, so a late
    log entry never lands in the next test.
    """
    release = threading.Event()
    paths: list[str] = []

    def stall(path: str) -> None:
        def handler(request: Request) -> Response:
            release.wait(10)
            return Response("too late")

        paths.append(path)
        server.expect_request(path).respond_with_handler(handler)

    yield stall
    release.set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        seen = {request.path for request, _ in server.log}
        if all(path in seen for path in paths):
            break
        time.sleep(0.02)
