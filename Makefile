# Two entry points for a fresh Linux machine with Python 3.11:
#   make run    set up .venv, build the demo region if missing, start the app
#   make test   set up .venv with the test extras, run ruff, the import contracts and the tests
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := data/demo

.PHONY: run test demo lint bench bench-app clean

$(BIN)/locscan: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "locscan needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

$(DEMO)/layers.yaml: | $(BIN)/locscan
	$(BIN)/locscan demo build --out $(DEMO)

demo: $(DEMO)/layers.yaml

run: $(BIN)/locscan demo
	$(BIN)/streamlit run app.py --server.address 127.0.0.1 --server.headless true --server.enableStaticServing true --browser.gatherUsageStats false

lint: $(BIN)/locscan
	$(BIN)/ruff check .
	$(BIN)/lint-imports .importlinter

test: $(BIN)/locscan lint
	$(BIN)/pytest

bench: $(BIN)/locscan  ## locscan vs geopandas, PostGIS and DuckDB spatial; writes benchmarks/RESULTS.md
	@ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgis)
	$(BIN)/python benchmarks/run.py

bench-app: $(BIN)/locscan  ## the app in Chromium on a 400k demo; writes benchmarks/APP.md
	$(BIN)/python benchmarks/app_browser.py --parcels 400000

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache
