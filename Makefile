# Two commands for a fresh machine (see README):  make repro   |   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: install repro test test-all lint params verify bench

install: $(VENV)/.installed

# Pinned, complete dependency sets (requirements.lock: what the stages run on; requirements-dev.lock: test
# and lint tools), then textclf itself in editable mode.
$(VENV)/.installed: requirements.lock requirements-dev.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

repro: install  ## README command 1: the whole pipeline on the default dataset
	$(BIN)/textclf compose --check
	$(BIN)/dvc repro

# pytest-xdist: one worker per core; a module's tests share a worker, so each module fixture is built once.
PYTEST := $(BIN)/pytest -n auto --dist loadfile
# Tests marked `slow` (the long end-to-end runs: k-fold, sweeps, layouts, interrupts, ...) run in CI
# (CI=true, as .ci/run sets it) and in `make test-all`; a plain `make test` leaves them out.
NOT_SLOW := $(if $(filter true,$(CI)),,-m "not slow")

test: install lint  ## README command 2: lint, then the tests (end-to-end `dvc repro` smoke tests included)
	$(PYTEST) $(NOT_SLOW)

test-all: install lint  ## what CI runs: every test, the slow end-to-end ones included
	$(PYTEST)

lint: install  ## ruff: the lint rules in pyproject.toml, and the formatting `ruff format` gives
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

params: install  ## recompose params.yaml after editing conf/
	$(BIN)/textclf compose

verify: install  ## rerun the pipeline; data hashes must equal the commit's, metrics stay within 0.003
	$(BIN)/textclf verify

# About an hour on 2 cores. Rewrites reports/bench/{tutorial,tutorial_douban,leaderboard}.json and the tables in README.md and
# docs/leaderboard.md. The tutorial comparison first: it times `dvc repro --force` of the default pipeline, so
# run it on a quiet machine; the leaderboard rows are DVC experiments (`dvc exp show` lists them).
bench: install  ## benchmarks: the tutorial side by side, then the leaderboard (docs/leaderboard.md)
	$(BIN)/python scripts/bench_tutorial.py --repeats 3
	$(BIN)/python scripts/bench_tutorial.py --tutorial douban --repeats 3
	$(BIN)/python scripts/leaderboard.py
