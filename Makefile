# The same recipes CI runs. `make demo` and `make test` are the README's two commands.
VENV   := .venv
UV     := python3 -m uv
export UV_PYTHON_DOWNLOADS := never

.PHONY: demo test lint typecheck unit browser bench fuzz system-deps

# Byte-compiled once here: where Python may not write __pycache__ (PYTHONDONTWRITEBYTECODE,
# as on the CI machines, or a service user who does not own the venv) every process would
# compile every module it imports again: 0.76 s instead of 0.33 s to import the pipeline, and
# the test suite starts many processes (servers, crawl and backfill workers).
$(VENV)/.synced: pyproject.toml uv.lock
	@python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	$(UV) sync --frozen --compile-bytecode
	$(VENV)/bin/python -m compileall -q src
	@touch $@

demo: $(VENV)/.synced            ## run the portal on the bundled demo data
	$(VENV)/bin/aqparat demo

system-deps:                     ## Debian's Chromium for the browser tests (root only)
	@scripts/system-deps

lint: $(VENV)/.synced
	$(VENV)/bin/ruff check src tests bench

typecheck: $(VENV)/.synced
	$(VENV)/bin/mypy

# axe-core from npm (tests/browser/package-lock.json) for the accessibility tests; without npm
# they skip and say why (tests/browser/axe.py).
AXE := tests/browser/node_modules/.installed
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund && touch $@; \
	else echo "make: npm is missing; the axe-core accessibility tests will skip"; fi

test: $(VENV)/.synced system-deps $(AXE) lint typecheck   ## the whole suite
	$(VENV)/bin/pytest

unit: $(VENV)/.synced
	$(VENV)/bin/pytest tests/unit

browser: $(VENV)/.synced system-deps $(AXE)   ## Chromium tests: walks, CSP, accessibility, layout
	$(VENV)/bin/pytest tests/browser

bench: $(VENV)/.synced           ## benchmarks: each prints a ratio against a same-run baseline
	$(VENV)/bin/python bench/import_seed.py
	$(VENV)/bin/python bench/web.py
	$(VENV)/bin/python bench/govkz.py
	$(VENV)/bin/python bench/dedup.py
	$(VENV)/bin/python bench/pages.py --quiet

fuzz: $(VENV)/.synced            ## the parsers fuzzed for longer: hypothesis's fuzz profile, then atheris
	$(VENV)/bin/pytest tests/fuzz --hypothesis-profile=fuzz --hypothesis-show-statistics
	cd tests/fuzz && ../../$(VENV)/bin/python atheris_run.py all -max_total_time=600
