# The two commands of the README: `make demo` and `make test`. Each makes .venv when missing.
# `make mutate` runs mutmut (slow; not part of `make test`): see tests/MUTATION.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test mutate install browser clean

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

# The map tests drive Debian's chromium (no browser download). Root installs it; anyone else is
# told how, and the tests then skip (or fail, when CI is set).
CHROMIUM := /usr/bin/chromium
browser:
	@if [ -x $(CHROMIUM) ]; then :; \
	elif [ "$$(id -u)" -eq 0 ]; then apt-get update && apt-get install -y --no-install-recommends chromium; \
	else echo "make: $(CHROMIUM) is missing and installing it needs root:" \
	  "sudo apt-get update && sudo apt-get install -y chromium" >&2; fi

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -q

# MUTANTS narrows the run to mutant names (globs), e.g. make mutate MUTANTS='kg.check.*'; JOBS sets the workers
# (default 1, so a shared machine keeps a core; JOBS=$(nproc) on a machine of your own).
JOBS ?= 1
MUTANTS ?=
mutate: $(STAMP)
	$(BIN)/python -m pip install -qq -e '.[test,mutate]'
	$(BIN)/mutmut run --max-children $(JOBS) $(MUTANTS)
	$(BIN)/mutmut results | grep -v ': not checked$$' || true  # the survivors (not the mutants left out by MUTANTS)
	$(BIN)/python -m tests.mutation_score

clean:
	rm -rf out .pytest_cache build *.egg-info mutants
