# chiso: `make run` and `make test` set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: setup run test test-all bench report screenshot clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with chiso (editable) and the test dependencies

run: $(STAMP)  ## extract the embedded corpus/ and print the evaluation against gold/
	$(BIN)/chiso run --corpus corpus --gold gold --out $(OUT)

test: $(STAMP)  ## the test suite without the slow tests
	$(BIN)/python -m pytest -q -m "not slow"

test-all: $(STAMP)  ## every test, the slow ones included
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## benchmarks: speed per core, workers speed-up, memory, ratio to the baseline
	$(BIN)/python bench/run_bench.py

report: $(STAMP)  ## HTML evaluation report of the embedded corpus in $(OUT)/report.html
	$(BIN)/chiso run --corpus corpus --gold gold --out $(OUT) --report $(OUT)/report.html

CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync

screenshot: report  ## PNG of the HTML report through headless Chromium (installs Debian's chromium if missing)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	chromium $(CHROMIUM_FLAGS) --user-data-dir=$$(mktemp -d) --window-size=1400,1800 \
		--screenshot=$(abspath $(OUT))/report.png file://$(abspath $(OUT))/report.html
	@echo "screenshot: $(OUT)/report.png"

clean:  ## remove outputs and the virtual environment
	rm -rf $(OUT) $(VENV) .pytest_cache
