# RecruitOS backend. `make run` and `make test` work on a fresh machine with only Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve worker test test-django6 lint check

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $@

# A local settings file for development: DEBUG on and a random secret key. Never used
# where SECRET_KEY/DEBUG are set in the real environment, which always wins.
.env:
	printf 'DEBUG=1\nSECRET_KEY=%s\n' "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(48))')" > $@

install: $(STAMP) .env

run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo_data --candidates 50 --if-empty
	$(PY) manage.py create_demo_user --url http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style: DEBUG off, static files collected and served by WhiteNoise, gunicorn.
# HTTPS=0 because this serves plain HTTP on this machine; behind TLS leave it unset.
serve: install
	DEBUG=0 $(PY) manage.py migrate --no-input
	DEBUG=0 $(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=0 HTTPS=$${HTTPS:-0} BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py recruitos.wsgi

# Background jobs (imports, webhook deliveries) from the Redis queue at REDIS_URL, with the web
# server's environment. Without REDIS_URL the web server runs them itself and no worker is needed.
worker: install
	$(PY) manage.py worker

test: install
	$(PY) -m pytest

# The same suite on the newest Django 6.x (which needs Python 3.12), on SQLite, in a venv of
# its own. Says so and stops, without failing, where no Python 3.12 is found.
PYTHON312 ?= $(shell for p in "$$(pyenv root 2>/dev/null)"/versions/3.12.*/bin/python3 "$$HOME"/.pyenv/versions/3.12.*/bin/python3 \
	$$(command -v python3.12); do "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 12)' 2>/dev/null && echo "$$p" && break; done)
VENV6 := .venv-django6
STAMP6 := $(VENV6)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)

$(STAMP6): requirements.txt requirements-dev.txt
	test -x $(VENV6)/bin/python || $(PYTHON312) -m venv $(VENV6)
	$(VENV6)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(VENV6)/bin/python -m pip install --quiet --disable-pip-version-check --upgrade "Django>=6,<7"
	rm -f $(VENV6)/.installed-* && touch $@

test-django6:
ifeq ($(strip $(PYTHON312)),)
	@echo "== SKIPPED: no Python 3.12 on this machine, so the suite did not run on Django 6.x"
else
	$(MAKE) $(STAMP6)
	@$(VENV6)/bin/python -c 'import django, sys; print(f"== Django {django.get_version()} on Python {sys.version.split()[0]}")'
	DATABASE_URL= $(VENV6)/bin/python -m pytest
endif

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Lint, migrations in step with the models, and the apps' layers (import-linter, pyproject.toml).
check: lint
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
