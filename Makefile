# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: setup demo serve test lint format messages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json .npmrc
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	mkdir -p var

demo: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_data
	@$(MAKE) --no-print-directory serve

# The web server and the background task worker, stopped together by Ctrl-C.
serve:
	@echo "Site:        http://127.0.0.1:$(PORT)/   (admin: /admin/)"
	@echo "H5P content: http://localhost:$(PORT)/ (separate origin)"
	@echo "Emails are written to var/mail/"
	@trap 'kill 0' INT TERM; \
	PORT=$(PORT) $(PY) manage.py db_worker --interval 1 & \
	PORT=$(PORT) $(PY) manage.py runserver 0.0.0.0:$(PORT) & \
	wait

# The browser tests run in a pytest process of their own (see tests/conftest.py); with
# PYTEST_ARGS (e.g. one file) a single run does what it says.
test: setup
ifeq ($(strip $(PYTEST_ARGS)),)
	$(PY) -m pytest -m "not browser"
	$(PY) -m pytest -m browser
else
	$(PY) -m pytest $(PYTEST_ARGS)
endif

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

messages: setup
	for app in learning courses webinars; do (cd $$app && ../$(PY) ../manage.py makemessages --all --ignore 'tests/*'); done

clean:
	rm -rf var/test-media var/test-db.sqlite3*
