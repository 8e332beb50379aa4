"""Command line: ``python -m pipelines.extract INPUT.jsonl > PREDICTIONS.jsonl``.

Reads one article per line (article_id, published_at, title, text, url), writes one event
record per line. A bad line is reported on standard error with its line number and skipped;
the rest are processed. Exit status 0 when every line was read, 1 when some were skipped,
2 when the input cannot be opened.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from pipelines.extract import EXTRACTOR_VERSION, ArticleError, extract_article


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m pipelines.extract", description=__doc__.splitlines()[0]
    )
    ap.add_argument("input", help="JSONL file of articles ('-' for standard input)")
    ap.add_argument("--version", action="version", version=EXTRACTOR_VERSION)
    args = ap.parse_args(argv)
    try:
        fh = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")  # noqa: SIM115 (closed by the with below)
    except OSError as e:
        print(
            f"{args.input}: cannot open ({e.strerror}); give a readable JSONL file", file=sys.stderr
        )
        return 2
    out = sys.stdout
    bad = articles = records = 0
    started = time.perf_counter()
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                article = json.loads(line)
                if not isinstance(article, dict):
                    raise ArticleError(
                        "a line must be a JSON object with article_id, published_at and text"
                    )
                recs = extract_article(article)
            except (json.JSONDecodeError, ArticleError) as e:
                bad += 1
                print(f"{args.input}:{n}: skipped: {e}", file=sys.stderr)
                continue
            except Exception as e:  # one article's failure must not stop the others
                bad += 1
                print(
                    f"{args.input}:{n}: skipped: internal error on article {article.get('article_id')!r}: {type(e).__name__}: {e}",
                    file=sys.stderr,
                )
                continue
            articles += 1
            for r in recs:
                out.write(json.dumps(r, ensure_ascii=False) + "\n")
                records += 1
    elapsed = time.perf_counter() - started
    rate = articles / elapsed if elapsed > 0 else 0.0
    print(
        f"extracted {records} records from {articles} articles ({bad} lines skipped) in {elapsed:.1f}s, {rate:.0f} articles/s",
        file=sys.stderr,
    )
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
