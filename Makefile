# RecruitOS backend. `make run` and `make test` work on a fresh machine with only Python.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test lint check

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
	$(PY) manage.py create_demo_user
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style: DEBUG off, static files collected and served by WhiteNoise, gunicorn.
# HTTPS=0 because this serves plain HTTP on this machine; behind TLS leave it unset.
serve: install
	DEBUG=0 $(PY) manage.py migrate --no-input
	DEBUG=0 $(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=0 HTTPS=$${HTTPS:-0} BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c gunicorn.conf.py recruitos.wsgi

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: lint
	$(PY) manage.py makemigrations --check --dry-run
