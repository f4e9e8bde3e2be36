# Two commands do all the set-up on a fresh machine: `make report` and `make test`.
# Both create the virtual environment on first use (Python 3.11+, package registries only).

PYTHON ?= python3
QUARTO_KIT ?= ../shared/quarto
export QUARTO_KIT
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: report test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the latest quarter's report (website and PDF booklets) from the data in data/.
## A quarter already published is kept; `make report FORCE=1` publishes it again beside it.
report: $(STAMP)
	$(BIN)/pmf run $(if $(FORCE),--force)

## Run the whole test suite: unit tests, notebooks (nbval), end-to-end run, browser checks,
## publishing with both engines. Quarto is the one on the PATH, else it is built from the
## Quarto kit beside the repository (../shared/quarto; `make test QUARTO_KIT=` to go without).
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	scripts/with-quarto $(BIN)/pytest

## The unit tests only (no kernels, publishing or browser), in well under a minute: for the
## edit-test loop. `make test` runs everything and is what CI runs.
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m "not slow" tests

## Time a quarter's execution against the naive papermill loop, and publishing with each engine.
bench: $(STAMP)
	scripts/with-quarto $(BIN)/python benchmarks/bench_run.py

clean:
	rm -rf $(VENV) reports _site .pytest_cache
