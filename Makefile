# VendPoint: two commands on a fresh machine.
#   make run   -- set up everything, start the demo (reference server + cashier app)
#   make test  -- set up everything, run ruff, mypy and the whole suite headless
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.stamp-deps

.PHONY: run test lint typecheck pytest bench build clean setup translations

setup: $(STAMP)

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11+ or run make PYTHON=python3"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changes (a fast no-op otherwise).
$(STAMP): requirements.txt requirements-server.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $(STAMP)

# The compiled catalogs of the screens (.qm) and the core (.mo); a fast no-op when up to date.
translations: $(STAMP)
	$(PY) resources/i18n/catalogs.py build

run: translations
	$(PY) main.py --demo $(if $(MARKET),--market $(MARKET))

lint: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-logo

typecheck: $(STAMP)
	$(PY) -m mypy

pytest: translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:cacheprovider $(PYTEST_ARGS)

# A run that collects no tests exits 5 in pytest, and make fails on it: that is intended.
test: $(STAMP)
	$(MAKE) --no-print-directory lint typecheck pytest

bench: $(STAMP)
	@set -e; for f in bench/*.py; do echo "== $$f"; QT_QPA_PLATFORM=offscreen $(PY) $$f; done

# One-folder desktop build: dist/VendPoint/VendPoint (VendPoint.exe on Windows).
build: translations
	$(PY) -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build pyinstaller.spec
	dist/VendPoint/VendPoint --self-test

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache
