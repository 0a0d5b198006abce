# Træfbot. Quick start: `make run` serves the bot, `make test` runs the whole suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run chat migrate test lint typecheck check clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)  ## serve the bot on http://localhost:3978/api/messages (SQLite by default)
	$(PY) -m bot serve

chat: $(STAMP)  ## chat with the bot in this terminal
	$(PY) -m bot chat

migrate: $(STAMP)  ## apply database migrations
	$(PY) -m bot migrate

test: $(STAMP)  ## lint, type-check and run every test
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .

typecheck: $(STAMP)
	$(PY) -m mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
