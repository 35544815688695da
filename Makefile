# Two entry points for a fresh machine: `make start` and `make test` (see the README); and
# `make demo`, for a look at the bot without a Slack workspace.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# Each database's suite runs on TEST_WORKERS pytest-xdist workers, each with its own bot
# process, fake Slack and database; a module's tests stay together on one worker (the clock
# and outbox modules start a bot of their own).
# Three on two cores: the bots' and stand-ins' waits leave a core idle a fifth of the time
# with two (SQLite 145 s → 130 s, PostgreSQL 169 s → 136 s).
TEST_WORKERS ?= 3
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

.PHONY: start test demo lint typecheck test-sqlite test-postgres install

$(BIN)/vsm-bot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/vsm-bot

## Install, migrate and start the bot (SQLite in ./vsm.db unless DATABASE_URL says otherwise).
start: install
	$(BIN)/vsm-bot run

## Install, then play a scripted story against a stand-in Slack (no workspace, no configuration).
demo: install
	$(BIN)/vsm-bot demo

## Install, then lint, type-check and run the whole suite on SQLite and on PostgreSQL.
test: install lint typecheck test-sqlite test-postgres

lint:
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck:
	$(BIN)/mypy

test-sqlite:
	env -u TEST_DATABASE_URL $(PYTEST)

test-postgres:
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(PYTEST)
