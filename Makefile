# Two entry points: `make demo` and `make test`. Both create .venv at the repo root.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE := demo/casegraph.db

.PHONY: demo test lint bench screenshots clean

$(BIN)/casegraph: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/casegraph
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/casegraph
	rm -rf demo && mkdir -p demo
	$(BIN)/casegraph load casegraph/samples/corpus --store $(STORE)
	$(BIN)/casegraph query repeated-failures --min-reviews 2 --store $(STORE)
	$(BIN)/casegraph query conflicts --store $(STORE)
	$(BIN)/casegraph query lessons --theme substance-misuse-impact --format csv --store $(STORE)
	$(BIN)/casegraph view -o demo/repeated-failures.html --store $(STORE)
	$(BIN)/casegraph export --format ttl -o demo/graph.ttl --store $(STORE)
	@echo "Open demo/repeated-failures.html in a browser."

test: $(VENV)/.test-deps
	$(BIN)/python -m pytest -q

lint: $(VENV)/.test-deps
	$(BIN)/ruff check casegraph tests benchmarks

bench: $(BIN)/casegraph
	$(BIN)/python benchmarks/run.py

# The README's pictures of each view of the demo, taken by the browser test.
screenshots: $(VENV)/.test-deps
	CASEGRAPH_SCREENSHOTS=docs/views $(BIN)/python -m pytest -q tests/test_view_browser.py -k screenshotted

clean:
	rm -rf $(VENV) demo .pytest_cache
