# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint unit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# setuptools reports every editable install with an informational warning ("Editable
# installation"); it says nothing about this project, so a newcomer does not see it.
$(STAMP): $(BIN)/python pyproject.toml
	PYTHONWARNINGS='ignore:Editable installation' $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python stack.py

# Two pytest workers, each with its own servers; a test file stays on one worker (its module
# fixtures start once). Most of the suite waits on servers, so two workers fit two cores.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

unit: $(STAMP)
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy domain contract workflows starter activities versleuteling runtime statistiek bezorging adapters keten bench scripts worker.py stack.py
	$(BIN)/python scripts/omvang.py --streng > /dev/null

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
