# Two entry points for a fresh machine: `make start` and `make test` (see the README).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test

.PHONY: start test lint typecheck test-sqlite test-postgres install

$(BIN)/vsm-bot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/vsm-bot

## Install, migrate and start the bot (SQLite in ./vsm.db unless DATABASE_URL says otherwise).
start: install
	$(BIN)/vsm-bot run

## Install, then lint, type-check and run the whole suite on SQLite and on PostgreSQL.
test: install lint typecheck test-sqlite test-postgres

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy

test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/pytest -q

test-postgres:
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -q
