# Reflect: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
# Without DATABASE_URL both start a project-local PostgreSQL (data in .pgdata/) and stop it after.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
LOCALDB := $(PY) scripts/localdb.py
# Links in emails use SITE_URL: derived from PORT unless SITE_URL is given (`PORT=8001 make run`).
SITE_URL ?= http://127.0.0.1:$(PORT)
# Development conveniences for `make run` only; production settings are the defaults.
DEV_ENV := SITE_URL=$(SITE_URL) DEBUG=true HTTPS=false EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend NOTIFY_EMAIL_DELAY_SECONDS=10

.PHONY: run test test-fast test-browser bench install lock lint fmt migrate manage check-deploy clean

run: install
	$(DEV_ENV) $(LOCALDB) sh -c '$(PY) manage.py migrate --no-input && $(PY) manage.py load_demo && exec $(PY) scripts/dev.py 127.0.0.1:$(PORT)'

# LTI 1.3 (docs/lti.md): a small learning platform on http://127.0.0.1:8010, registered with the local
# Reflect; run it beside `make run` (another terminal) to try a launch, deep linking, roster and grades.
.PHONY: lms-demo
lms-demo: install
	$(DEV_ENV) $(LOCALDB) $(PY) scripts/lms_demo.py

# Two pytest-xdist workers (this project's machines have two cores): each has its own test database.
test: install
	$(LOCALDB) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-fast: install
	$(LOCALDB) $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: install
	$(LOCALDB) $(PY) -m pytest -m browser $(PYTEST_ARGS)

bench: install
	$(LOCALDB) $(PY) -m pytest -p no:randomly benchmarks -s -q $(PYTEST_ARGS)

# Production-like server on 127.0.0.1 with its own throwaway PostgreSQL (and Redis): Redis down,
# PostgreSQL restarts (fast, immediate), SMTP down. Prints errors, recovery times, posts lost (docs/reliability.md).
.PHONY: fault-drill
fault-drill: install
	$(PY) scripts/fault_drill.py $(DRILLS)

# Debian packages the benchmark and the drills need (each named like its program), installed when
# missing, as .ci/run does.
APT_NEED = need=""; for pkg in $(1); do command -v $$pkg >/dev/null 2>&1 || test -x /usr/sbin/$$pkg || need="$$need $$pkg"; done; \
	if [ -n "$$need" ]; then if [ "$$(id -u)" -eq 0 ]; then S=""; else S=sudo; fi; \
	$$S apt-get install -y -qq --no-install-recommends $$need || { $$S apt-get update -qq && \
	$$S apt-get install -y -qq --no-install-recommends $$need; }; fi

# The space page against a trivial view, through gunicorn (production settings, 2 workers) and wrk,
# on a throwaway PostgreSQL seeded with 1,000 reflections: req/s, p50/p95/p99, the ratio
# (docs/performance.md). A benchmark, so not part of `make test`. BENCH_SECONDS=15 per view.
.PHONY: bench-http
bench-http: install
	@$(call APT_NEED,wrk redis-server)
	$(PY) scripts/bench_http.py

# Two app servers + Redis + the worker against one PostgreSQL (through PgBouncer in transaction mode
# when installed): a sign-in, a rate limit, a job and a like across both; throughput of two vs one
# (docs/deploy.md). Prints PASS/FAIL lines; exits 1 on a failure.
.PHONY: scale-drill
scale-drill: install
	@$(call APT_NEED,redis-server pgbouncer wrk)
	$(PY) scripts/scale_drill.py

migrate: install
	$(DEV_ENV) $(LOCALDB) $(PY) manage.py migrate

# Translations (README, "Languages and time zones"): `make messages` extracts every marked string of
# the project's apps and templates into locale/<lang>/LC_MESSAGES/django.po (and static/js into
# djangojs.po); translate there, then
# `make compilemessages` writes the .mo files the site reads (committed; a test checks they are
# current). Both need GNU gettext (Debian: gettext). No database is used.
LOCALES := es ar
MESSAGES_IGNORE := --ignore=.venv --ignore=.venv/* --ignore=tests/* --ignore=benchmarks/* --ignore=scripts/* \
	--ignore=staticfiles/* --ignore=media/* --ignore=.pgdata/* --ignore=node_modules/*

.PHONY: messages compilemessages
messages: install
	DEBUG=true DATABASE_URL=$${DATABASE_URL:-postgres:///unused} $(PY) manage.py makemessages $(addprefix -l ,$(LOCALES)) --add-location=file --no-obsolete $(MESSAGES_IGNORE)
	DEBUG=true DATABASE_URL=$${DATABASE_URL:-postgres:///unused} $(PY) manage.py makemessages -d djangojs $(addprefix -l ,$(LOCALES)) --add-location=file --no-obsolete $(MESSAGES_IGNORE) --ignore=static/js/htmx.min.js

compilemessages: install
	DEBUG=true DATABASE_URL=$${DATABASE_URL:-postgres:///unused} $(PY) manage.py compilemessages $(addprefix -l ,$(LOCALES)) --ignore=.venv --ignore=.venv/*

# e.g. make manage ARGS="createsuperuser"
manage: install
	$(DEV_ENV) $(LOCALDB) $(PY) manage.py $(ARGS)

install: $(STAMP)

$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# Re-resolve pyproject.toml's ranges into exact pins (a fresh venv, so nothing stale leaks in).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^reflect' > requirements.lock
	rm -rf .lock-venv build *.egg-info

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) .pgdata staticfiles .pytest_cache .ruff_cache test-results
