# wholiked: `make run` opens the app on the demo world, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cat pyproject.toml | cksum | cut -d' ' -f1)
RUN_STAMP := $(VENV)/.installed-run-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
SOURCES := $(shell find core tui fixtures wholiked -name '*.py' -o -name '*.tcss')

.PHONY: run test lint bench clean

# One .venv per checkout.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# make test, lint, bench: an editable install with the test extras (the tests see the tree).
$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,spark]'
	rm -f $(VENV)/.installed-* && touch $@

# make run: only what running needs. After `make test` its editable install serves;
# otherwise a plain install of the checkout (no test extras, no editable-install notice),
# done again when the sources change.
$(RUN_STAMP): pyproject.toml $(SOURCES) | $(BIN)/python
	test -e $(TEST_STAMP) || $(BIN)/python -m pip install --quiet .
	touch $@

run: $(RUN_STAMP)
	$(BIN)/wholiked

# The browser test drives Debian's Chromium, the Spark tests Java 17: installed here when
# missing.
test: $(TEST_STAMP)
	command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	command -v java >/dev/null 2>&1 || { apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python tools/lint_imports.py
	$(BIN)/python tools/typecheck.py
	$(BIN)/python -m pytest

lint: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(TEST_STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) build *.egg-info snapshot_report.html
