"""`make ui`: the Dagster UI starts on 127.0.0.1 with the whole graph and stops completely."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

STARTUP_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_for_ui(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        assert server.poll() is None, "the UI exited while starting"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise AssertionError(f"the UI did not answer on {url} within {STARTUP_S} s")


def asset_paths(port: int) -> set[str]:
    """The asset keys the UI's GraphQL API lists (empty while the code location loads)."""
    body = json.dumps({"query": "{ assetNodes { assetKey { path } } }"}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        nodes = json.loads(response.read())["data"]["assetNodes"]
    return {"/".join(node["assetKey"]["path"]) for node in nodes}


def wait_for_assets(port: int) -> set[str]:
    deadline = time.monotonic() + STARTUP_S
    paths: set[str] = set()
    while time.monotonic() < deadline and "analyst_database" not in paths:
        paths = asset_paths(port)
        time.sleep(1)
    return paths


def test_ui_serves_on_loopback_and_sigterm_stops_every_process(pipeline_env, tmp_path: Path):
    port = free_port()
    log = (tmp_path / "ui.log").open("w")
    # Started the way a script starts a background job: SIGINT ignored (the trap in
    # STACK-NOTES that orphans the webserver and the daemon when the parent is killed).
    server = subprocess.Popen(
        [sys.executable, "-m", "pipelines.defs.serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    children_pgid = None
    try:
        wait_for_ui(f"http://127.0.0.1:{port}/server_info", server)
        # One lineage graph: the Python assets and the dbt models in one code location.
        paths = wait_for_assets(port)
        assert {
            "fetched_payloads",
            "raw/articles",
            "staging/stg_raw__articles",
            "marts/fct_attacks",
            "analyst_database",
        } <= paths
        # The wrapper runs `dg dev` in a process group of its own.
        children = subprocess.run(
            ["pgrep", "-P", str(server.pid)], capture_output=True, text=True
        ).stdout.split()
        assert children, "no dg dev process under the wrapper"
        children_pgid = os.getpgid(int(children[0]))
        assert children_pgid != os.getpgid(server.pid)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        deadline = time.monotonic() + 30
        while group_alive(children_pgid) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not group_alive(children_pgid), "dg dev left processes behind"
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        if children_pgid is not None and group_alive(children_pgid):
            os.killpg(children_pgid, signal.SIGKILL)
        log.close()
