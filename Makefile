# Snagdesk — `make run` starts the demo, `make test` runs every suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python backend/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint typecheck pytest widget-test browser-deps clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Node packages of the widget, reinstalled only when its lock file changes.
widget/node_modules/.installed: widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium (Debian's package) for the browser tests; axe-core comes with the widget's packages.
browser-deps:
	scripts/ci-deps

run: install
	DEBUG=1 $(MANAGE) migrate --noinput
	DEBUG=1 $(MANAGE) seed_demo
	DEBUG=1 $(MANAGE) devstack --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

widget-test: widget/node_modules/.installed
	cd widget && npm run lint && npm test && npm run check-build

pytest: install browser-deps widget/node_modules/.installed
	$(BIN)/pytest -n 2 -q

test: lint typecheck widget-test pytest

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache widget/node_modules
