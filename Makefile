# Collab: `make run` to set up and serve, `make test` to set up and test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
HOST ?= 127.0.0.1

.PHONY: run test bench install install-dev assets migrate seed clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.package-lock.json scripts/build_assets.py | $(PY)
	$(PY) scripts/build_assets.py
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
assets: static/vendor/.built

migrate: install
	$(FLASK) db-upgrade

seed: migrate
	$(FLASK) seed-demo

run: install assets seed
	@echo "Collab is starting on http://$(HOST):$(PORT)  (demo accounts are listed in README.md)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev assets
	$(PY) -m pytest $(PYTEST_ARGS)

bench: install-dev assets
	$(PY) -m tests.bench.run

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
