# make run   — a demo county on SQLite at http://127.0.0.1:5000 (make run PORT=8000 for another port)
# make test  — the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set;
#              browser tests when Chromium is installed)
# make bench — benchmarks that print ratios; with BENCH_DATABASE_URL=postgresql://… also the
#              coverage report, the concurrency and the HTTP load benchmarks on PostgreSQL
#              (BENCH_PG_ARGS="--scale province" for ten counties)

PYTHON ?= python3
BENCH_PG_ARGS ?= --scale county
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast bench lint translations clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/lawlearn init-db
	$(BIN)/lawlearn demo-data --if-empty
	@echo
	@echo "  lawlearn is at http://127.0.0.1:$(PORT)"
	@echo "  Log in as admin / lawlearn-demo-2026 (county office)"
	@echo "  or coordinator1 / lawlearn-demo-2026 (a town), leader1 / lawlearn-demo-2026 (a unit)"
	@echo
	$(BIN)/flask --app lawlearn run --host 127.0.0.1 --port $(PORT)

# One pytest worker per core (pytest-xdist; each gets its own PostgreSQL database, see
# tests/conftest.py). TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= auto

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --ignore=tests/e2e

bench: $(STAMP)
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.attendance_import
	$(BIN)/python -m bench.coverage
	$(BIN)/python -m bench.assessment
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.write_path
	$(BIN)/python -m bench.http_load --db "$(BENCH_DATABASE_URL)"
	@if [ -n "$(BENCH_DATABASE_URL)" ]; then \
	  $(BIN)/python -m bench.coverage --db "$(BENCH_DATABASE_URL)" $(BENCH_PG_ARGS) && \
	  $(BIN)/python -m bench.concurrency --db "$(BENCH_DATABASE_URL)"; \
	else echo "PostgreSQL: set BENCH_DATABASE_URL (a scratch database: its tables are dropped)"; fi

lint: $(STAMP)
	$(BIN)/ruff check .

translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --ignore-dirs=".* __pycache__" --no-location -o lawlearn/translations/messages.pot .
	$(BIN)/pybabel update -i lawlearn/translations/messages.pot -d lawlearn/translations --no-fuzzy-matching
	$(BIN)/python scripts/merge_translations.py || true
	$(BIN)/pybabel compile -d lawlearn/translations

clean:
	rm -rf $(VENV) dist build
