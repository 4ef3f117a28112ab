# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The local demo server lets the demo's staff accounts in without an authenticator app.
STAFF_TWO_FACTOR_REQUIRED ?= 0
HOST ?= 127.0.0.1
STAMP := $(VENV)/.installed

.PHONY: run test install lint format demo clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	cd rightstrack && ../$(BIN)/rightstrack compilemessages --verbosity 0
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/rightstrack migrate --noinput
	$(BIN)/rightstrack migrate --noinput --database jobs
	$(BIN)/rightstrack collectstatic --noinput --verbosity 0
	$(BIN)/rightstrack load-demo
	@echo "Serving rightstrack at http://$(HOST):$(PORT)/"
	@echo "Staff two-factor sign-in: STAFF_TWO_FACTOR_REQUIRED=$(STAFF_TWO_FACTOR_REQUIRED) (0 lets the demo accounts in with a password; 1 in production)."
	@echo "Running background jobs (imports, indexes) in a worker beside it (rightstrack worker)."
	@# One command: the worker runs in the background and stops when the server stops.
	$(BIN)/rightstrack worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM; \
	STAFF_TWO_FACTOR_REQUIRED=$(STAFF_TWO_FACTOR_REQUIRED) $(BIN)/rightstrack serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/*.sqlite3* var/static
