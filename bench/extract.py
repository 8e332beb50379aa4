"""Extractor throughput on one core: articles/s and peak memory over a fixed mixed corpus.

The corpus is the development gold sets (real text in five styles) repeated to at least
`--articles` articles, streamed so memory stays flat; without them (a bare clone) it is
the bundled sample stories repeated. A plain keyword baseline runs over the same corpus
for comparison: it finds an attack word and emits one record, which is roughly the cost of
reading the text once with regular expressions.

    uv run python bench/extract.py [--articles 20000]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from pipelines import settings
from pipelines.extract import extract_article

_BASELINE = re.compile(
    r"\b(?:attack|bomb|explosion|blast|rocket|mortar|shell|air ?strike|drone|gunmen|shot|killed|"
    r"kidnapp|abduct|ambush|clash|grenade|ied|suicide)\w*",
    re.I,
)


def corpus_files() -> tuple[list[Path], str]:
    dev = settings.PROJECT_ROOT.parent / "shared" / "eval" / "dev"
    files = sorted(dev.glob("*.jsonl")) if dev.is_dir() else []
    if files:
        return files, "development gold sets"
    return [], "bundled sample stories"


def base_articles() -> tuple[list[dict], str]:
    files, label = corpus_files()
    out: list[dict] = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for line in fh:
                a = json.loads(line)
                out.append(
                    {k: a.get(k) for k in ("article_id", "published_at", "title", "text", "url")}
                )
    if not out:
        samples = json.loads((settings.load().samples_dir / "expected.json").read_text("utf-8"))
        for key, a in samples["articles"].items():
            out.append(
                {
                    "article_id": key,
                    "published_at": a["published_at"],
                    "title": a.get("title"),
                    "text": a.get("reference_text") or a.get("summary") or "",
                    "url": None,
                }
            )
    return out, label


def stream(base: list[dict], n: int) -> Iterator[dict]:
    i = 0
    while i < n:
        a = base[i % len(base)]
        yield dict(a, article_id=f"{a['article_id']}#{i // len(base)}")
        i += 1


def baseline(article: dict) -> list[dict]:
    m = _BASELINE.search(article.get("text") or "")
    if not m:
        return []
    return [
        {
            "article_id": article["article_id"],
            "kind": "incident",
            "date_start": str(article["published_at"])[:10],
        }
    ]


def run(fn, base: list[dict], n: int) -> tuple[float, int]:
    records = 0
    start = time.process_time()
    for a in stream(base, n):
        records += len(fn(a))
    return time.process_time() - start, records


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20000)
    args = ap.parse_args(argv)
    base, label = base_articles()
    warm = time.perf_counter()
    extract_article(base[0])  # dictionaries and gazetteer load once per process
    load_s = time.perf_counter() - warm
    rss_loaded = peak_rss_mb()
    half = args.articles // 2
    t_half, _ = run(extract_article, base, half)
    rss_half = peak_rss_mb()
    t_full, recs = run(extract_article, base, args.articles)
    rss_full = peak_rss_mb()
    t_base, base_recs = run(baseline, base, args.articles)
    rate, base_rate = args.articles / t_full, args.articles / t_base
    growth = t_full / max(t_half, 1e-9)
    print(f"corpus: {label}, {len(base)} distinct articles repeated to {args.articles}")
    print(f"start-up (dictionaries, gazetteer): {load_s:.1f} s, RSS {rss_loaded:.0f} MB")
    print(f"extractor: {rate:,.0f} articles/s on one core ({recs} records), CPU {t_full:.1f} s")
    print(f"baseline (keyword regex): {base_rate:,.0f} articles/s ({base_recs} records)")
    print(
        f"peak RSS after {half} articles: {rss_half:.0f} MB; after {half + args.articles}: "
        f"{rss_full:.0f} MB (flat = no growth with corpus size)"
    )
    print(
        f"{half} articles took {t_half:.1f} s CPU; {args.articles} took {t_full:.1f} s "
        f"({growth:.2f}x for 2x the articles)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
