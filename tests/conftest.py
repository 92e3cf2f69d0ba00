"""Session-wide setup shared by every test package.

- A private Redis database: the session claims the first free one of ``TEST_REDIS_DBS`` (a lock
  key set with NX), empties it and points ``REDIS_URL`` at it, so test sessions running side by
  side never share Celery queues or run event streams.
- A file SQLite test database (pytest-django's default is in memory), so that the Celery worker
  processes the run tests start can open the same database.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import pytest
import redis

REDIS_SERVER = os.environ.get("OCTOGRAPH_TEST_REDIS", "redis://127.0.0.1:6379")
TEST_REDIS_DBS = range(8, 16)
LOCK_KEY = "octograph:test-session"
LOCK_TTL_S = 3 * 3600


def pytest_configure(config: pytest.Config) -> None:
    try:
        redis.Redis.from_url(REDIS_SERVER).ping()
    except redis.ConnectionError:
        # Tests of runs and event streams will fail, naming the connection; the rest can run.
        warnings.warn(f"no Redis at {REDIS_SERVER} (`make redis` starts one)", stacklevel=1)
        return
    for db in TEST_REDIS_DBS:
        client = redis.Redis.from_url(f"{REDIS_SERVER}/{db}")
        if client.set(LOCK_KEY, os.getpid(), nx=True, ex=LOCK_TTL_S):
            with client.pipeline(transaction=True) as pipe:
                pipe.flushdb().set(LOCK_KEY, os.getpid(), ex=LOCK_TTL_S).execute()
            os.environ["REDIS_URL"] = f"{REDIS_SERVER}/{db}"
            config.stash[_claimed] = db
            return
    raise pytest.UsageError(f"no free Redis test database among {list(TEST_REDIS_DBS)}")


def pytest_unconfigure(config: pytest.Config) -> None:
    db = config.stash.get(_claimed, None)
    if db is not None:
        redis.Redis.from_url(f"{REDIS_SERVER}/{db}").flushdb()


_claimed = pytest.StashKey[int]()


@pytest.fixture(scope="session")
def redis_test_url(pytestconfig: pytest.Config) -> str | None:
    """The URL of this session's private Redis database; None when there is no Redis."""
    db = pytestconfig.stash.get(_claimed, None)
    return None if db is None else f"{REDIS_SERVER}/{db}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from django.conf import settings

    database: dict[str, Any] = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        path: Path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        database.setdefault("TEST", {})["NAME"] = str(path)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last. Playwright's sync API keeps an event loop running in the main
    thread for as long as its (session-wide) browser is open, and async tests that come after it
    would fail with "cannot be called from a running event loop". ``trylast``: after
    pytest-django has put the tests in database order."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
