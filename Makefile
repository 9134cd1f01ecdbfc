# KlarRet: `make run` sets everything up and serves on http://127.0.0.1:5000; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export PORT

.PHONY: run test lint install install-dev node-deps ralph-venv system-deps build pdf db demo-data serve bench clean dkfds screenshots

$(BIN)/python:
	@echo "==> Opretter virtuelt miljø i $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

install: $(BIN)/python
	@echo "==> Installerer KlarRet og dets afhængigheder"
	$(BIN)/python -m pip install -q -e .

install-dev: $(BIN)/python
	@echo "==> Installerer KlarRet med test-værktøjer"
	$(BIN)/python -m pip install -q -e '.[dev]'

# axe-core for the accessibility checks in the browser tests (pinned in package-lock.json).
node-deps:
	@if command -v npm >/dev/null 2>&1; then \
	  echo "==> Installerer axe-core og oidc-provider (npm ci)"; npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm findes ikke: browsertestene springes over (kør 'make system-deps')"; fi

# Ralph, the Learning Record Store the xAPI tests send to, in its own virtualenv: it pins old versions of
# its dependencies, so it never enters the project's. Ralph 5.1.0 forgets its requests dependency.
RALPH_VENV := .venv-ralph
ralph-venv: $(RALPH_VENV)/bin/ralph

$(RALPH_VENV)/bin/ralph:
	@echo "==> Installerer Ralph (læringsregister til xAPI-testene) i $(RALPH_VENV)"
	$(PYTHON) -m venv $(RALPH_VENV)
	$(RALPH_VENV)/bin/python -m pip install -q 'ralph-malph[cli,lrs]==5.1.0' requests

# System packages for the browser, spelling and PDF tests and PostgreSQL backups (Debian; run as root). Only what is missing is
# installed: Node.js often comes from NodeSource with npm built in, and Debian's npm conflicts with it.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v hunspell >/dev/null 2>&1 || missing="$$missing hunspell"; \
	[ -f /usr/share/hunspell/da_DK.dic ] || missing="$$missing hunspell-da"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	command -v pg_dump >/dev/null 2>&1 || missing="$$missing postgresql-client"; \
	if [ -n "$$missing" ]; then \
	  echo "==> Installerer systempakker:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "==> Systempakkerne er på plads"; fi

build: install
	$(BIN)/klarret build

pdf: install
	$(BIN)/klarret pdf

db: install
	@echo "==> Opretter/opdaterer databasen"
	$(BIN)/klarret db upgrade

demo-data: install
	@echo "==> Indlæser demodata"
	$(BIN)/klarret demo-data

serve: install
	$(BIN)/klarret serve --port $(PORT)

# The demo stores e-mails (reminders, digests) for administrators to read at /admin/post, instead of sending them.
run: export KLARRET_MAIL ?= outbox
run: install
	@echo "==> Bygger vejledningen, eksporten og søgeindekset"
	$(BIN)/klarret build
	@echo "==> Opretter/opdaterer databasen"
	$(BIN)/klarret db upgrade
	@echo "==> Indlæser demodata"
	$(BIN)/klarret demo-data
	@echo "==> Laver PDF'erne i baggrunden (klarret pdf, log i build/pdf.log); 'Hent som PDF' virker, når de er klar"
	@mkdir -p build; ( sleep 3; nice $(BIN)/klarret pdf >build/pdf.log 2>&1 ) &
	@echo "==> Starter KlarRet på http://127.0.0.1:$(PORT)"
	$(BIN)/klarret serve --port $(PORT)

lint: install-dev
	@echo "==> Tjekker importkontrakterne (lint-imports) og koden (ruff)"
	$(BIN)/lint-imports
	$(BIN)/ruff check .

test: install-dev node-deps ralph-venv lint
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/build.py
	@echo "==> Rapporter: 45.000 medarbejdere, 600 enheder, 300.000 forsøg (SQLite; BENCH_DATABASE_URL for PostgreSQL)"
	$(BIN)/python bench/report.py $(if $(BENCH_DATABASE_URL),--database-url $(BENCH_DATABASE_URL))

clean:
	rm -rf build instance/klarret.db .pytest_cache

# Det Fælles Designsystem (npm dkfds) into klarret/static/dkfds/: the committed copy `make run` uses.
dkfds:
	./tools/dkfds.sh

# Screenshots of the main pages at desktop and phone width for the README (docs/screenshots/).
screenshots: install-dev build
	$(BIN)/python tools/screenshots.py
