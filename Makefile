# Two promises: `make run` and `make test` work on a fresh clone with nothing but Python.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the project's dependencies (or what is installed) change. The
# PostgreSQL driver comes too: `make test` runs the suites on PostgreSQL as well.
$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $(STAMP)

# The demonstration counsellor, who holds every right; `make run LOGIN=l.petit` for another.
# Not `AS`: GNU make defines it (the assembler, `as`), so `AS ?= …` would never apply. Every
# variable here is checked against make's built-ins (`make -p -f /dev/null`) by
# tests/unit/test_makefile.py.
LOGIN ?= c.dupont

# The user's own demonstration database (filled on the first run): --as is allowed there only.
run: $(STAMP)
	$(BIN)/cep-tui --demo --as $(LOGIN) $(ARGS)

# The suite runs in parallel (pytest-xdist), each worker with its own databases and its own
# PostgreSQL server. Three workers a core: a Pilot test spends most of its time waiting for
# the app to be idle (at least 20 ms a key), so the cores stay busy only with several of
# them; at most 12 (each worker starts a PostgreSQL server). The slowest tests are listed
# at the end, so that the next slow one is seen. `make test TEST_WORKERS=0` runs it serially.
CORES := $(shell nproc 2>/dev/null || echo 2)
TEST_WORKERS ?= $(shell n=$$((3 * $(CORES))); [ $$n -gt 12 ] && n=12; echo $$n)

test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal --durations=15 $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/python -m ruff check src tests benchmarks
	$(BIN)/python -m ruff format --check src tests benchmarks

demo: $(STAMP)
	$(BIN)/cep-tui demo $(ARGS)

# Speed at a large Mission Locale's size, against the bare framework: one table (see
# benchmarks/RESULTS.md). The large data is built once into benchmarks/.cache;
# `make bench BENCH_DATABASE=postgresql://…` measures another database (filled if empty);
# BENCH_ARGS="--runs 3 --queries 50" for a quicker look.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py $(if $(BENCH_DATABASE),--database '$(BENCH_DATABASE)') $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .hypothesis
