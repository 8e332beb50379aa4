"""`make ui` and the report in a real browser: headless Chromium driven by Playwright.

The UI is started the way `make ui` starts it (``pipelines.defs.serve``) on a free port of
127.0.0.1, over a warehouse whose raw/ holds one fetch day of two bundled outlets. The test
checks the lineage shows the raw tables, the extractor's tables and the dbt marts, launches
``rebuild_from_raw`` for that day through the UI's GraphQL API, watches it succeed, then
opens the report the run wrote (file://), an empty report and a report full of hostile
text. Screenshots go to test-artifacts/ (git-ignored).

Chromium comes from the system (Debian package ``chromium``); Playwright never downloads a
browser. Without /usr/bin/chromium the test skips, unless PIPELINES_REQUIRE_BROWSER is set
(CI sets it), in which case it fails.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pipelines import settings as settings_module
from pipelines.report.build import REPORT_FILE_NAME, build_report
from pipelines.report.render import render_report
from pipelines.settings import Settings
from tests.defs.test_serve import free_port, group_alive, wait_for_assets, wait_for_ui
from tests.ops.helpers import SAMPLES_DIR, ChildProcess, fetch_day, sample_sources, write_sources
from tests.ops.test_report import HOSTILE, hostile_data

# Slow (a UI, a run, a browser): left out of the fast `-m "not e2e"` selection too.
pytestmark = [pytest.mark.browser, pytest.mark.e2e]

CHROMIUM = Path("/usr/bin/chromium")
# What Chromium needs on a closed, screenless machine (no sandbox as root, no calls home).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = settings_module.PROJECT_ROOT / "test-artifacts"
DAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
RUN_TIMEOUT_S = 240
SECTIONS = ["overview", "over-time", "perpetrators", "attribution", "latest-attacks"]


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = (
        f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium); "
        "Playwright is not allowed to download its own browser"
    )
    if os.environ.get("PIPELINES_REQUIRE_BROWSER"):
        pytest.fail(reason + " (PIPELINES_REQUIRE_BROWSER is set, so this fails)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1500, "height": 1000},
        )
        try:
            yield context
        finally:
            context.close()


def shot(page: object, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def ui(pipeline_env: Settings, tmp_path: Path) -> Iterator[str]:
    """`make ui` on a free port; stopped with SIGTERM (and every process checked gone)."""
    port = free_port()
    server = ChildProcess(
        ["-m", "pipelines.defs.serve", "--port", str(port)], os.environ, tmp_path / "ui.log"
    )
    base = f"http://127.0.0.1:{port}"
    children: list[int] = []
    try:
        wait_for_ui(f"{base}/server_info", server.process)
        wait_for_assets(port)
        children = [
            os.getpgid(int(pid))
            for pid in subprocess.run(
                ["pgrep", "-P", str(server.process.pid)], capture_output=True, text=True
            ).stdout.split()
        ]
        yield base
    finally:
        server.process.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=60)
        finally:
            server.close()
            for pgid in children:
                deadline = time.monotonic() + 30
                while group_alive(pgid) and time.monotonic() < deadline:
                    time.sleep(0.5)
                if group_alive(pgid):
                    os.killpg(pgid, signal.SIGKILL)
                    raise AssertionError("the UI left processes behind")


def graphql(page: object, base: str, query: str, variables: dict | None = None) -> dict:
    # Launching a run has the webserver plan the whole job first: slow on a busy machine.
    response = page.request.post(
        f"{base}/graphql", data={"query": query, "variables": variables or {}}, timeout=180_000
    )
    assert response.ok, response.text()
    document = response.json()
    assert "errors" not in document, document
    return document["data"]


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name } } } }"
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on RunConfigValidationInvalid { errors { message } }
  }
}
"""
STATUS = "query Status($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"


def show_nodes(page: object, names: list[str]) -> None:
    """Zoom the lineage graph out until every named node is drawn (it draws what is in view)."""
    zoom_out = page.locator("button:has([aria-label='zoom_out'])")
    page.get_by_text(names[0], exact=True).or_(zoom_out).first.wait_for(timeout=60_000)
    for _ in range(12):
        if all(page.get_by_text(name, exact=True).count() for name in names):
            return
        zoom_out.click()
        page.wait_for_timeout(300)
    missing = [name for name in names if not page.get_by_text(name, exact=True).count()]
    raise AssertionError(f"the lineage graph does not show {missing}")


def wait_for_run(page: object, base: str, run_id: str) -> str:
    deadline = time.monotonic() + RUN_TIMEOUT_S
    status = "QUEUED"
    while time.monotonic() < deadline:
        status = graphql(page, base, STATUS, {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            return status
        time.sleep(1)
    return status


def test_ui_shows_the_lineage_runs_a_rebuild_and_the_report_opens(
    pipeline_env: Settings, browser: object, ui: str, tmp_path: Path
):
    outlets = ["tigris-herald", "horn-dispatch"]
    write_sources(pipeline_env, sample_sources(outlets, str(SAMPLES_DIR)))
    fetch_day(DAY)
    partition = DAY.date().isoformat()
    base = ui
    page = browser.new_page()
    try:
        location = graphql(page, base, LOCATIONS)["workspaceOrError"]["locationEntries"][0]["name"]
        # A new instance greets the first visitor with a newsletter dialog; say it was seen.
        graphql(page, base, "mutation { setNuxSeen }")

        # The lineage: the fetch, the raw tables and the extractor's tables, then the marts.
        page.goto(f"{base}/locations/{location}/asset-groups/raw")
        show_nodes(page, ["fetched_payloads", "articles", "fetches", "extractions", "evidence"])
        shot(page, "ui-raw-lineage")
        page.goto(f"{base}/locations/{location}/asset-groups/marts")
        show_nodes(page, ["fct_attacks", "fct_casualties", "fct_attributions", "dim_sources"])
        shot(page, "ui-marts-lineage")

        # Launch rebuild_from_raw for the stored day through the UI's API, watch it succeed.
        launched = graphql(
            page,
            base,
            LAUNCH,
            {
                "params": {
                    "selector": {
                        "repositoryLocationName": location,
                        "repositoryName": "__repository__",
                        "jobName": "rebuild_from_raw",
                    },
                    "runConfigData": "{}",
                    "executionMetadata": {
                        "tags": [{"key": "dagster/partition", "value": partition}]
                    },
                }
            },
        )["launchRun"]
        assert launched["__typename"] == "LaunchRunSuccess", launched
        run_id = launched["run"]["runId"]
        status = wait_for_run(page, base, run_id)
        page.goto(f"{base}/runs/{run_id}")
        page.get_by_text("Success", exact=True).first.wait_for(timeout=30_000)
        shot(page, "ui-rebuild-run")
        assert status == "SUCCESS"
    finally:
        page.close()

    report = pipeline_env.reports_dir / REPORT_FILE_NAME
    assert report.exists(), "the run did not write the report"
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Offline: the report loads nothing but itself (no CDN, no font, no image).
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(report.as_uri())
        for section in SECTIONS:
            assert page.locator(f"#{section}").is_visible(), section
        assert page.locator("#empty-state").count() == 0
        assert page.locator("#latest-attacks tr.attack").count() > 0
        assert page.locator("#over-time svg rect").count() > 0
        assert page.locator("#attribution tr[data-group]").count() > 0
        assert page.locator("#latest-attacks ul.evidence li").count() > 0
        shot(page, "report", full_page=True)
        assert requests == [report.as_uri()]

        # An empty warehouse: a clear empty state, every section still there.
        empty = build_report(tmp_path / "none.duckdb", tmp_path / "empty-report")
        page.goto(empty.path.as_uri())
        assert page.locator("#empty-state").is_visible()
        assert "No analyst database has been published yet" in page.inner_text("#empty-state")
        for section in SECTIONS:
            assert page.locator(f"#{section}").is_visible(), section
        shot(page, "report-empty", full_page=True)

        # Markup in article text stays text: nothing runs, nothing is added to the page.
        hostile = tmp_path / "hostile.html"
        hostile.write_text(render_report(hostile_data()), encoding="utf-8")
        page.goto(hostile.as_uri())
        page.wait_for_timeout(500)
        assert page.locator("script, img, iframe, svg[onload]").count() == 0
        assert HOSTILE["script"] in page.inner_text("#latest-attacks")
        assert dialogs == []
        assert all(url.startswith("file:") for url in requests), requests
        shot(page, "report-hostile", full_page=True)
    finally:
        page.close()
