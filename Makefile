# Pacesetter: `make run` serves the demo, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-postgres test-clocks lint format chromium faketime demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(VENV)/.installed-prod: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[prod]'
	touch $@

# `make run DEMO=0` leaves an empty database empty: the app then opens on its first-run page.
# The worker (background tasks: web imports, recounts, awards, queued digests) runs beside
# the server and stops with it: Ctrl-C, or the server's exit, sends it one SIGTERM (it has
# its own session, so it finishes the task it runs instead of getting Ctrl-C twice).
run: $(VENV)/.installed
	$(BIN)/pacesetter migrate --noinput
	$(if $(filter 0,$(DEMO)),,$(BIN)/pacesetter demo --if-empty)
	@setsid $(BIN)/pacesetter worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	trap 'exit 130' INT; trap 'exit 143' TERM; \
	$(BIN)/pacesetter serve --host $(HOST) --port $(PORT)

# $(call debian,COMMAND,PURPOSE): install Debian's package COMMAND when it is missing.
debian = @command -v $(1) >/dev/null 2>&1 || { \
	  echo "Installing Debian's $(1) for $(2)..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null; }

chromium:  # the browser tests drive it
	$(call debian,chromium,the browser tests)

faketime:  # test-clocks runs under it (libfaketime)
	$(call debian,faketime,the awkward-clock runs)

# mypy reads [tool.mypy] in pyproject.toml: the app with django-stubs, planning/ strictly.
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: $(VENV)/.installed-test chromium lint
	$(BIN)/pytest $(PYTEST_ARGS)

# The same suite on PostgreSQL: make test-postgres PG_URL=postgres://user@host:port/db
test-postgres: $(VENV)/.installed-test chromium
	PACESETTER_DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS)

# The suite without the browser tests, once per awkward machine clock (a Sunday that opens
# a year, the last evening of a quarter in New York, a leap day, the night New York leaves
# summer time): see .ci/clocks.
test-clocks: $(VENV)/.installed-test faketime
	bash .ci/clocks

# The scale benchmark (2,000 reps, ~10 M activities; SQLite, and PostgreSQL when one answers).
# The first run builds the demo databases under var/bench/ (minutes); later runs reuse them.
bench: $(VENV)/.installed-prod
	$(BIN)/pacesetter bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
