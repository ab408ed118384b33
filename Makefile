# Two commands do everything: `make run` (set up and serve with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi $(BIN)/flask
SHARED_DATA ?= ../shared/data
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-dev db demo refdata browser lint bench evaluate loadtest vendor translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pybabel compile --statistics -d marketplace/translations
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile --statistics -d marketplace/translations
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

db: install
	mkdir -p instance
	$(FLASK) db upgrade

refdata: db
	@if [ -d "$(SHARED_DATA)" ]; then $(FLASK) refdata load "$(SHARED_DATA)"; \
	else echo "No $(SHARED_DATA): using the built-in reference fallback."; fi

demo: refdata
	$(FLASK) seed-demo --if-empty
	$(FLASK) search build

# The outbox is drained in the background while the site runs: e-mails land as .eml files in instance/outbox/
# (MAIL_BACKEND=file, the development default; MAIL_BACKEND=console prints them). The sender stops with the site.
run: demo
	$(FLASK) send-emails --loop --interval 10 & sender=$$!; trap 'kill $$sender 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (root only; without it those tests skip with a reason).
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "Chromium could not be installed: browser tests will be skipped."; \
	else echo "Chromium missing and not root: browser tests will be skipped."; fi

# The database tests also run on PostgreSQL when a server answers on 127.0.0.1:5432 (.ci/test-env sets
# TEST_DATABASE_URL; set it yourself for another server). PYTEST_ARGS narrows the run, e.g. PYTEST_ARGS=tests/web.
test: install-dev browser
	.ci/test-env $(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

evaluate: install
	$(BIN)/python -m matching.evaluate $(SHARED_DATA)/decp/dev

bench: install
	$(BIN)/python -m matching.bench --suppliers 100000

# gunicorn on the 10,000-supplier demo in a temporary site: cold start, pages under 10 and 50 clients, memory.
# LOADTEST_ARGS="--database both" adds PostgreSQL (127.0.0.1:5432); --help lists the options.
loadtest: install-dev
	$(BIN)/python -m benchmarks.web_load $(LOADTEST_ARGS)

vendor:
	cd /tmp && npm pack @picocss/pico@2.1.1 && tar xzf picocss-pico-2.1.1.tgz
	cp /tmp/package/css/pico.min.css /tmp/package/LICENSE.md static/vendor/pico/

# Refresh the English catalogue after changing French texts wrapped in _() (then translate and recompile).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -o marketplace/translations/messages.pot .
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations
	$(BIN)/pybabel compile -d marketplace/translations

clean:
	rm -rf $(VENV) .pytest_cache
