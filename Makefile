# The one interface: `make help` lists the targets. Every target works on its own.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
# uv from PATH, else the copy `make setup` installs with pip.
UV := $(shell command -v uv 2>/dev/null || echo python3 -m uv)
# Run history and schedules live here (git-ignored); override to keep them elsewhere.
export DAGSTER_HOME ?= $(ROOT)/.dagster_home
# pytest arguments for `make test` (e.g. PYTEST_ARGS='-m "not e2e"').
PYTEST_ARGS ?=

DBT_DIR := $(ROOT)/dbt
MANIFEST := $(DBT_DIR)/target/manifest.json
DBT_PROJECT_FILE := pipelines/defs/dbt/project.py
# Everything the manifest is built from: rebuilt only when one of these changes.
DBT_INPUTS := $(shell find $(DBT_DIR) \( -path $(DBT_DIR)/target -o -path $(DBT_DIR)/logs -o -path $(DBT_DIR)/dbt_packages \) -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print 2>/dev/null)

.PHONY: help setup home prepare run rebuild report ui test eval bench-extract lint format clean clean-all

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

setup: ## Install uv if missing and sync the locked environment (fast when done)
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 \
		|| python3 -m pip install --quiet uv
	@cd $(ROOT) && $(UV) sync --frozen --quiet

home: setup ## Create DAGSTER_HOME with its dagster.yaml if missing
	@cd $(ROOT) && $(UV) run --frozen python -m pipelines.defs.instance

$(MANIFEST): $(DBT_INPUTS) $(ROOT)/$(DBT_PROJECT_FILE)
	@cd $(ROOT) && $(UV) run --frozen dagster-dbt project prepare-and-package --file $(DBT_PROJECT_FILE)
	@touch $(MANIFEST)

prepare: setup ## Build the dbt manifest (dbt deps + parse) when dbt/ changed
	@$(MAKE) $(MANIFEST)

run: setup home prepare ## Materialise every asset for today's partition, then print the marts
	@cd $(ROOT) && $(UV) run --frozen python -m pipelines.defs.cli run

rebuild: setup home prepare ## Replay every fetch day in raw/ (no network) into one rebuild run; FROM=/TO= limit the days
	@cd $(ROOT) && $(UV) run --frozen python -m pipelines.defs.cli rebuild $(if $(FROM),--from $(FROM)) $(if $(TO),--to $(TO))

report: setup ## Rebuild the HTML report from the analyst database and print its file:// URL
	@cd $(ROOT) && $(UV) run --frozen python -m pipelines.defs.cli report

ui: setup home prepare ## Dagster UI on 127.0.0.1:3000 with every asset (Ctrl-C stops it)
	@cd $(ROOT) && $(UV) run --frozen python -m pipelines.defs.serve

test: setup prepare ## Run the test suite (browser tests are marked `browser`)
	@cd $(ROOT) && $(UV) run --frozen pytest $(PYTEST_ARGS)

SHARED := $(abspath $(ROOT)/../shared)
EVAL_OUT := $(ROOT)/docs/eval.md

eval: setup ## Score the extractor on ../shared/eval/dev and write the table to docs/eval.md
	@test -d $(SHARED)/eval/dev || { echo "eval: $(SHARED)/eval/dev not found (the development gold sets live beside the project)"; exit 2; }
	@mkdir -p $(ROOT)/docs
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cat $(SHARED)/eval/dev/*.jsonl > $$tmp/in.jsonl \
		&& cd $(ROOT) && $(UV) run --frozen python -m pipelines.extract $$tmp/in.jsonl > $$tmp/pred.jsonl \
		&& $(UV) run --frozen python $(SHARED)/eval/score.py $(SHARED)/eval/dev $$tmp/pred.jsonl --by-field | tee $$tmp/table.txt \
		&& $(UV) run --frozen python -m pipelines.extract.report_eval $$tmp/table.txt > $(EVAL_OUT) \
		&& echo "wrote $(EVAL_OUT)"

bench-extract: setup ## Extractor articles/s on one core over a fixed corpus, beside a keyword baseline
	@cd $(ROOT) && $(UV) run --frozen python bench/extract.py --articles $${BENCH_ARTICLES:-20000}

# Scale benchmark sizes (article versions); `make bench BENCH_SIZES=10000` for a quick run.
BENCH_SIZES ?= 10000 100000
# Extra arguments for bench.run (e.g. BENCH_ARGS='--skip-dagster --dbt-threads 2').
BENCH_ARGS ?=
# Where the report goes; commit the one written by the default sizes.
BENCH_OUT ?= docs/benchmarks.md

.PHONY: bench bench-data bench-clean

bench: setup prepare ## Rebuild from synthetic raw zones of BENCH_SIZES articles, time every stage, write BENCH_OUT (docs/benchmarks.md)
	@cd $(ROOT) && $(UV) run --frozen python -m bench.run --sizes "$(BENCH_SIZES)" --out "$(BENCH_OUT)" $(BENCH_ARGS)

bench-data: setup ## Only generate (or reuse) the synthetic raw zones of BENCH_SIZES under .cache/bench/
	@cd $(ROOT) && $(UV) run --frozen python -m bench.run --sizes "$(BENCH_SIZES)" --generate-only

bench-clean: ## Remove the benchmark's generated data and warehouses (.cache/bench/, several GB)
	@rm -rf "$${PIPELINES_CACHE_DIR:-$(ROOT)/.cache}/bench"

lint: setup ## ruff check + format check, sqlfluff on the dbt SQL
	@cd $(ROOT) && $(UV) run --frozen ruff check pipelines tests bench
	@cd $(ROOT) && $(UV) run --frozen ruff format --check pipelines tests bench
	@cd $(ROOT) && $(UV) run --frozen sqlfluff lint dbt/models dbt/tests

format: setup ## ruff fix + format
	@cd $(ROOT) && $(UV) run --frozen ruff check --fix pipelines tests bench
	@cd $(ROOT) && $(UV) run --frozen ruff format pipelines tests bench

clean: ## Remove build artefacts (dbt target/ and logs/, caches); keeps data
	@rm -rf $(DBT_DIR)/target $(DBT_DIR)/logs $(ROOT)/.pytest_cache $(ROOT)/.ruff_cache $(ROOT)/test-artifacts
	@find $(ROOT)/pipelines $(ROOT)/tests -name __pycache__ -type d -prune -exec rm -rf {} +

clean-all: clean ## Also remove the warehouse files and DAGSTER_HOME (raw/ payloads are kept)
	@rm -rf $(ROOT)/warehouse/*.duckdb $(ROOT)/warehouse/*.duckdb.wal $(ROOT)/warehouse/*.json \
		$(ROOT)/warehouse/.*.tmp.duckdb $(ROOT)/warehouse/reports "$(DAGSTER_HOME)"
