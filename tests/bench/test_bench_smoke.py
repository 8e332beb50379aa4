"""The scale benchmark at a tiny size, so that it cannot rot: the generator's raw zone replays
offline into exactly the article versions it promises, extraction on a pool lands the same
rows as one worker, and ``bench.run`` goes from raw/ to docs through every stage.

(No ``__init__.py`` here: a package named ``bench`` would shadow the project's ``bench``.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from bench import compare, generate, stages
from pipelines import settings as settings_module
from pipelines.defs.extraction.runner import extract_pending
from pipelines.defs.raw_tables import RAW_TABLES
from pipelines.ingest.collect import replay_day
from pipelines.ingest.rawstore import RawStore
from pipelines.warehouse import db

ROOT = settings_module.PROJECT_ROOT
PARAMS = generate.Params(
    articles=120,
    days=4,
    outlets=3,
    # Two of this seed's three outlets cover DR Congo: its long section name is the page
    # element that once leaked into the engine's text.
    seed=15,
    increment_percent=10.0,
    text_cache=True,
    engine="trafilatura",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """A tiny raw zone: 120 article versions over four days from three outlets, plus 12 more."""
    out = tmp_path_factory.mktemp("bench") / "data"
    manifest = generate.generate(out, PARAMS, workers=1, verify=5, log=lambda message: None)
    return out, manifest


def _replay(raw_dir: Path, days: list[str]) -> tuple[pl.DataFrame, int]:
    settings = replace(settings_module.load(), raw_dir=raw_dir)
    store = RawStore(settings.landed_dir)
    replays = [replay_day(date.fromisoformat(d), settings=settings, store=store) for d in days]
    articles = pl.concat([r.articles for r in replays]).unique(["article_id", "article_version"])
    return articles, sum(r.problems.height for r in replays)


def test_replay_gives_exactly_the_generated_article_versions(generated):
    out, manifest = generated
    history, problems = _replay(out / "raw", manifest["history_days"])
    assert problems == 0
    assert history.height == manifest["history_versions"] == PARAMS.articles
    # Pages (text from the stored page text), whole stories in feeds, and summaries after a
    # failed page fetch are all represented; nothing fell back silently to the title.
    assert set(history["text_origin"]) <= {"page", "entry_content", "entry_summary"}
    assert "page" in set(history["text_origin"])
    everything, _ = _replay(out / "raw", [*manifest["history_days"], manifest["increment_day"]])
    assert everything.height - history.height == manifest["increment_versions"] == 12


def test_the_same_seed_writes_the_same_bytes_with_more_workers(generated, tmp_path):
    out, _ = generated
    again = tmp_path / "again"
    generate.generate(again, PARAMS, workers=2, verify=0, log=lambda message: None)

    def files(root: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(root)): p.read_bytes()
            for p in (root / "raw").rglob("*")
            if p.is_file()
        }

    assert files(out) == files(again)


def test_stored_page_texts_are_what_the_engine_extracts(generated):
    # Every stored text, not a sample: a page element the engine keeps on some pages only
    # (a long section link above the headline did) shows up as a few percent of pages.
    out, manifest = generated
    checked, equal = generate.verify_texts(out / "raw" / "landed", "trafilatura", 10_000)
    assert checked == manifest["totals"]["pages"]
    assert equal == checked


def test_a_replay_after_a_parser_change_lands_what_the_parsed_feed_cache_gave(
    generated, tmp_path, monkeypatch
):
    # The generator leaves every feed's parsed entries as ingest does; the benchmark's
    # "new feed parser" replay parses them all again and must land the very same rows.
    out, manifest = generated
    days = [date.fromisoformat(d) for d in manifest["history_days"]]
    monkeypatch.setenv("PIPELINES_RAW_DIR", str(out / "raw"))
    feed_files = sorted((out / "raw" / "landed" / "feeds").rglob("*.json.gz"))
    before = {p.name: p.stat().st_mtime_ns for p in feed_files}
    results = {}
    for label in ("cached", "cold"):
        monkeypatch.setenv("PIPELINES_WAREHOUSE_DIR", str(tmp_path / label))
        results[label] = stages.stage_replay(days, cold_feeds=label == "cold")
    cached, cold = results["cached"], results["cold"]
    assert cached["feeds_parsed"] == 0 and cached["feeds_cached"] == cached["feeds"] > 0
    assert cold["feeds_cached"] == 0 and cold["feeds_parsed"] == cached["feeds"]
    assert cold["articles_landed"] == cached["articles_landed"] == PARAMS.articles
    name = settings_module.load().warehouse_path.name
    tables = {t: RAW_TABLES[t][0] for t in ("raw.fetches", "raw.articles")}
    differences = compare.differing_rows(
        tmp_path / "cached" / name, tmp_path / "cold" / name, tables
    )
    assert differences == {"raw.fetches": 0, "raw.articles": 0}
    # The cold replay stored what it parsed in a scratch folder: the generated cache is as
    # the generator left it, so the next benchmark run still starts from ingest's state.
    assert {p.name: p.stat().st_mtime_ns for p in feed_files} == before


def test_the_page_text_stage_times_the_engine_on_an_empty_cache(generated):
    out, manifest = generated
    result = stages.stage_page_text(
        out, [date.fromisoformat(manifest["history_days"][1])], "trafilatura"
    )
    assert result["pages"] > 0
    assert result["identical"] == result["pages"]
    assert result["pages_per_s"] > 0


def test_a_pool_of_workers_lands_the_same_rows_as_one_worker(generated, tmp_path, monkeypatch):
    out, manifest = generated
    # No dbt here, so no pipeline_env: a warehouse of our own. The extractor's gazetteer cache
    # stays where it is (PIPELINES_CACHE_DIR untouched): rebuilding it costs a minute.
    monkeypatch.setenv("PIPELINES_RAW_DIR", str(out / "raw"))
    monkeypatch.setenv("PIPELINES_WAREHOUSE_DIR", str(tmp_path / "pooled"))
    stages.stage_replay([date.fromisoformat(d) for d in manifest["history_days"]])
    pooled = settings_module.load().warehouse_path
    single = tmp_path / "single" / pooled.name
    single.parent.mkdir()
    shutil.copyfile(pooled, single)
    now = datetime(2026, 11, 21, tzinfo=UTC)
    # Small batches: several batches, the next one extracted while the last one lands.
    many = extract_pending(db.connection, "bench-test", now, workers=2, batch_size=40)
    one = extract_pending(
        lambda: db.connection(single), "bench-test", now, workers=1, batch_size=500
    )
    assert (many.workers, many.batches, one.workers, one.batches) == (2, 3, 1, 1)
    assert many.articles_read == one.articles_read == PARAMS.articles
    assert many.results["raw.event_mentions"].rows_after > 0
    assert set(compare.mention_tables(pooled, single).values()) == {0}


@pytest.mark.e2e
def test_the_benchmark_runs_from_raw_to_its_report(dbt_session, tmp_path):
    out = tmp_path / "benchmarks.md"
    command = [
        sys.executable,
        "-m",
        "bench.run",
        *("--sizes", "120", "--root", str(tmp_path / "bench"), "--out", str(out)),
        *("--no-increment", "--skip-dagster", "--skip-serial-check", "--skip-page-text"),
        # The session's warehouse folder and dbt state: dbt parses partially, as in the tests.
        *("--warehouse-dir", str(dbt_session.warehouse_dir)),
        *("--dbt-target-path", str(dbt_session.target_dir)),
    ]
    done = subprocess.run(command, cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    results = json.loads((tmp_path / "bench" / "results.json").read_text("utf-8"))
    entry = results["sizes"]["120"]
    assert entry["full"]["replay"]["result"]["articles_landed"] == 120
    assert entry["full"]["extract"]["result"]["articles_read"] == 120
    assert entry["full"]["dbt"]["result"]["failed"] == []
    assert entry["full"]["publish"]["result"]["marts"]["marts.fct_attacks"] > 0
    assert entry["analysis"]["pairs"]["result"]["difference"] == 0
    assert len(entry["analysis"]["queries"]["result"]["queries"]) == len(stages.QUERIES)
    report = out.read_text("utf-8")
    for heading in ("## Full rebuild from stored text", "## Where dbt's time goes", "## Targets"):
        assert heading in report
