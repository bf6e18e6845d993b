# quizapp — the README's commands. Python 3.11+ is the only prerequisite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 2

.PHONY: install install-test run serve lint test test-fast bench mutate css clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "需要 Python 3.11 或更高版本")'
	$(PYTHON) -m venv $(VENV)

# What running needs (make run / make serve) ...
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# ... and, for make test, the test tools on top.
$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

GUNICORN = $(BIN)/gunicorn --workers $(WORKERS) --threads 4 --bind $(HOST):$(PORT) \
	--access-logfile - 'quizapp:create_app()'

# Try it: the demo township is loaded into an empty database.
run: install
	$(BIN)/quizapp db upgrade
	$(BIN)/quizapp demo load --if-empty
	@echo "学法用法考试与培训平台：http://$(HOST):$(PORT)"
	$(GUNICORN)

# Use it: no demo data (create the first admin as the README says).
serve: install
	$(BIN)/quizapp db upgrade
	@echo "学法用法考试与培训平台：http://$(HOST):$(PORT)"
	$(GUNICORN)

# The quality gate: lint, then types (strict), before any test runs.
lint: install-test
	$(BIN)/ruff check quizapp tests bench tools
	$(BIN)/mypy

test: install-test lint
	$(BIN)/python -m pytest -q -n auto --maxprocesses=4

test-fast: install-test
	$(BIN)/python -m pytest -q -m "not e2e" -x

# The compressed 集中测试 + county window (bench/storm.py, issue 11); bench/autosave_wrk.py
# and bench/report_scale.py are the other benches (bench/README.md).
bench: install-test
	$(BIN)/python bench/storm.py --quick

# Mutation testing of the exam's rules (quizapp/domain/, services/attempts.py) on SQLite, without
# the browser tests; about half an hour on 2 cores. Not part of `make test`.
$(VENV)/.installed-dev: $(VENV)/.installed-test
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

mutate: $(VENV)/.installed-dev
	rm -rf mutants
	QUIZAPP_TEST_BACKENDS=sqlite $(BIN)/mutmut run --max-children 2
	$(BIN)/python tools/mutation_report.py

# Bootstrap cut down to the rules the pages use (tools/trim-css; needs node and npm, which neither
# running nor testing does). Run it after a template starts using a Bootstrap class it did not use.
css:
	cd tools/trim-css && npm ci --no-audit --no-fund && npm run trim

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache mutants
