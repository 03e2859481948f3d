# The two commands a newcomer needs: `make generate` and `make test`.
# Both create the virtualenv and install everything on first use.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PROVIDERS := $(patsubst generated/%/,%,$(wildcard generated/*/))

BENCH_STAMP := $(VENV)/.bench-stamp

.PHONY: setup generate check lint test test-generator test-generated docs-check bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

## Regenerate every provider package from specs/ into generated/.
generate: $(STAMP)
	$(BIN)/lmsgen generate

## Fail when generated/ differs from a fresh generation (prints the diff and the fix).
check: $(STAMP)
	$(BIN)/lmsgen check

## ruff and mypy --strict over the generator, its tests and every generated package.
lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy --strict generator
	@for p in $(PROVIDERS); do \
		echo "lint generated/$$p"; \
		(cd generated/$$p && ../../$(BIN)/ruff check . && ../../$(BIN)/black --check --quiet . \
			&& ../../$(BIN)/mypy --strict $$p tests) || exit 1; \
	done

## The generator's own tests, spread over every core (pytest-xdist).
test-generator: $(STAMP)
	$(BIN)/python -m pytest tests -p no:cacheprovider -n auto

## Each generated package's own contract tests, run from its folder as a user would.
test-generated: $(STAMP)
	@for p in $(PROVIDERS); do \
		echo "contract tests of generated/$$p"; \
		(cd generated/$$p && ../../$(BIN)/python -m pytest -p no:cacheprovider -n auto) || exit 1; \
	done

## Everything CI runs: freshness, lint, generator tests, generated contract tests.
test: check lint test-generator test-generated

## tests/data/ and the specs' samples against the vendor documentation (not part of
## `make test`): make docs-check DOCS=../shared/seeds (the inventory.csv beside it too).
docs-check: $(STAMP)
	$(BIN)/python -m pytest tests/docs -p no:cacheprovider --docs="$(DOCS)"

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## Benchmarks side by side with the alternatives (not part of `make test`).
bench: $(BENCH_STAMP)
	$(BIN)/python tests/benchmarks/run.py

clean:
	rm -rf $(VENV)
