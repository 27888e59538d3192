# The two everyday commands are `make run` and `make test`; both create .venv
# and install the pinned requirements on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench serve backup restore check clean-demo screenshot

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_seed
	DEBUG=$${DEBUG:-true} $(PY) manage.py generate_demo --if-empty
	DEBUG=$${DEBUG:-true} $(PY) manage.py ensure_admin
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
