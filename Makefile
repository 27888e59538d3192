# The two everyday commands are `make run` and `make test`; both create .venv
# and install the pinned requirements on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format bench serve backup restore check demo clean-demo screenshot messages worker beat api-push
# After `make clean-demo`, `make run` leaves the demo data out until `make demo`.
DEMO_REMOVED := var/demo-removed

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py migrate --no-input
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_seed
	DEBUG=$${DEBUG:-true} $(PY) manage.py load_reference
	@if [ -e $(DEMO_REMOVED) ]; then echo "Demo data left out (removed with make clean-demo; make demo brings it back)."; \
	else DEBUG=$${DEBUG:-true} $(PY) manage.py generate_demo --if-empty; fi
	DEBUG=$${DEBUG:-true} $(PY) manage.py ensure_admin
	DEBUG=$${DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

# Scheduled briefings and alerts (docs/AUTOMATION.md): each in a terminal of its
# own beside `make run`, with Redis running (CELERY_BROKER_URL).
worker: $(STAMP)
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

# A token, a week of follower snapshots for 1,000 accounts through the API, the aggregate compared with the overview.
api-push: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) scripts/api_push_snapshots.py

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The zh-Hans catalogue: collect every marked string into locale/zh_Hans/LC_MESSAGES/django.po
# (new ones arrive untranslated: translate them, tests/test_i18n.py fails until then), then
# compile the .mo that is committed beside it. Needs Debian's gettext package.
MAKEMESSAGES_FLAGS := -l zh_Hans --no-obsolete --no-location --ignore=.venv --ignore=bench --ignore=tests --ignore=scripts --ignore=staticfiles --ignore=web_root --ignore=backups

messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS)
	DEBUG=true $(PY) manage.py compilemessages -l zh_Hans --ignore=.venv
	msgfmt --check --statistics -o /dev/null locale/zh_Hans/LC_MESSAGES/django.po

check: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=true $(PY) manage.py check

# Synthetic demo data: (re)generate it, or remove every demo row.
demo: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py generate_demo
	rm -f $(DEMO_REMOVED)

clean-demo: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py generate_demo --clear
	@mkdir -p $(dir $(DEMO_REMOVED)) && touch $(DEMO_REMOVED)

# --- operations and security (docs/OPERATIONS.md, docs/SECURITY.md)
# Backups go to backups/ unless FILE=...; pg_dump on PostgreSQL, JSON on SQLite.
backup: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) manage.py backup_registry $(if $(FILE),--output "$(FILE)")

# Replaces everything in the database with FILE (asks first on a terminal).
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/registry-....dump|.json.gz"; exit 2; }
	DEBUG=$${DEBUG:-true} $(PY) manage.py restore_registry "$(FILE)"

# bandit must find nothing of high severity; pip-audit fails on a known
# vulnerability and says so plainly when its database cannot be reached.
.PHONY: security
security: $(STAMP)
	$(VENV)/bin/bandit -r config registry dashboard api automation --severity-level high --quiet
	@echo "bandit: no high-severity findings (full report: .venv/bin/bandit -r config registry dashboard api automation)"
	$(PY) scripts/audit_dependencies.py

# The README's screenshots of the overview at 1440 and 390 px, with demo data (needs chromium).
screenshot: $(STAMP)
	$(PY) scripts/screenshot.py

# --- performance (bench/README.md): national-scale benchmark, production serving, load test, page weight
BENCH_SCALE ?= 1
BENCH_BUILD_FLAGS ?= --reuse
BENCH_REPEAT ?= 15
BENCH_DB ?= bench
# Keep a complete benchmark database built with the same sizes; BENCH_BUILD_FLAGS= rebuilds.
.PHONY: loadtest page-weight

bench: $(STAMP)
	$(PY) bench/build_dataset.py --db bench_1pct --scale 0.01 $(BENCH_BUILD_FLAGS)
	$(PY) bench/build_dataset.py --db bench_10pct --scale 0.1 $(BENCH_BUILD_FLAGS)
	$(PY) bench/build_dataset.py --db bench --scale $(BENCH_SCALE) $(BENCH_BUILD_FLAGS)
	$(PY) bench/run_bench.py --repeat $(BENCH_REPEAT)

serve: $(STAMP)
	$(PY) bench/serve.py --bind $(HOST):$(PORT)

loadtest: $(STAMP)
	command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) bench/loadtest.py --db $(BENCH_DB)

page-weight: $(STAMP)
	$(PY) bench/page_weight.py --db $(BENCH_DB)

# Chart and briefing export timings (cold, warm, 6-chart packs); see docs/EXPORTS.md.
.PHONY: bench-exports
bench-exports: $(STAMP)
	DEBUG=true $(PY) bench/bench_exports.py

# Statement extraction on 1 MB articles (English, Chinese in GB18030): wall and CPU time.
.PHONY: bench-statements
bench-statements: $(STAMP)
	$(PY) bench/bench_statements.py

# Attribution model: cross-validate on the dev corpus, train, write registry/statements/models/attribution.json.
.PHONY: train-attribution
train-attribution: $(STAMP)
	$(PY) -m registry.statements.training

# Score the extractor on any labelled folder DIR/{en,zh}/<id>.txt + <id>.json (docs/STATEMENTS.md).
.PHONY: score-statements
score-statements: $(STAMP)
	@test -n "$(DIR)" || { echo "usage: make score-statements DIR=path/to/folder"; exit 2; }
	$(PY) -m registry.statements.scoring "$(DIR)"
