# ENT de circonscription — `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py
# The data sizes `make bench` measures (seed_scale --size).
SIZES ?= S L
# The address the demo site gives in its feed, sitemap and e-mails.
export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)

.DEFAULT_GOAL := help
.PHONY: help install run test lint format check messages messages-check bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# axe-core for the accessibility tests (package-lock.json), when npm is present.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund; \
	else echo "npm is missing: the accessibility tests will be skipped"; fi

install: $(VENV)/.installed node_modules/.package-lock.json ## Create .venv and install the pinned dependencies (and axe-core with npm)

run: install ## Set up everything (SQLite, demo district, e-mail worker) and serve on 127.0.0.1:$(PORT)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo --if-empty
	@echo "ENT de circonscription: http://127.0.0.1:$(PORT)/ (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "E-mails go to this console; the worker sending them runs alongside (restarted if it stops)."
	scripts/keep_worker.sh $(MANAGE) db_worker --backend notifications --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install ## Run the test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(BIN)/python -m pytest

lint: install ## Check code style (ruff), the layers (import-linter) and template indentation (djhtml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/djhtml --check templates

format: install ## Format code and templates
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

check: install ## Django system checks and missing migrations
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

messages: install ## Update the French catalogue and compile it
	$(MANAGE) makemessages --locale fr --no-location --ignore "$(VENV)"
	$(MANAGE) compilemessages --locale fr --ignore "$(VENV)"

messages-check: messages ## Fail if the French catalogue is out of date or incomplete
	git diff --exit-code --ignore-matching-lines='^"POT-Creation-Date' -- locale/
	$(BIN)/python scripts/check_catalogue.py locale/fr/LC_MESSAGES/django.po

$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(BIN)/pip install --quiet -r requirements-bench.txt
	touch $@

bench: $(VENV)/.bench-installed ## Measure the site at scale (SIZES="S L"): nginx, gunicorn, PostgreSQL, Redis; results in bench/results/
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
	@test -x /usr/sbin/nginx || { apt-get update -qq && apt-get install -y -qq nginx; }
	$(BIN)/python -m bench.run --sizes $(SIZES) $(BENCH_ARGS)
