# Quick start: `make run` serves the demo site, `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format serve bench bench-quick bench-scale wrk chromium gettext pdf-libs clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP) pdf-libs
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP) chromium gettext pdf-libs
	$(BIN)/python -m pytest

# The catalogue test reads the code's strings with GNU gettext, as make messages does.
gettext:
	@command -v xgettext >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext; \
	  else echo "gettext is missing: run 'sudo apt-get install gettext' (Debian package)." >&2; exit 1; fi; }

# A page's PDF is made by WeasyPrint, which needs Pango and fonts from the system.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
LDCONFIG := $(shell command -v ldconfig || echo /sbin/ldconfig)
pdf-libs:
	@{ $(LDCONFIG) -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && \
	  $(LDCONFIG) -p 2>/dev/null | grep -q 'libharfbuzz-subset.so.0' && \
	  test -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf; } || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(PDF_PACKAGES); \
	  else echo "WeasyPrint's libraries are missing: run 'sudo apt-get install $(PDF_PACKAGES)' (Debian packages)." >&2; exit 1; fi; }

# The browser tests drive Debian's Chromium (Playwright cannot download its own).
chromium:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' (Debian package)." >&2; exit 1; fi; }

# Production shape: gunicorn + whitenoise with production settings. Needs
# DJANGO_SECRET_KEY; uses DATABASE_URL (PostgreSQL) and REDIS_URL when set.
# Behind no TLS proxy (a laptop), add DJANGO_SECURE_SSL_REDIRECT=0.
serve: $(STAMP) pdf-libs
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py check --deploy
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=newsroom.settings.prod PORT=$(PORT) $(BIN)/gunicorn -c newsroom/gunicorn.conf.py newsroom.wsgi:application

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles db.sqlite3

# Benchmark: N briefs, gunicorn with production settings, wrk against a minimal
# Django view and a naive one (see bench/run.py), on SQLite and, when
# BENCH_DATABASE_URL is given, on PostgreSQL (with Redis when REDIS_URL is set).
# BENCH_ARGS="--briefs 2000 --duration 5s".
BENCH_ARGS ?=
bench: $(STAMP) wrk
	$(BIN)/python bench/run.py $(BENCH_ARGS)

bench-quick: $(STAMP) wrk
	$(BIN)/python bench/run.py --quick $(BENCH_ARGS)

# The archive's shape: 100,000 briefs on PostgreSQL only (BENCH_DATABASE_URL,
# a database created beforehand), with Redis when REDIS_URL is set.
bench-scale: $(STAMP) wrk
	@test -n "$(BENCH_DATABASE_URL)" || { echo "bench-scale needs BENCH_DATABASE_URL=postgres://... (a database created beforehand)." >&2; exit 1; }
	$(BIN)/python bench/run.py --no-sqlite --briefs 100000 $(BENCH_ARGS)

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y wrk; \
	  else echo "wrk is missing: run 'sudo apt-get install wrk' (Debian package wrk)." >&2; exit 1; fi; }

# Refresh the English catalogue after changing user-facing strings (needs GNU gettext).
messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=bench --no-obsolete
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv
