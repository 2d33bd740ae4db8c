# The README's two commands: `make run` and `make test`. Each sets up its own virtual
# environment (./.venv) and installs what it needs, so they work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean browser bench lock cypher-lint

# The view tests drive Debian's chromium through playwright (never `playwright install`: no
# browser downloads here), and Chinese labels need a CJK font. Installed once, as root (or sudo).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
	  echo "installing chromium and CJK fonts (Debian packages) for the browser tests"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk fontconfig; \
	fi

# The exact versions in constraints.txt: `make test` tests what is locked (and reinstalls when
# the lock changes).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[bundled,test,bench]'
	touch $(STAMP)

# Re-resolve every dependency to the newest release pyproject.toml's ranges allow, in a throwaway
# venv (so nothing left over in .venv gets pinned), and write the result to constraints.txt.
LOCK_VENV := $(VENV)-lock
lock:
	rm -rf $(LOCK_VENV)
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(LOCK_VENV)/bin/pip install --quiet '.[bundled,test,bench]'
	{ sed -n '/^#/p;/^#/!q' constraints.txt; \
	  $(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -viE '^healthgov[ =@]'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf $(LOCK_VENV)

# Build the sample corpus into the bundled engine (./data), then serve the API and the views
# at http://127.0.0.1:8000/ (HOST/PORT to change). Ctrl-C stops the server; the engine keeps
# running for other commands until `.venv/bin/healthgov engine stop`.
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/healthgov ontology --no-reason
	$(BIN)/healthgov build corpus
	$(BIN)/healthgov serve --host $(HOST) --port $(PORT)

test: $(STAMP) browser cypher-lint
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# Neo4j's own Cypher language service (npm, version pinned in package-lock.json), which
# tests/test_cypher_lint.py runs over every statement healthgov sends: installed again only
# when the package files change.
CYPHER_LINT := tests/cypher_lint
$(CYPHER_LINT)/node_modules/.installed: $(CYPHER_LINT)/package.json $(CYPHER_LINT)/package-lock.json
	cd $(CYPHER_LINT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@
cypher-lint: $(CYPHER_LINT)/node_modules/.installed

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) data .pytest_cache

# Benchmarks (BENCHMARKS.md): N=100 and 1,000 by default; `make bench N=10000` for one other size.
bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || echo "wrk not installed (apt-get install -y wrk): the API benchmark uses a threaded httpx client"
	$(BIN)/python benchmarks/run.py $(or $(N),100 1000)
