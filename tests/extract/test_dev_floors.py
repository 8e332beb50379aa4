"""Development-set regression floors: the extractor over the shared dev sets, scored by the
referee (`score.py` of the shared evaluation folder). Skipped when that folder is absent."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pipelines.extract import extract_article

# Regression floors, NOT the product's targets: about 0.02 below what the extractor scored
# on each development set when these floors were last set. A score below its floor is a
# regression to explain before merging; when the extractor improves, raise the floors.
FLOORS: dict[str, dict[str, float]] = {
    # measured: event F1 0.987, event recall 0.997, slot F1 0.974
    "acled_somalia": {"event_f1": 0.96, "event_r": 0.97, "slot_f1": 0.95},
    # measured: 0.960, 0.962, 0.895
    "case2021": {"event_f1": 0.93, "event_r": 0.94, "slot_f1": 0.87},
    # measured: 0.957, 0.960, 0.844
    "gtd": {"event_f1": 0.93, "event_r": 0.93, "slot_f1": 0.82},
    # measured: 0.952, 0.908, 0.730
    "gva_news": {"event_f1": 0.93, "event_r": 0.88, "slot_f1": 0.71},
    # measured: 0.782, 0.641, 0.607
    "muc4": {"event_f1": 0.76, "event_r": 0.62, "slot_f1": 0.58},
    # measured: 1.000, 1.000, 0.973 (nine events: one miss is a regression)
    "seed": {"event_f1": 0.98, "event_r": 0.98, "slot_f1": 0.95},
}


@dataclass(frozen=True)
class DevRun:
    scores: dict[str, dict[str, Any]]  # per dataset, as the referee reports them
    failures: list[str]  # articles the extractor raised on (scored as finding nothing)


def _referee(eval_dir: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("shared_eval_score", eval_dir / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def dev_run(eval_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DevRun:
    failures = []
    pred_path = tmp_path_factory.mktemp("dev") / "predictions.jsonl"
    with pred_path.open("w", encoding="utf-8") as out:
        for gold in sorted((eval_dir / "dev").glob("*.jsonl")):
            for line in gold.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                article = json.loads(line)
                try:
                    records = extract_article(article)
                except Exception as e:  # recorded, and asserted on below
                    failures.append(
                        f"{gold.stem}/{article.get('article_id')}: {type(e).__name__}: {e}"
                    )
                    continue
                out.writelines(json.dumps(r) + "\n" for r in records)
    scores = _referee(eval_dir).score(str(eval_dir / "dev"), str(pred_path))["datasets"]
    return DevRun(scores, failures)


def test_every_dev_article_is_extracted_without_error(dev_run: DevRun) -> None:
    # Real articles are messy; none may crash the extractor (the CLI would skip them).
    assert dev_run.failures == []


def test_every_dev_set_has_floors(dev_run: DevRun) -> None:
    # A dev set added to the shared folder needs floors here, or it guards nothing.
    assert set(dev_run.scores) == set(FLOORS)


@pytest.mark.parametrize("dataset", sorted(FLOORS))
def test_dev_set_scores_stay_above_floors(dataset: str, dev_run: DevRun) -> None:
    if dataset not in dev_run.scores:
        pytest.fail(f"the dev folder has no {dataset}.jsonl any more; update FLOORS")
    got = dev_run.scores[dataset]
    below = {
        metric: (round(got[metric] or 0.0, 4), floor)
        for metric, floor in FLOORS[dataset].items()
        if (got[metric] or 0.0) < floor
    }
    assert below == {}, f"{dataset}: (score, floor) below floor: {below}"
