# The README's two commands: `make run` and `make test`. Each sets up its own virtual
# environment (./.venv) and installs what it needs, so they work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/healthgov ontology

test: $(STAMP)
	$(BIN)/ruff check healthgov tests benchmarks
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check healthgov tests benchmarks

clean:
	rm -rf $(VENV) data .pytest_cache
