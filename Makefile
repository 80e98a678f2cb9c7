# Two commands for a newcomer: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export CHEGARA_HOME ?= $(CURDIR)/var
VENDOR := src/chegara/web/static/vendor

.PHONY: run test install assets lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) assets

# Third-party browser assets come from the npm registry at install time and are served locally:
# htmx for the pages, Swagger UI for the API's browsable documentation (/api/v1/docs).
assets: $(VENDOR)/.installed
$(VENDOR)/.installed: package.json
	npm install --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	touch $@

run: install
	$(BIN)/chegara db upgrade
	$(BIN)/chegara demo load
	@echo "Serving on http://127.0.0.1:8000  (Ctrl+C to stop)"
	$(BIN)/chegara serve --host 127.0.0.1 --port 8000

test: install
	$(BIN)/pytest -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	@for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
