# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run   - portal with demo data on SQLite at http://127.0.0.1:5000
#   make test  - the whole suite (SQLite; also PostgreSQL/Redis when TEST_DATABASE_URL/TEST_REDIS_URL are set)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_DEBUG=1 $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev browser db demo bench clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) seed-demo --if-empty --url http://$(HOST):$(PORT)

# One worker beside the server (messages, reminders, the periodic jobs: docs/messages.md);
# it stops with the server.
run: demo
	$(FLASK) worker --threads 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
		$(FLASK) run --host $(HOST) --port $(PORT)

# Catalogues: extract every translatable string, merge into translations/ne, compile the .mo
# (the compiled .mo is committed, so a clean clone runs without this step; a test checks it is current).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -k Np_:1,2 -k Msg -k PluralMsg:1,2 --no-location --sort-output --omit-header -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -l ne -N --width 100 --ignore-obsolete
	$(BIN)/pybabel compile -d translations -l ne

# Debian's chromium for the browser tests (Playwright's own download does not work here).
browser:
	@test -x /usr/bin/chromium || { command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-lohit-deva >/dev/null) \
		|| echo "chromium not installed: browser tests will be skipped"; }
	@fc-list 2>/dev/null | grep -qi deva || { [ "$$(id -u)" = 0 ] && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-lohit-deva >/dev/null 2>&1; } || true

# Two pytest-xdist workers, a test file per worker at a time (each worker has its own
# databases), the costliest files handed out first (tests/conftest.py); PYTEST_WORKERS=0
# runs in one process. No screenshots unless PAGE_SCREENSHOTS=1 (then every page's too).
PYTEST_WORKERS ?= 2
PAGE_SCREENSHOTS ?= 0
test: install-dev browser
	PAGE_SCREENSHOTS=$(PAGE_SCREENSHOTS) $(BIN)/python -m pytest -q \
		$(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder) $(PYTEST_ARGS)

# Benchmarks (docs/benchmarks.md). BENCH_PG=postgresql+psycopg://postgres@127.0.0.1:5432/postgres adds
# PostgreSQL; the cache throughput figures need wrk (apt-get install wrk) and Redis at BENCH_REDIS.
BENCH_PG ?=
bench: install-dev
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } || true
	$(BIN)/python bench/slots_uncached.py $(if $(BENCH_PG),--postgres $(BENCH_PG))
	$(BIN)/python bench/cache.py $(if $(BENCH_PG),--postgres $(BENCH_PG))

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis tests/artifacts
