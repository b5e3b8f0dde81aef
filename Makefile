# Collab: `make run` to set up and serve, `make test` to set up and test.
PYTHON ?= python3
# Trust (issue 7, a fresh machine): VENV can be overridden (make VENV=/tmp/collab-venv test).
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
PORT ?= 5000
HOST ?= 127.0.0.1
# What scripts/check_prereqs.py checks for: the browser matters only to `make test`.
CHECK_FOR := $(firstword $(filter test bench,$(MAKECMDGOALS)) run)

.PHONY: run test lint bench install install-dev assets migrate seed clean prereqs worker scheduler

# First of all, on every run: say exactly what to apt-get install if something is missing.
prereqs:
	@$(PYTHON) scripts/check_prereqs.py $(CHECK_FOR)

# The venv counts as made only with its .created marker; a failed attempt leaves nothing behind.
$(VENV)/.created: | prereqs
	sh scripts/make_venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: requirements.txt | $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/.created
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

node_modules/.package-lock.json: package.json package-lock.json | prereqs
	npm ci --no-audit --no-fund
	touch $@

static/vendor/.built: node_modules/.package-lock.json scripts/build_assets.py | $(VENV)/.created
	$(PY) scripts/build_assets.py
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
assets: static/vendor/.built

migrate: install
	$(FLASK) db-upgrade

seed: migrate
	$(FLASK) seed-demo

# HOST and PORT reach the app too, so links in emails point at this server (BASE_URL in config.py).
run: prereqs install assets seed
	@echo "Collab is starting on http://$(HOST):$(PORT)  (demo accounts are listed in README.md)"
	HOST=$(HOST) PORT=$(PORT) $(FLASK) run --host $(HOST) --port $(PORT)

# Issue 9: the job queue (README "Background jobs"). `make worker` runs queued jobs (emails, reminders,
# digests) and needs REDIS_URL; `make scheduler` starts reminders and digests on time, on the queue with
# REDIS_URL or in its own process without. `make run` needs neither: jobs then run after each commit.
worker: prereqs install migrate
	$(FLASK) worker

scheduler: prereqs install migrate
	$(FLASK) scheduler

# Tests run in parallel (pytest-xdist), one database per worker; TEST_WORKERS=0 runs them in one process.
# --dist loadgroup keeps each xdist_group together (the browser tests: tests/conftest.py).
TEST_WORKERS ?= auto
test: prereqs install-dev assets lint
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The house style, checked: ruff (lint and import order), mypy (ruff.toml, mypy.ini) and the
# import contracts in .importlinter (core does not import areas, no area imports another's routes …).
lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports --no-cache

bench: prereqs install-dev assets
	$(PY) -m tests.bench.run

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
