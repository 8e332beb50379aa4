"""The scale benchmark: generate synthetic raw zones, rebuild the warehouse from each, measure
every stage, and write ``docs/benchmarks.md``.

    uv run python -m bench.run [--sizes 10000,100000] [--out docs/benchmarks.md]

For each size N: generate (or reuse) a raw zone of N article versions under
``.cache/bench/data-N``; rebuild a fresh warehouse from it stage by stage (replay and land
every day, extract, ``dbt build``, publish), each stage in a process of its own so that its
wall time and peak memory (the whole process tree) are its own; then replay the same days
again with an empty parsed-feed cache (what a new feed parser version costs) into a scratch
warehouse, and check that it lands the same rows. On the largest size it then
adds the increment (1% more article versions, one more fetch day) the same way, times the
analyst queries on the analyst copy, counts event resolution's pair candidates, and runs the
same increment again through Dagster (``rebuild_from_raw`` for that day, in process). On the
smallest size it also replays a sample of days with an empty text cache to time HTML ->
text per engine, and re-runs extraction on one worker to compare with the pool (and checks
that both land the same rows).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import generate, report
from bench.measure import StageRun, run_stage
from pipelines import settings as settings_module

ROOT = settings_module.PROJECT_ROOT
DEFAULT_SIZES = (10_000, 100_000)
PAGE_TEXT_ENGINES = ("trafilatura", "trafilatura-fast")


def parse_sizes(text: str) -> list[int]:
    """ "10000 100000" or "10000,100000" or "10k,100k" -> [10000, 100000]."""
    sizes = []
    for part in text.replace(",", " ").split():
        part = part.lower().replace("_", "")
        scale = 1_000_000 if part.endswith("m") else 1_000 if part.endswith("k") else 1
        sizes.append(int(float(part.rstrip("km")) * scale))
    return sorted(set(sizes))


class Bench:
    """One benchmark session: where data goes, the environment every stage gets, the results."""

    def __init__(self, root: Path, args: argparse.Namespace) -> None:
        self.root = root
        self.args = args
        # The dbt profile names the warehouse folder: keep both fixed so dbt parses partially.
        self.warehouse = args.warehouse_dir or root / "warehouse"
        self.target = args.dbt_target_path or root / "dbt-target"
        self.logs = root / "logs"
        self.results: dict[str, Any] = {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "sizes": {},
        }

    def env(self, data: Path, **extra: str) -> dict[str, str]:
        """The environment of a stage: every pipeline path inside the bench folder."""
        env = {
            **os.environ,
            "PIPELINES_RAW_DIR": str(data / "raw"),
            "PIPELINES_WAREHOUSE_DIR": str(self.warehouse),
            "PIPELINES_REPORTS_DIR": str(self.root / "reports"),
            "DAGSTER_HOME": str(self.root / "dagster_home"),
            "PYTHONUNBUFFERED": "1",
        }
        env.update(extra)
        return env

    def stage(
        self, label: str, args: list[str], env: dict[str, str], *, required: bool = True
    ) -> StageRun:
        """Run one stage, print a line about it, stop the benchmark if a required one failed."""
        print(f"  {label:<34}", end="", flush=True)
        run = run_stage(label.replace(" ", "_").replace("/", "_"), args, env, self.logs)
        print(_line(run), flush=True)
        if run.returncode != 0 and required:
            raise SystemExit(f"stage {label} failed ({run.returncode}); see {run.log_path}")
        if run.returncode != 0:
            print(f"  ({label} failed; see {run.log_path})")
        return run

    def fresh_warehouse(self) -> None:
        if self.warehouse.exists():
            shutil.rmtree(self.warehouse)
        self.warehouse.mkdir(parents=True)

    def data(self, size: int) -> tuple[Path, dict[str, Any], dict[str, Any]]:
        """The generated raw zone of ``size`` (generated now unless current)."""
        out = self.root / f"data-{size}"
        days, outlets = generate.default_shape(size)
        params = generate.Params(
            articles=size,
            days=days,
            outlets=outlets,
            seed=self.args.seed,
            increment_percent=self.args.increment_percent,
            text_cache=True,
            engine=settings_module.load().page_text_engine,
        )
        info: dict[str, Any] = {"reused": generate.is_current(out, params)}
        if not info["reused"]:
            command = [
                *("--articles", str(size), "--out", str(out), "--seed", str(params.seed)),
                *("--increment-percent", str(params.increment_percent), "--force"),
            ]
            print(f"  {'generate':<34}", end="", flush=True)
            run = run_stage(
                f"generate_{size}", command, os.environ.copy(), self.logs, "bench.generate"
            )
            print(_line(run), flush=True)
            if run.returncode != 0:
                raise SystemExit(f"generating {size} failed; see {run.log_path}")
            info["seconds"] = run.seconds
        manifest = json.loads(generate.manifest_path(out).read_text("utf-8"))
        info.setdefault("seconds", manifest["seconds"])
        return out, manifest, info

    def prepare_dbt(self, data: Path) -> None:
        """Parse the dbt project once for this profile, so no measured build pays a full parse."""
        import subprocess

        from bench.stages import dbt_command

        env = self.env(data, DBT_LOG_PATH=str(self.target / "logs"))
        subprocess.run(
            dbt_command("parse", "--quiet", target_path=self.target),
            env=env,
            check=True,
            capture_output=True,
        )

    def rebuild(self, size: int, data: Path, manifest: dict[str, Any]) -> dict[str, StageRun]:
        """A full rebuild from the raw zone: replay, extract, dbt build, publish."""
        env = self.env(data)
        days = ",".join(manifest["history_days"])
        runs = {
            "replay": self.stage(
                f"replay + land ({len(manifest['history_days'])} days)",
                ["replay", "--days", days],
                env,
            )
        }
        if size == self.smallest and not self.args.skip_serial_check:
            snapshot = self.root / "before-extraction.duckdb"
            shutil.copyfile(self.warehouse / settings_module.WAREHOUSE_FILE_NAME, snapshot)
        runs["extract"] = self.stage("extract (pool)", ["extract"], env)
        runs["dbt"] = self.stage("dbt build", ["dbt", "--target-path", str(self.target)], env)
        runs["publish"] = self.stage("publish analyst copy", ["publish"], env)
        return runs

    def serial_check(self, data: Path) -> dict[str, Any]:
        """Extraction on one worker from the same state: its speed, and the same rows?"""
        from bench import compare

        scratch = self.root / "serial-warehouse"
        if scratch.exists():
            shutil.rmtree(scratch)
        scratch.mkdir()
        shutil.move(
            self.root / "before-extraction.duckdb", scratch / settings_module.WAREHOUSE_FILE_NAME
        )
        env = self.env(data, PIPELINES_WAREHOUSE_DIR=str(scratch), PIPELINES_EXTRACT_WORKERS="1")
        run = self.stage("extract (1 worker)", ["extract"], env)
        differences = compare.mention_tables(
            self.warehouse / settings_module.WAREHOUSE_FILE_NAME,
            scratch / settings_module.WAREHOUSE_FILE_NAME,
        )
        shutil.rmtree(scratch)
        return {"run": asdict(run), "differences": differences}

    def cold_feeds(self, data: Path, manifest: dict[str, Any]) -> dict[str, Any]:
        """The same replay with an empty parsed-feed cache (a new feed parser version), into
        a scratch warehouse: its cost, and whether it lands the same rows as the cache did."""
        from bench import compare
        from pipelines.defs.raw_tables import RAW_TABLES

        scratch = self.root / "cold-feeds-warehouse"
        if scratch.exists():
            shutil.rmtree(scratch)
        scratch.mkdir()
        env = self.env(data, PIPELINES_WAREHOUSE_DIR=str(scratch))
        days = ",".join(manifest["history_days"])
        run = self.stage(
            "replay + land (new feed parser)", ["replay", "--days", days, "--cold-feeds"], env
        )
        tables = {t: RAW_TABLES[t][0] for t in ("raw.fetches", "raw.articles")}
        differences = compare.differing_rows(
            self.warehouse / settings_module.WAREHOUSE_FILE_NAME,
            scratch / settings_module.WAREHOUSE_FILE_NAME,
            tables,
        )
        shutil.rmtree(scratch)
        return {"run": asdict(run), "differences": differences}

    def increment(self, data: Path, manifest: dict[str, Any]) -> dict[str, Any]:
        """Add the increment day the same way; then queries, pairs, and the Dagster run."""
        env = self.env(data)
        snapshot = self.root / "before-increment.duckdb"
        shutil.copyfile(self.warehouse / settings_module.WAREHOUSE_FILE_NAME, snapshot)
        day = manifest["increment_day"]
        runs = {
            "replay": self.stage(
                f"replay + land (increment {day})", ["replay", "--days", day], env
            ),
            "extract": self.stage("extract (increment)", ["extract"], env),
            "dbt": self.stage(
                "dbt build (increment)", ["dbt", "--target-path", str(self.target)], env
            ),
            "publish": self.stage("publish (increment)", ["publish"], env),
        }
        out: dict[str, Any] = {"stages": {k: asdict(v) for k, v in runs.items()}}
        out.update(self.analyse(data))
        if self.args.dbt_threads:
            out["dbt_threads"] = asdict(
                self.stage(
                    f"dbt build ({self.args.dbt_threads} threads)",
                    [
                        "dbt",
                        "--target-path",
                        str(self.target),
                        "--threads",
                        str(self.args.dbt_threads),
                    ],
                    env,
                )
            )
        shutil.move(snapshot, self.warehouse / settings_module.WAREHOUSE_FILE_NAME)
        if self.args.skip_dagster:
            return out
        if not (settings_module.load().dbt_project_dir / "target" / "manifest.json").exists():
            print("  dagster run skipped: no dbt manifest (run `make prepare`)")
            return out
        out["dagster"] = asdict(
            self.stage("increment through Dagster", ["dagster", "--day", day], env, required=False)
        )
        return out

    def analyse(self, data: Path) -> dict[str, Any]:
        """Analyst queries on the analyst copy; event resolution's pairs in the warehouse."""
        env = self.env(data)
        repeat = ["--repeat", str(self.args.repeat)]
        target = ["--target-path", str(self.target)]
        return {
            "queries": asdict(self.stage("analyst queries", ["queries", *repeat], env)),
            "pairs": asdict(self.stage("event resolution pairs", ["pairs", *target], env)),
        }

    def page_text(self, data: Path, manifest: dict[str, Any]) -> dict[str, Any]:
        """HTML -> text with an empty cache on a sample of days, per engine."""
        days = manifest["history_days"]
        per_day = manifest["totals"]["pages"] / max(1, len(days))
        want = max(1, round(self.args.page_text_pages / max(per_day, 1)))
        middle = len(days) // 2
        sample = days[max(0, middle - want // 2) : max(0, middle - want // 2) + want]
        results = {}
        for engine in PAGE_TEXT_ENGINES:
            run = self.stage(
                f"page text, cold ({engine})",
                ["page-text", "--data", str(data), "--days", ",".join(sample), "--engine", engine],
                self.env(data),
            )
            results[engine] = asdict(run)
        return results

    def run(self, sizes: list[int]) -> dict[str, Any]:
        self.smallest, largest = sizes[0], sizes[-1]
        incremental = 0 if self.args.no_increment else self.args.incremental_size or largest
        for size in sizes:
            print(f"N = {size:,}")
            data, manifest, info = self.data(size)
            if self.args.generate_only:
                continue
            self.prepare_dbt(data)
            self.fresh_warehouse()
            runs = self.rebuild(size, data, manifest)
            entry: dict[str, Any] = {
                "data": {**info, **{k: v for k, v in manifest.items() if k != "history_days"}},
                "full": {k: asdict(v) for k, v in runs.items()},
            }
            if not self.args.skip_cold_feeds:
                entry["cold_feeds"] = self.cold_feeds(data, manifest)
            if size == self.smallest and not self.args.skip_serial_check:
                entry["serial"] = self.serial_check(data)
            if size == self.smallest and not self.args.skip_page_text:
                entry["page_text"] = self.page_text(data, manifest)
            self.results["sizes"][str(size)] = entry
            self.save()
            if size == incremental:
                entry["increment"] = self.increment(data, manifest)
            elif size == largest and self.args.no_increment:
                entry["analysis"] = self.analyse(data)
            self.save()
        self.results["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        self.results["load_average_at_end"] = _load_average()
        self.save()
        return self.results

    def save(self) -> None:
        (self.root / "results.json").write_text(
            json.dumps(self.results, indent=2, default=str), encoding="utf-8"
        )


def _line(run: StageRun) -> str:
    other = f", others busy {run.other_cores:.1f} cores" if run.other_cores is not None else ""
    return f"{run.seconds:8.1f} s wall {run.cpu_s:8.1f} s CPU {run.peak_rss_mb:7.0f} MB peak{other}"


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    import duckdb
    import polars

    memory = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            memory = int(handle.readline().split()[1]) * 1024
    except OSError:
        pass
    from pipelines.extract import EXTRACTOR_VERSION

    return {
        "cores": settings_module.usable_cpus(),
        "load_average": _load_average(),
        "extractor_version": EXTRACTOR_VERSION,
        "commit": _commit(),
        "memory_gb": round(memory / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "polars": polars.__version__,
        "system": platform.system(),
        "extract_workers": settings_module.load().extract_workers,
        "page_text_engine": settings_module.load().page_text_engine,
    }


def _load_average() -> list[float] | None:
    """The machine's 1, 5 and 15 minute load averages now (other programs' work included)."""
    try:
        return [round(v, 2) for v in os.getloadavg()]
    except OSError:
        return None


def _commit() -> str | None:
    """The checked-out commit the numbers were measured on, if this is a git checkout."""
    import subprocess

    try:
        done = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
    except OSError:
        return None
    commit = done.stdout.strip()
    if not commit:
        return None
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return commit + (" with uncommitted changes" if status.stdout.strip() else "")


def main(argv: list[str] | None = None) -> int:
    """Entry point (``make bench``)."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--sizes", default=os.environ.get("BENCH_SIZES") or ",".join(map(str, DEFAULT_SIZES))
    )
    parser.add_argument("--root", type=Path, default=settings_module.load().cache_dir / "bench")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--increment-percent", type=float, default=1.0)
    parser.add_argument("--incremental-size", type=int, help="default: the largest size")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each analyst query")
    parser.add_argument("--page-text-pages", type=int, default=300)
    parser.add_argument("--dbt-threads", type=int, default=0, help="also time dbt with N threads")
    parser.add_argument("--skip-dagster", action="store_true")
    parser.add_argument("--no-increment", action="store_true", help="full rebuilds only")
    parser.add_argument("--generate-only", action="store_true", help="only generate the data")
    parser.add_argument("--warehouse-dir", type=Path, help="default: <root>/warehouse")
    parser.add_argument("--dbt-target-path", type=Path, help="default: <root>/dbt-target")
    parser.add_argument("--skip-page-text", action="store_true")
    parser.add_argument("--skip-serial-check", action="store_true")
    parser.add_argument(
        "--skip-cold-feeds", action="store_true", help="no replay with an empty parsed-feed cache"
    )
    args = parser.parse_args(argv)
    sizes = parse_sizes(args.sizes)
    root = args.root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = Bench(root, args).run(sizes)
    if args.generate_only:
        return 0
    results["wall_s"] = time.perf_counter() - started
    results["command"] = _command(argv)
    (root / "results.json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report.markdown(results, command=_command(argv)), encoding="utf-8")
    print(
        f"wrote {args.out} ({time.perf_counter() - started:.0f} s in all; "
        f"raw results in {root / 'results.json'})"
    )
    return 0


def _command(argv: list[str] | None) -> str:
    """The command line as run, with paths inside the project shown relative to it."""
    shown = argv if argv is not None else sys.argv[1:]
    prefix = str(ROOT) + os.sep
    return " ".join(["python -m bench.run", *(a.replace(prefix, "") for a in shown)]).strip()


if __name__ == "__main__":
    sys.exit(main())
