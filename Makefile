# Tongxin: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
PORT ?= 8000
# The address in QR codes, e-mails and calendar feeds: TONGXIN_BASE_URL when set, else this PORT.
BASE_URL := $(or $(TONGXIN_BASE_URL),http://127.0.0.1:$(PORT))
# The demo serves with two factors not enforced, so the printed accounts log in at once;
# production (gunicorn under systemd, README) keeps the default: required for staff, leaders, admins.
TWO_FACTOR := $(or $(TONGXIN_2FA_REQUIRED),0)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip

.PHONY: setup setup-dev assets run serve test test-sqlite test-postgres test-multinode lint bench bench-load audit-deps bundle install-offline test-offline

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
	@echo "同心已启动: http://127.0.0.1:$(PORT)/  (二维码和邮件中的地址: $(BASE_URL); Ctrl-C 停止)"
	@if [ "$(TWO_FACTOR)" = 0 ]; then echo "演示模式：未强制两步验证（TONGXIN_2FA_REQUIRED=1 make run 可开启）"; fi
	@trap 'kill 0' INT TERM; \
	TONGXIN_2FA_REQUIRED="$(TWO_FACTOR)" TONGXIN_BASE_URL="$(BASE_URL)" $(PY) manage.py run_huey --quiet & \
	TONGXIN_2FA_REQUIRED="$(TWO_FACTOR)" TONGXIN_BASE_URL="$(BASE_URL)" $(VENV)/bin/gunicorn tongxin.wsgi --bind 127.0.0.1:$(PORT) --workers 3 --access-logfile - & \
	wait

## test: lint, migrations check, the suite on SQLite, then again on PostgreSQL when DATABASE_URL is set
test: setup-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	env -u DATABASE_URL $(PY) manage.py makemigrations --check --dry-run -v0
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL not set: PostgreSQL pass skipped"; fi

# The multi-node test (two gunicorn nodes on PostgreSQL + Redis + an S3 fake) runs once, in the PostgreSQL pass;
# the browser tests (what pages show, 72 tests, ~5 min) run once, in the SQLite pass, to keep CI under 30 min.
# PG_MARKERS= (empty) runs every test on PostgreSQL too: make test-postgres PG_MARKERS=
PG_MARKERS ?= not browser
# Each pass runs on every core (pytest-xdist: one test database per worker, whole files per worker so a
# module's fixtures are set up once); PYTEST_WORKERS=1 runs the suite in one process.
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := $(if $(filter 1,$(PYTEST_WORKERS)),,-n $(PYTEST_WORKERS) --dist loadfile)
test-sqlite:
	env -u DATABASE_URL $(VENV)/bin/pytest -q $(PYTEST_PARALLEL) -m "not multinode"

test-postgres:
	$(VENV)/bin/pytest -q $(PYTEST_PARALLEL) $(if $(PG_MARKERS),-m "$(PG_MARKERS)")

## bundle: one archive for an intranet server with no internet (wheels, assets, source, guide, checksums) in dist/
bundle: setup assets
	PIP=$(PIP) deploy/offline/build.sh

## install-offline: install a bundle with no network: make install-offline BUNDLE=dist/tongxin-….tar.gz [PREFIX=/srv/tongxin]
PREFIX ?= /srv/tongxin
install-offline:
	@test -n "$(BUNDLE)" || (echo "用法：make install-offline BUNDLE=tongxin-….tar.gz [PREFIX=/srv/tongxin]" >&2; exit 2)
	deploy/offline/install.sh "$(BUNDLE)" "$(PREFIX)"

## test-offline: build the bundle, install and start it in a network namespace with no route out, log in (root; CI)
test-offline: setup
	deploy/offline/test-offline.sh

## test-multinode: only the multi-node test (needs redis-server, PostgreSQL at DATABASE_URL or 127.0.0.1:5432, npm's s3rver)
test-multinode: setup-dev
	$(VENV)/bin/pytest -q -m multinode

lint: setup-dev
	$(VENV)/bin/ruff check .

## bench: speed targets (never in unit tests)
bench: setup-dev
	$(PY) bench/bench_parser.py
	$(PY) bench/bench_parser_labels.py
	$(PY) bench/bench_plan_pages.py
	$(PY) bench/bench_people_import.py
	$(PY) bench/bench_year_summary.py

## bench-load: every role's main pages under gunicorn (2 workers) with wrk, beside a bare Django view, on
## generated data (SCALE=small|province; DATABASE_URL for PostgreSQL). Not in CI: needs wrk (apt-get install wrk).
SCALE ?= small
bench-load: setup-dev
	$(PY) bench/bench_load.py --scale $(SCALE) $(BENCH_LOAD_ARGS)

## audit-deps: pip-audit of every pinned dependency (constraints.txt) against PyPI's advisory data; fails on a
## known vulnerability. Where that service is unreachable (an offline intranet, this workplace) it says so and skips.
PIP_AUDIT_VERSION := 2.10.1
AUDIT_PROBE := https://pypi.org/pypi/django/5.2/json
audit-deps:
	@if $(PYTHON) -c "import urllib.request; urllib.request.urlopen('$(AUDIT_PROBE)', timeout=10)" >/dev/null 2>&1; then \
	  test -x .venv-audit/bin/pip-audit || ($(PYTHON) -m venv .venv-audit && .venv-audit/bin/pip install -q pip-audit==$(PIP_AUDIT_VERSION)); \
	  .venv-audit/bin/pip-audit --strict --disable-pip --no-deps --vulnerability-service pypi -r constraints.txt; \
	else \
	  echo "audit-deps: SKIPPED - PyPI's vulnerability data ($(AUDIT_PROBE)) is unreachable from this machine;"; \
	  echo "audit-deps: run 'make audit-deps' where it is reachable (CI with internet access). No advisory database is vendored."; \
	fi
