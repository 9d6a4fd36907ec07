# Council: `make run` to serve the demo, `make test` to run everything.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.DEFAULT_GOAL := help
.PHONY: help run test test-sqlite test-postgresql lint format install clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is needed"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --progress-bar on -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed ## Create .venv and install the app with its test tools

run: install ## Migrate, seed the demo on first run, serve on http://127.0.0.1:5000
	$(BIN)/community db upgrade
	$(BIN)/community demo
	$(BIN)/community run

test: lint ## Lint, then the whole suite: SQLite (with the browser) and PostgreSQL side by side
	./scripts/install-system-deps.sh
	$(MAKE) -o install -j2 --output-sync=target test-sqlite test-postgresql

test-sqlite: install ## The whole suite on SQLite, with the browser and scale-out tests
	$(BIN)/pytest --durations=10 --junitxml=test-output/sqlite.xml

test-postgresql: install ## Unit and integration tests on a throwaway PostgreSQL server
	$(BIN)/pytest --db=postgresql --durations=10 --junitxml=test-output/postgresql.xml tests/unit tests/integration

bench: install ## Seed a large council and load its pages with wrk (figures for issue notes)
	@command -v wrk >/dev/null || apt-get install -y -q --no-install-recommends wrk
	$(BIN)/python -m tests.bench.bench_pages

lint: install ## ruff lint and format check, and mypy over the app
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install ## Format the code with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtualenv and the test output (keeps instance/)
	rm -rf $(VENV) test-output .pytest_cache .ruff_cache
