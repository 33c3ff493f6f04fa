# `make run` serves the portal; `make test` passes the suite. Both set up what they need.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-fast test-scaleout chromium migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q -e . --no-deps
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py serve --host $(HOST) --port $(PORT)

chromium:
	@sh scripts/install-chromium.sh

test: $(VENV)/.installed-dev chromium
	$(BIN)/python -m pytest
	sh scripts/test-scaleout.sh

test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m "not browser"

test-scaleout: $(VENV)/.installed-dev
	sh scripts/test-scaleout.sh

clean:
	rm -rf $(VENV) var/test-*
