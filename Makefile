# The two commands of the README: `make run` (the app with the demo data on
# http://127.0.0.1:8000, and its task worker) and `make test` (the whole suite). Both build
# .venv on first use.
#
# Python >= 3.12 is found by *running* candidates: pyenv shims answer `command -v` but fail
# when their version is not activated. Override with `make PYTHON=/path/to/python3.13 ...`.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$HOME/.pyenv/versions/3.13*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3 \
	/root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3 \
	/usr/local/bin/python3.13 /usr/local/bin/python3.12 /usr/bin/python3.13 /usr/bin/python3.12; do \
	if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; \
	then echo "$$c"; break; fi; done)
HOST ?= 127.0.0.1
PORT ?= 8000
.DEFAULT_GOAL := help

.PHONY: help install lock check-lock system-deps run demo-reset test coverage lint typecheck format \
	check-deploy clean

help: ## These targets, with what each does
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort | \
	  awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The locks (scripts/lock.sh): requirements-dev.lock for .venv, requirements.lock for the image,
# requirements-rq.lock for an image with the Redis queue; hash-pinned, made from pyproject.toml by
# `make lock`. `uv pip sync` makes .venv exactly the dev lock (runtime + dev group): whatever the
# lock no longer names is removed, so a changed lock re-syncs the environment. The project itself
# is not installed (it runs from the checkout). uv itself is locked (dev group); the first run
# installs that version with pip to bootstrap.
UV := $(VENV)/bin/uv
UV_PIN = $$($(PY) scripts/lock_pin.py uv)

$(VENV)/.installed: requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then echo "Serve Python >= 3.12 (impostare PYTHON=...)"; exit 1; fi
	@if [ ! -x $(PY) ]; then echo "Uso $(PYTHON) ($$($(PYTHON) --version))"; $(PYTHON) -m venv $(VENV); fi
	@[ -x $(UV) ] || $(PY) -m pip install --quiet "$(UV_PIN)"
	$(UV) pip sync --no-config --require-hashes --python $(PY) --quiet requirements-dev.lock
	@rm -rf relazione.egg-info  # left by the editable installs of earlier releases
	touch $@

install: $(VENV)/.installed ## Build .venv with the app and the dev tools

# Regenerates the locks from pyproject.toml, keeping every pin that still fits (an upgrade:
# `make lock LOCK_OPTIONS="--upgrade-package django"`). After a merge that conflicted on a lock,
# it starts from the locks of HEAD and adds the merged dependencies.
lock: ## Regenerate the locks from pyproject.toml (then make install)
	@for lock in requirements-dev.lock requirements.lock requirements-rq.lock; do \
	  if grep -q '^<<<<<<<' $$lock 2>/dev/null; then git show HEAD:$$lock > $$lock; fi; done
	@[ -x $(UV) ] || { [ -x $(PY) ] || $(PYTHON) -m venv $(VENV); $(PY) -m pip install --quiet "$(UV_PIN)"; }
	scripts/lock.sh
	$(MAKE) install

# The locks are what pyproject.toml compiles to, and .venv is exactly the dev lock
# (tests/test_lock.py).
check-lock: install ## The locks are what pyproject.toml compiles to; .venv is exactly the dev lock
	scripts/lock.sh --check
	$(PY) -m pytest -q -p no:cacheprovider tests/test_lock.py

# Debian packages the suite needs: Chromium (browser journeys), poppler (PDF text checks),
# HarfBuzz's subsetter (WeasyPrint embeds font subsets with it; without it, it falls back to
# fontTools, deprecated and about a tenth of the PDF's rendering time).
system-deps: ## Install the Debian packages the suite needs (Chromium, poppler, HarfBuzz)
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installo:$$missing"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Mancano pacchetti di sistema:$$missing (apt-get install$$missing)"; exit 1; fi; \
	fi

# The web server and the task worker (PDFs, e-mails) together; Ctrl-C stops both. The demo is
# loaded only into an empty database: the work entered survives a restart.
run: install ## The app with the demo data on http://127.0.0.1:8000 (HOST, PORT) and its worker
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run.sh

# Replaces the demo years (2023, 2024) with the demo data again, and what was entered in them.
demo-reset: install ## Load the demo years (2023, 2024) again, dropping what was entered
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

test: install system-deps ## The whole suite, browser journeys included
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: install ## ruff (with the complexity limit), djLint, hadolint, the import layers contract
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/lint-imports  # the layers contract (pyproject.toml [tool.importlinter])

# The coverage floor is fail_under in pyproject.toml ([tool.coverage.report]).
coverage: install system-deps ## The suite without browser journeys, failing under the coverage floor
	$(PY) -m pytest -q -m "not browser" --cov --cov-report=term $(PYTEST_ARGS)

# The modules and the strictness are in pyproject.toml ([tool.mypy]).
typecheck: install ## mypy with django-stubs: the pure modules strictly, the services checked
	$(VENV)/bin/mypy

format: install ## Reformat the Python code and apply ruff's fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-deploy: install ## Django's deploy checks with the production settings
	DJANGO_SETTINGS_MODULE=relazione.settings.production SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-0123456789abcdefghij \
	ALLOWED_HOSTS=relazione.example.it $(PY) manage.py check --deploy --fail-level WARNING

clean: ## Remove .venv and what the app and the tests wrote
	rm -rf $(VENV) var staticfiles .pytest_cache
