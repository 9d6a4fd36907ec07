# Council: `make run` to serve the demo, `make test` to run everything.
# Any Python from 3.11 to 3.13 (3.11 first: the one CI measures), unless PYTHON=... is given.
PYTHON ?= $(shell for v in 3.11 3.12 3.13; do python$$v -c "" 2>/dev/null && { echo python$$v; break; }; done)
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test test-sqlite test-browser test-postgresql lint format install clean bench bytecode

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null || { echo "Python 3.11, 3.12 or 3.13 is needed (python3.11 .. python3.13 on the PATH, or PYTHON=...)"; exit 1; }
	@echo "Creating $(VENV) with $(PYTHON)..."
	$(PYTHON) -m venv $(VENV)

# Two stamps: `make run` installs what the app needs to serve; `make test` adds the test tools.
# pip's own progress (no -q): a cold install takes a minute or two and should say so.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "Installing Council and its runtime dependencies into $(VENV) (first run: a minute or two)..."
	$(BIN)/pip install --progress-bar on -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	@echo "Installing the test tools (pytest, playwright, ruff, mypy)..."
	$(BIN)/pip install --progress-bar on -e '.[test]'
	@touch $@

install: $(VENV)/.installed-test ## Create .venv and install the app with its test tools

run: $(VENV)/.installed ## Migrate, seed the demo on first run, serve on http://127.0.0.1:5000
	@$(MAKE) --no-print-directory bytecode
	@echo "Migrating the database..."
	$(BIN)/community db upgrade
	@echo "Seeding the demo (first run only; later runs keep your data)..."
	$(BIN)/community demo
	@echo "Serving on http://127.0.0.1:5000 (Ctrl-C stops it)..."
	$(BIN)/community run

# The longest job (PostgreSQL) starts first and lint takes the slot the browser job leaves:
# started first, lint held PostgreSQL back by its own run time, the whole wall time's tail.
test: install ## The whole suite (PostgreSQL, SQLite, the browser side by side), and lint
	./scripts/install-system-deps.sh
	$(MAKE) bytecode
	$(MAKE) -o install -j3 --output-sync=target test-postgresql test-sqlite test-browser lint

test-sqlite: install ## Unit and integration tests on SQLite
	$(BIN)/pytest --durations=5 --junitxml=test-output/sqlite.xml tests/unit tests/integration

test-browser: install ## Browser tests (headless Chromium) on SQLite
	$(BIN)/pytest --durations=5 --junitxml=test-output/browser.xml tests/e2e

test-postgresql: install ## Unit, integration and scale-out tests on throwaway PostgreSQL (and Redis) servers
	$(BIN)/pytest --db=postgresql --durations=5 --junitxml=test-output/postgresql.xml tests/unit tests/integration tests/scaleout

bench: install ## Seed a large council and load its pages with wrk (figures for issue notes)
	@command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
	$(BIN)/python -m tests.bench.bench_pages

# Where PYTHONDONTWRITEBYTECODE is set (this machine and CI set it), Python compiles every
# module of ours from source in each process it starts: 0.7 s of CPU per app process, and the
# tests start a few dozen (the scale-out cluster, the CLI, gunicorn). Python still reads
# bytecode written ahead, and compiles in memory any file edited since.
bytecode: | $(BIN)/python
	@$(BIN)/python -m compileall -q community tests

lint: install ## ruff lint and format check, and mypy over the app
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv and the test output (keeps instance/)
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache
