# The README's commands. Everything the project needs is installed from here.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: run test lint format worker bench screenshots install system-deps clean

run: install system-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	@test -n "$$CELERY_BROKER_URL" || { echo "Set CELERY_BROKER_URL first, e.g. CELERY_BROKER_URL=redis://127.0.0.1:6379/0 make worker (and the same for the web server)." >&2; exit 1; }
	$(BIN)/celery -A designs worker --loglevel=INFO

bench: install system-deps
	@status=0; for script in tests/bench/*_bench.py; do echo "== $$script"; $(BIN)/python "$$script" || status=1; done; exit $$status

# PNGs of the main screens of the demo, desktop and phone, for the README (docs/screenshots/).
screenshots: install system-deps
	$(BIN)/python -m tests.e2e.screenshots

install: $(INSTALLED)

$(INSTALLED):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { echo "Python 3.11 is needed; $(PYTHON) is $$($(PYTHON) --version 2>&1)." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { $(MAKE) --no-print-directory apt-packages PACKAGES=python3-venv && rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

# System packages: Graphviz's dot draws the diagrams; Chromium runs the browser tests.
system-deps:
	@missing=""; \
	command -v dot >/dev/null || missing="$$missing graphviz"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -d /usr/lib/postgresql/15 ] && [ ! -e /usr/share/postgresql/15/extension/postgis.control ]; then \
		if [ "$$(id -u)" = 0 ]; then missing="$$missing postgresql-15-postgis-3"; \
		else echo "Note: the PostGIS test is skipped without postgresql-15-postgis-3 (sudo apt-get install -y postgresql-15-postgis-3)." >&2; fi; \
	fi; \
	[ -z "$$missing" ] || $(MAKE) --no-print-directory apt-packages PACKAGES="$$missing"

apt-packages:
	@if [ "$$(id -u)" = 0 ]; then \
		echo "Installing $(PACKAGES) with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PACKAGES) >/dev/null; \
	else \
		echo "Missing system packages. Run: sudo apt-get install -y $(PACKAGES)" >&2; exit 1; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-db.sqlite3*
