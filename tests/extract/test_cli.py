"""The command line `python -m pipelines.extract INPUT.jsonl`, run as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

from .articles import ARTICLES


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.extract", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_lines_are_reported_and_skipped(tmp_path: Path) -> None:
    good = ARTICLES["gtd-kandahar"]
    lines = [
        json.dumps(good),  # line 1: a good article
        '{"article_id": "broken", "published_at": "2021-',  # line 2: truncated JSON
        "",  # line 3: blank lines are not errors
        json.dumps({"article_id": "no-text", "published_at": "2021-01-01"}),  # line 4
    ]
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = run_cli(str(source))

    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, result.stderr
    assert {r["article_id"] for r in records} == {"gtd-kandahar"}
    assert [r["attack_type"] for r in records if r["kind"] == "incident"] == ["armed_assault"]
    # Each skipped line is named by its number, and no other line is.
    assert f"{source}:2:" in result.stderr
    assert f"{source}:4:" in result.stderr
    assert "text" in result.stderr.split(f"{source}:4:")[1].splitlines()[0]
    assert f"{source}:1:" not in result.stderr
    assert f"{source}:3:" not in result.stderr


def test_clean_input_exits_zero(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    source.write_text(json.dumps(ARTICLES["nonviolent-vote"]) + "\n", encoding="utf-8")
    result = run_cli(str(source))
    assert result.returncode == 0, result.stderr
    # A parliament vote: read without error, nothing to report.
    assert result.stdout == ""


def test_missing_input_exits_2_with_a_clear_message(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.jsonl"
    result = run_cli(str(missing))
    assert result.returncode == 2
    assert result.stdout == ""
    assert str(missing) in result.stderr
    assert "cannot open" in result.stderr
