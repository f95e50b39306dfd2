# Lead Goose — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000

.PHONY: run serve setup translations migrate content test test-sqlite test-postgres test-e2e bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(PY) scripts/i18n.py compile

migrate: setup
	$(FLASK) db upgrade

## content: load the manual, the question bank and the plan templates (idempotent: unchanged files change nothing)
content: migrate
	$(FLASK) courses sync
	$(FLASK) questions import question_bank
	$(FLASK) plans sync

## make run: install, migrate, load content and demo data (on an empty database), serve on 127.0.0.1:$(PORT)
run: content
	$(FLASK) seed demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

## make test: the whole suite on SQLite, then on PostgreSQL when one is reachable, then the browser tests
test: setup
	$(PY) -m pytest -q -p no:cacheprovider tests --ignore=tests/e2e
	@url=$$($(PY) scripts/test_postgres.py); \
	if [ -n "$$url" ]; then echo "== PostgreSQL: $$url"; TEST_DATABASE_URL=$$url $(PY) -m pytest -q -p no:cacheprovider tests --ignore=tests/e2e; \
	else echo "== PostgreSQL not reachable: suite ran on SQLite only"; fi
	$(PY) -m pytest -q -p no:cacheprovider tests/e2e

test-e2e: setup
	$(PY) -m pytest -q -p no:cacheprovider tests/e2e

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) instance/leadgoose.db* .pytest_cache
