# Tongxin: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: setup setup-dev assets run serve test test-sqlite test-postgres lint bench

## setup: create .venv and install pinned runtime dependencies and front-end assets (quick when nothing changed)
setup: $(VENV)/.runtime assets

$(VENV)/.runtime: requirements.txt constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt constraints.txt
	$(PIP) install -q --disable-pip-version-check -r requirements-dev.txt -c constraints.txt
	touch $@

setup-dev: setup $(VENV)/.dev

## assets: htmx from the npm registry (package-lock.json pins it); nothing is committed or loaded from a CDN
assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

## run: install, migrate, load the demo once, serve with gunicorn + the huey consumer (Ctrl-C stops both)
run: setup
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "同心已启动: http://127.0.0.1:$(PORT)/  (Ctrl-C 停止)"
	@trap 'kill 0' INT TERM; \
	$(PY) manage.py run_huey --quiet & \
	$(VENV)/bin/gunicorn tongxin.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile - & \
	wait

## test: lint, migrations check, the suite on SQLite, then again on PostgreSQL when DATABASE_URL is set
test: setup-dev
	$(VENV)/bin/ruff check .
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL not set: PostgreSQL pass skipped"; fi

test-sqlite:
	env -u DATABASE_URL $(VENV)/bin/pytest -q

test-postgres:
	$(VENV)/bin/pytest -q

lint: setup-dev
	$(VENV)/bin/ruff check .

## bench: speed targets (never in unit tests)
bench: setup-dev
	$(PY) bench/bench_parser.py
	$(PY) bench/bench_plan_pages.py
	$(PY) bench/bench_people_import.py
	$(PY) bench/bench_year_summary.py
