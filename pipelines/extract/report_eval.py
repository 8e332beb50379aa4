"""Turn the referee's table (``score.py --by-field`` output) into docs/eval.md.

    python -m pipelines.extract.report_eval TABLE.txt > docs/eval.md

The page records the extractor version beside the table so that history shows how each
change moved the scores.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipelines.extract import EXTRACTOR_VERSION

HEADER = """# Extractor evaluation

The extractor (version {version}) scored by the referee (`score.py`) on the development
gold sets beside the project (`../shared/eval/dev`): GTD 2011 summaries, ACLED Somalia
notes, MUC-4 wire stories, US news with Gun Violence Archive counts, CASE 2021 snippets and
the seed article. `make eval` regenerates this page; commit it with each change that moves
the numbers.

Targets (the extractor issue): gtd and acled_somalia event F1 >= 0.90 and slot F1 >= 0.80;
case2021 event F1 >= 0.90 and slot F1 >= 0.75; muc4 event recall >= 0.85 and slot F1 >= 0.55;
gva_news event recall >= 0.95 and slot F1 >= 0.70; seed all nine events, slot F1 >= 0.85.

```
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    table = Path(argv[0]).read_text(encoding="utf-8").rstrip()
    sys.stdout.write(HEADER.format(version=EXTRACTOR_VERSION) + table + "\n```\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
