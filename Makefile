# Two commands do all set-up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
# Processes for the tests that need no browser (pytest-xdist); `make test TEST_WORKERS=0` runs them in one.
# Not `--dist loadfile`: a transactional test empties the database when it ends (it is
# restored at the next one's start), so tests must keep pytest-django's order, the plain
# ones before the transactional ones, which only the default distribution keeps.
TEST_WORKERS ?= auto

.PHONY: setup demo serve test lint format messages messages-only compilemessages clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,demo]"
	touch $@

node_modules/.installed: package.json package-lock.json .npmrc
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed
	mkdir -p var
	@$(MAKE) --no-print-directory compilemessages

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
	PORT=$(PORT) $(PY) manage.py task_worker --interval 1 & \
	PORT=$(PORT) $(PY) manage.py runserver 0.0.0.0:$(PORT) & \
	wait

# The browser tests run in a pytest process of their own (see tests/conftest.py); with
# PYTEST_ARGS (e.g. one file) a single run does what it says.
test: setup
ifeq ($(strip $(PYTEST_ARGS)),)
	$(PY) -m pytest -m "not browser" -n $(TEST_WORKERS)
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

# Translation catalogues: one per app and one for the site-wide templates (templates/locale).
# No source locations and sorted entries, so that parallel changes merge cleanly; obsolete
# entries and the creation date are dropped. `make messages` then translate every new entry in all five languages
# (tests/test_translations.py fails otherwise). SRC lets the test run it on a copy.
LANGS ?= fr es ar zh_Hans ru
SRC ?= .
MSG_DIRS := learning courses webinars templates

messages: setup
	@$(MAKE) --no-print-directory messages-only

messages-only:
	@set -e; for dir in $(MSG_DIRS); do \
	  mkdir -p $(SRC)/$$dir/locale; \
	  (cd $(SRC)/$$dir && $(abspath $(PY)) $(abspath manage.py) makemessages $(LANGS:%=-l %) \
	    --no-location --no-obsolete --ignore 'tests/*' --ignore 'locale/*' -v 0); \
	  if [ -d $(SRC)/$$dir/static ]; then \
	    (cd $(SRC)/$$dir && $(abspath $(PY)) $(abspath manage.py) makemessages -d djangojs \
	      $(LANGS:%=-l %) --no-location --no-obsolete -v 0); fi; \
	  for po in $$(find $(SRC)/$$dir/locale -name '*.po'); do \
	    msgattrib --sort-output --no-obsolete -o $$po $$po; \
	    sed -i '/^"POT-Creation-Date: /d' $$po; done; \
	done

compilemessages:
	@for dir in $(MSG_DIRS); do \
	  (cd $$dir && $(abspath $(PY)) $(abspath manage.py) compilemessages -v 0); done

clean:
	rm -rf var/test-media var/test-db.sqlite3*
