# Reflect: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
# Without DATABASE_URL both start a project-local PostgreSQL (data in .pgdata/) and stop it after.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
LOCALDB := $(PY) scripts/localdb.py
# Development conveniences for `make run` only; production settings are the defaults.
DEV_ENV := DEBUG=true HTTPS=false EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend NOTIFY_EMAIL_DELAY_SECONDS=10

.PHONY: run test test-fast test-browser bench install lock lint fmt migrate manage check-deploy clean

run: install
	$(DEV_ENV) $(LOCALDB) sh -c '$(PY) manage.py migrate --no-input && $(PY) manage.py load_demo && exec $(PY) scripts/dev.py 127.0.0.1:$(PORT)'

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

migrate: install
	$(DEV_ENV) $(LOCALDB) $(PY) manage.py migrate

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
