# Sổ tay: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test test-shifted-clock venv migrate demo browser faketime lint format messages check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --if-empty

run: demo
	$(PY) manage.py demo_logins
	$(PY) manage.py runserver $(HOST)

# Browser tests drive Debian's chromium; install it when the machine lacks it (needs root, as on CI).
browser:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || \
		echo "Could not install chromium: browser tests will be skipped."; \
	else echo "chromium is not installed and cannot be installed here: browser tests will be skipped."; fi

test: venv browser
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

# The shifted-clock run (CI's third) needs Debian's libfaketime; install it like chromium (needs root).
faketime:
	@if command -v faketime >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq faketime >/dev/null; \
	else echo "faketime is not installed and cannot be installed here (apt-get install faketime)."; exit 1; fi

# The whole suite with the process clock a year ahead, at 23:30 Việt Nam time (16:30 UTC), browser included:
# tests pin their own day (common/tests/clock.py), so the real date and hour must change nothing.
SHIFTED_CLOCK ?= $(shell date -u -d '+1 year' +%Y-%m-%d) 16:30:00
test-shifted-clock: venv browser faketime
	faketime -f "@$(SHIFTED_CLOCK)" $(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
