# The two commands a newcomer needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := partnership.settings

.PHONY: run test lint fix demo-codes bench lighthouse clean install install-test install-bench system-packages assets

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-base: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/base.txt
	touch $@

$(VENV)/.installed-test: requirements/test.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/test.txt
	touch $@

$(VENV)/.installed-bench: requirements/bench.txt requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/bench.txt
	touch $@

install: $(VENV)/.installed-base
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

## make run: install, migrate, load the Knowsley demo and serve it on 127.0.0.1:$(PORT), with
## the tasks worker that sends the emails (into var/mail/). Ctrl-C stops both.
run: install
	DEBUG=true PORT=$(PORT) $(BIN)/python manage.py migrate --no-input
	DEBUG=true PORT=$(PORT) $(BIN)/python manage.py load_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ with the tasks worker; Ctrl-C stops both."
	@echo "Email goes to files in var/mail/ and to the Sent email page (/email/)."
	@export DEBUG=true PORT=$(PORT); \
	$(BIN)/python manage.py db_worker --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## make demo-codes: the demo accounts' current two-factor codes
demo-codes: install
	@DEBUG=true $(BIN)/python manage.py demo_codes

## System packages from Debian: Chromium for the browser tests (Playwright's own browser
## download is not used), Pango for PDF generation (WeasyPrint), fonts for both.
SYSTEM_PACKAGES := chromium fonts-liberation libpango-1.0-0 libpangoft2-1.0-0
system-packages:
	@missing=$$(for package in $(SYSTEM_PACKAGES); do dpkg -s $$package >/dev/null 2>&1 || echo $$package; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing from Debian packages: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## make test: lint, then the whole suite (on DATABASE_URL if set, else SQLite)
test: install-test system-packages lint
	$(BIN)/python -m pytest -n 2 --dist loadfile -q $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo

fix: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make bench: load test against gunicorn on the scale data; writes docs/benchmarks.md
bench: install-bench
	$(BIN)/python -m partnership.bench $(BENCH_ARGS)

## make lighthouse: Lighthouse's mobile CLS and accessibility on the main pages of `make run`'s server
lighthouse:
	$(BIN)/python -m partnership.bench.lighthouse --base http://127.0.0.1:$(PORT)

## Rebuild the GOV.UK Frontend assets (needs Node; the output is committed)
assets:
	bash assets/build.sh

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis
