# 决算看板 — every target installs what it needs first, so a fresh machine needs only make.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
PORT      ?= 8501
STAMP     := $(VENV)/.installed
SYSSTAMP  := $(VENV)/.system-packages
# gcc and python3-dev: to build the C glyph loop (core/pdf/_glyphs.c; without them the text
# layer runs the same loop in Python, slower)
DEBS      := chromium fonts-noto-cjk fonts-wqy-zenhei fonts-wqy-microhei poppler-utils gcc python3-dev

.PHONY: install system-packages run test lint typecheck unit browser bench fixtures sample clean

install: $(STAMP)

# setup.py builds the C glyph loop (core/pdf/_glyphs.c) in place: a change to either rebuilds it.
# editable_mode=compat: the install is a plain path in a .pth file; the default mode's import
# hook (it imports importlib.util, pathlib, fnmatch) costs every python start ~15 ms of CPU.
# setuptools calls compat transitional: where a later one refuses it, the default mode is used.
COMPAT    := --config-settings editable_mode=compat
$(STAMP): pyproject.toml setup.py core/pdf/_glyphs.c
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(COMPAT) -e '.[dev]' || $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Debian packages the tests and image export need: a browser, CJK fonts, pdftoppm.
system-packages: $(SYSSTAMP)

$(SYSSTAMP): | $(STAMP)
	@missing=""; for p in $(DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	# the C glyph loop, if the install ran before a compiler was there
	$(BIN)/python -c "import core.pdf._glyphs" 2>/dev/null || $(BIN)/python -m pip install --quiet --no-deps $(COMPAT) -e .
	touch $(SYSSTAMP)

run: install system-packages
	# streamlit run app.py, with the app's modules imported before the server listens
	$(BIN)/python serve.py --server.port $(PORT) --browser.gatherUsageStats false

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

unit: install system-packages
	$(BIN)/python -m pytest -q -m "not browser"

browser: install system-packages
	$(BIN)/python -m pytest -q -m browser

test: install system-packages lint typecheck
	$(BIN)/python -m pytest -q

bench: install system-packages
	$(BIN)/python bench/run.py
	$(BIN)/python bench/ocr_bench.py
	$(BIN)/python bench/library_bench.py

# Regenerate the bundled sample and the test fixtures (both are committed).
sample: install system-packages
	$(BIN)/python tools/make_sample.py

fixtures: install system-packages
	$(BIN)/python tests/fixtures/make_fixtures.py
	$(BIN)/python tests/fixtures/make_narrative_fixtures.py
	$(BIN)/python tests/fixtures/make_reading_fixtures.py
	$(BIN)/python tests/fixtures/make_scan_fixtures.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
