# The two commands of the README: `make demo` and `make test`. Each makes .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

# -qq: errors only (setuptools' editable-install banner and pip's notices are not the demo's news).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip
	$(BIN)/python -m pip install -qq -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The last answer is Markdown, which holds full values: not cut to the width of a pipe or a log.
demo: $(STAMP)
	$(BIN)/kg build . --out out
	$(BIN)/kg validate .
	$(BIN)/kg query themes-for-source "Borg & Kristiansen 2004" --graph out/graph.ttl --format markdown

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

clean:
	rm -rf out .pytest_cache build *.egg-info
