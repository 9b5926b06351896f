# chiso: `make run` and `make test` set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out

.PHONY: setup run test test-all bench report dataset-demo screenshot clean help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv with chiso (editable) and the test dependencies

run: $(STAMP)  ## extract the embedded corpus/, build its dataset and print the evaluation against gold/
	$(BIN)/chiso run --corpus corpus --gold gold --out $(OUT)

test: $(STAMP)  ## the test suite without the slow tests
	$(BIN)/python -m pytest -q -m "not slow"

test-all: $(STAMP)  ## every test, the slow ones included
	$(BIN)/python -m pytest -q

bench: $(STAMP)  ## benchmarks: speed per core, workers speed-up, memory, ratio to the baseline
	$(BIN)/python bench/run_bench.py

report: $(STAMP)  ## HTML evaluation report of the embedded corpus in $(OUT)/report.html
	$(BIN)/chiso run --corpus corpus --gold gold --out $(OUT) --report $(OUT)/report.html

SHARED_CORPORA := ../shared/corpus-unc/dantri-unc.jsonl ../shared/corpus-multi/multi-unc.jsonl

dataset-demo: $(STAMP)  ## dataset + HTML report of both shared corpora (--workers 2) in $(OUT)/demo-dataset.*
	@for f in $(SHARED_CORPORA); do test -f $$f || { echo "dataset-demo: $$f not found"; exit 2; }; done
	/usr/bin/time -f "dataset-demo: %e s wall, %M KB peak RSS (main process)" \
		$(BIN)/chiso dataset $(SHARED_CORPORA) --workers 2 --period-fallback published \
		-o $(OUT)/demo-dataset.parquet --report $(OUT)/demo-dataset.html

CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync

screenshot: report  ## PNG of the HTML report through headless Chromium (installs Debian's chromium if missing)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)
	chromium $(CHROMIUM_FLAGS) --user-data-dir=$$(mktemp -d) --window-size=1400,1800 \
		--screenshot=$(abspath $(OUT))/report.png file://$(abspath $(OUT))/report.html
	@echo "screenshot: $(OUT)/report.png"

clean:  ## remove outputs and the virtual environment
	rm -rf $(OUT) $(VENV) .pytest_cache
