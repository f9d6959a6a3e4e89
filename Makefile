# ACC Desk: the one entry point. `make run` to try it, `make test` to test it.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# System packages the browser tests and PDF rendering need (Debian names).
SYSTEM_PACKAGES := chromium chromium-driver libharfbuzz-subset0 poppler-utils \
	libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: install install-dev run test lint fmt docs system-packages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q uv || true

# `uv` installs in seconds; plain pip is the fallback where uv cannot be had.
# Both write the bytecode of what they install, and ACC Desk's own is compiled
# after: where PYTHONDONTWRITEBYTECODE is set (this project's build machines, many
# container images) nothing else writes it, and every `accdesk` command and web
# worker would compile Django, Polars and ACC Desk anew at start-up (about 2 s).
define pip_install
	if [ -x $(BIN)/uv ]; then $(BIN)/uv pip install --python $(BIN)/python -q --compile-bytecode $(1); \
	else $(BIN)/pip install -q --compile $(1); fi
endef

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(call pip_install,-e .)
	$(BIN)/python -m compileall -q -j0 accdesk > /dev/null
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(call pip_install,-e ".[dev]")
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# `make run` serves plain HTTP on this machine only (127.0.0.1:8000), so
# HTTPS-only cookies are turned off. `make run HOST=0.0.0.0 PORT=8080` serves other
# machines too: a HOST other than loopback joins ALLOWED_HOSTS (for 0.0.0.0, this
# machine's names and addresses), with a warning -- plain HTTP must not carry CJI
# over a network. The background worker (reminders, digest, nightly checks) runs
# beside the web server and stops with it on Ctrl-C; without EMAIL_HOST it prints
# the e-mails.
HOST ?= 127.0.0.1
PORT ?= 8000
comma := ,
empty :=
space := $(empty) $(empty)
LOOPBACK = $(filter 127.% localhost ::1,$(HOST))
HOST_NAMES = $(if $(filter 0.0.0.0 ::,$(HOST)),$(shell hostname) $(shell hostname -f 2>/dev/null) $(shell hostname -I 2>/dev/null),$(HOST))
# Django names IPv6 hosts in brackets.
RUN_HOSTS = $(subst $(space),$(comma),$(sort 127.0.0.1 localhost $(foreach h,$(HOST_NAMES),$(if $(findstring :,$(h)),[$(h)],$(h))) $(subst $(comma),$(space),$(ALLOWED_HOSTS))))

run: install
	ACCDESK_HTTPS=0 $(BIN)/accdesk migrate --noinput
	ACCDESK_HTTPS=0 $(BIN)/accdesk demo --first-run
	@if [ -z "$(LOOPBACK)" ]; then \
	  echo "WARNING: serving plain HTTP on $(HOST):$(PORT) to other machines. Plain HTTP"; \
	  echo "  must not carry CJI over a network: use it only to try ACC Desk with demo"; \
	  echo "  data, and deploy behind HTTPS (README: Deploying) for real data."; \
	  echo "  Allowed host names: $(RUN_HOSTS)"; \
	fi
	@echo "Serving ACC Desk on http://$(HOST):$(PORT) with its worker (Ctrl-C stops both)"
	@export ACCDESK_HTTPS=0 ACCDESK_BASE_URL=$${ACCDESK_BASE_URL:-http://$(HOST):$(PORT)} \
	  $(if $(LOOPBACK),,ALLOWED_HOSTS="$(RUN_HOSTS)"); \
	$(BIN)/accdesk worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(BIN)/accdesk runserver $(HOST):$(PORT)

# Installs what is missing (as root on Debian), or says exactly what to run.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "Missing system packages:$$missing"; \
	  echo "Run: sudo apt-get install -y --no-install-recommends$$missing"; exit 1; \
	fi

# pytest exits 5 when it collects no tests: that is a broken suite, not a pass.
test: install-dev system-packages
	$(BIN)/ruff check .
	$(BIN)/pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing on purpose"; exit 1; fi; \
	exit $$rc

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# docs/permissions.md is rendered from accdesk/agency/permissions.py (tests/test_docs.py
# fails when they differ).
docs: install
	$(BIN)/accdesk shell -v 0 -c "from pathlib import Path; \
	from accdesk.agency.permissions import markdown; \
	Path('docs/permissions.md').write_text(markdown())"

bench: install-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) test-artifacts
