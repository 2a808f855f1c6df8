# Snagdesk — `make run` starts the demo, `make test` runs every suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python backend/manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo client site with the widget; the demo tokens are moved to follow it.
DEMO_PORT ?= 8001

.PHONY: run test install lint typecheck pytest widget-test browser-deps clean messages \
	sdk-test wordpress-test joomla-test plugins wordpress-zip joomla-zip

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The server and the SDK in one environment (they import as `snagdesk_server` and
# `snagdesk`); reinstalled only when a dependency list changes.
$(VENV)/.installed: pyproject.toml sdk/python/pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[dev]" -e ./sdk/python
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
	DEBUG=1 $(MANAGE) seed_demo --demo-port $(DEMO_PORT)
	DEBUG=1 $(MANAGE) devstack --host $(HOST) --port $(PORT) --site-port $(DEMO_PORT)

# Every app's translation catalogues (<app>/locale/): extract the marked strings of its
# code and templates, and compile the .mo files that are committed beside them.
messages: install
	DEBUG=1 $(MANAGE) messages_update

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The server's mypy configuration, then the SDK's own (strict).
typecheck: install
	$(BIN)/mypy
	cd sdk/python && ../../$(BIN)/mypy

widget-test: widget/node_modules/.installed
	cd widget && npm run lint && npm test && npm run check-build

pytest: install browser-deps widget/node_modules/.installed
	$(BIN)/pytest -n 2 -q

# The SDK's tests, against a live server started from the same .venv.
sdk-test: install
	sdk/python/run-tests

# A real WordPress (Debian's package) on the local MariaDB; PHP and WordPress come from apt.
wordpress-test:
	plugins/wordpress/run-tests

# PHPUnit against stand-ins for the Joomla classes, manifest and zip checks.
joomla-test:
	plugins/joomla/run-tests

test: lint typecheck widget-test pytest sdk-test wordpress-test joomla-test

# Installable zips of the CMS plugins, in dist/.
wordpress-zip:
	plugins/wordpress/build-zip
joomla-zip:
	plugins/joomla/build-zip
plugins: wordpress-zip joomla-zip

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache widget/node_modules dist
