# Sổ tay: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test venv migrate demo browser lint format messages check clean

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

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=staticfiles --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
