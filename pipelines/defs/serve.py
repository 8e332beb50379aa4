"""``python -m pipelines.defs.serve``: run ``dg dev`` on 127.0.0.1 so that Ctrl-C stops all of it.

A shell that starts a program in the background leaves SIGINT ignored, and ``dg dev`` maps
SIGTERM onto SIGINT, so killing it from a script orphans the webserver and the daemon. This
wrapper starts ``dg dev`` with SIGINT restored to default in a process group of its own, and
on Ctrl-C or SIGTERM interrupts that whole group, waits, and kills what is left.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time

from pipelines import settings as settings_module
from pipelines.defs.instance import ensure_dagster_home

GRACE_S = 20.0


def _restore_default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _stop_group(process: subprocess.Popen[bytes]) -> int:
    """Interrupt the server's process group, then kill whatever outlives the grace period."""
    try:
        os.killpg(process.pid, signal.SIGINT)
    except ProcessLookupError:
        return process.wait()
    deadline = time.monotonic() + GRACE_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        time.sleep(0.2)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the daemon or a code server left behind
    return process.wait()


def serve(port: int) -> int:
    """Run the Dagster UI until interrupted."""
    settings = settings_module.load()
    ensure_dagster_home(settings.dagster_home)
    env = {**os.environ, "DAGSTER_HOME": str(settings.dagster_home)}
    command = ["dg", "dev", "--host", "127.0.0.1", "--port", str(port)]
    print(f"Dagster UI on http://127.0.0.1:{port} (Ctrl-C stops it)", flush=True)
    process = subprocess.Popen(
        command,
        cwd=settings.project_root,
        env=env,
        start_new_session=True,
        preexec_fn=_restore_default_sigint,  # only resets one signal; no locks taken
    )
    stop = {"requested": False}

    def _on_signal(signum: int, _frame: object) -> None:
        stop["requested"] = True

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    while process.poll() is None and not stop["requested"]:
        time.sleep(0.2)
    return _stop_group(process) if stop["requested"] else process.returncode


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m pipelines.defs.serve", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("DAGSTER_PORT", "3000")))
    args = parser.parse_args(argv)
    return serve(args.port)


if __name__ == "__main__":
    sys.exit(main())
