# portside: every target sets up what it needs (a .venv with the project and its dev extras).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# A link tree that presents the card's folders as `portside.*` to tools that search the file
# system instead of importing (mypy, import-linter). Commands run with it first on PYTHONPATH too, so
# they run this checkout's code even when the venv's editable install points at another checkout.
SHADOW := .build/src/portside
RUN := PYTHONPATH=.build/src
ROOTS := core adapters channels entrypoints testing

.PHONY: help install demo test lint typecheck imports pytest bench soak clean

help:
	@echo "make demo   - set up and run portside on its embedded defaults"
	@echo "make test   - set up and run ruff, mypy, import-linter and pytest"
	@echo "make bench  - run the benchmarks in bench/ and print ratios against targets"
	@echo "make soak   - the full-size reliability and security suites"

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "portside needs Python 3.11+; set PYTHON=python3.11 (or newer)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) $(SHADOW)

$(SHADOW):
	@mkdir -p $(SHADOW)
	@for r in $(ROOTS); do ln -sfn ../../../$$r $(SHADOW)/$$r; done

demo: install
	$(RUN) $(BIN)/portside demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	MYPYPATH=.build/src $(BIN)/mypy --namespace-packages --explicit-package-bases $(addprefix -p portside.,$(ROOTS))

imports: install
	$(RUN) $(BIN)/lint-imports

pytest: install
	$(RUN) $(BIN)/pytest -q $(PYTEST_ARGS)

test: lint typecheck imports pytest

bench: install
	$(RUN) $(BIN)/python bench/run.py

soak: install
	$(RUN) PORTSIDE_SOAK=1 $(BIN)/pytest -q -m "slow or not slow" tests/reliability tests/security

clean:
	rm -rf $(VENV) .build .portside
