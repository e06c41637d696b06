# AIMEE developer commands. `make demo` and `make test` are all a fresh machine needs.
# Options of the demo: make demo ARGS="--port 8100 --ui-port 8601 --speed 10"
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck pytest bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: setup
	$(BIN)/aimee demo $(ARGS)

test: setup lint typecheck pytest

lint:
	$(BIN)/ruff check aimee tests bench scripts
	$(BIN)/ruff format --check aimee tests bench scripts
	$(BIN)/lint-imports --no-cache

typecheck:
	$(BIN)/mypy aimee

pytest:
	$(BIN)/pytest

bench: setup
	$(BIN)/python bench/planner.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
