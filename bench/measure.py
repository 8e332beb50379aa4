"""Run one benchmark stage in its own process and measure it: wall time, CPU time, memory,
and how busy the machine was with other work meanwhile.

Memory is the peak of the resident set summed over the stage's whole process tree (the
stage, its extraction workers, the dbt process), sampled from ``/proc`` every 50 ms, so a
stage that starts helpers is charged for them. Where ``/proc`` is missing (not Linux) only
the stage process's own peak (``ru_maxrss``) is known and reported.

CPU time is the stage tree's user + system time (every process of the tree is waited for by
its parent, so it is all in the orchestrator's ``RUSAGE_CHILDREN``). The machine's busy time
over the same interval (``/proc/stat``) minus the stage's own gives ``other_cores``: the
cores other programs kept busy on average. On a shared machine wall times are only
comparable when that number is near zero; CPU times are less sensitive to it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines import settings as settings_module

RESULT_PREFIX = "BENCH-RESULT "
SAMPLE_S = 0.05
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _children(pid: int) -> list[int]:
    found = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _rss_bytes(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants now."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        stack.extend(_children(pid))
    return total


class PeakSampler(threading.Thread):
    """Samples a process tree's resident memory until stopped; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak = pid, 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop_event.wait(SAMPLE_S)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak


@dataclass
class StageRun:
    """One stage's measurements and the JSON result the stage printed."""

    name: str
    seconds: float
    peak_rss_mb: float
    result: dict[str, Any] = field(default_factory=dict)
    returncode: int = 0
    log_path: str | None = None
    cpu_s: float = 0.0
    other_cores: float | None = None


def _busy_seconds() -> float | None:
    """Seconds of CPU the whole machine has spent busy since boot (all cores), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as handle:
            fields = [int(v) for v in handle.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_stage(
    name: str,
    args: list[str],
    env: dict[str, str],
    log_dir: Path,
    module: str = "bench.stages",
) -> StageRun:
    """Run ``python -m <module> <args>`` with ``env``; its output goes to a log file."""
    root = settings_module.PROJECT_ROOT
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    command = [sys.executable, "-m", module, *args]
    busy_before, cpu_before = _busy_seconds(), _children_cpu()
    started = time.perf_counter()
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )
        sampler = PeakSampler(process.pid)
        sampler.start()
        stdout, _ = process.communicate()
        seconds = time.perf_counter() - started
        peak = sampler.stop()
        log.write(stdout)
    cpu = _children_cpu() - cpu_before
    busy_after = _busy_seconds()
    other = None
    if busy_before is not None and busy_after is not None and seconds > 0:
        other = max(0.0, (busy_after - busy_before - cpu) / seconds)
    result: dict[str, Any] = {}
    for line in stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            result = json.loads(line[len(RESULT_PREFIX) :])
    if not peak:  # no /proc: the stage's own peak is all we know
        peak = int(result.get("ru_maxrss_kb", 0)) * 1024
    return StageRun(
        name=name,
        seconds=seconds,
        peak_rss_mb=peak / 2**20,
        result=result,
        returncode=process.returncode,
        log_path=str(log_path),
        cpu_s=cpu,
        other_cores=other,
    )
