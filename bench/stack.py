"""The production stack for benchmarks, in one process tree: an embedded Redis (unless
``REDIS_URL`` is set: that database is FLUSHED, point it at a spare one), Django on a temporary
SQLite file, and Celery worker processes started on demand. Imported by the stack benchmarks
(``python bench/<name>.py`` puts this folder on ``sys.path``)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def django_stack(prefix: str) -> Iterator[Path]:
    """Redis and a migrated Django on a fresh SQLite database; yields the temporary folder
    (database, worker logs). Stops the embedded Redis on exit."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    embedded = None
    if not os.environ.get("REDIS_URL"):
        sys.path.insert(0, str(ROOT))
        from deploy.local_stack import start_embedded_redis, wait_for_port

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        embedded = start_embedded_redis(port, folder / "redis")
        wait_for_port(port, embedded, "embedded Redis")
        os.environ["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'bench.sqlite3'}",
        DJANGO_SETTINGS_MODULE="webapp.settings",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret"),
    )
    try:
        import redis

        redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()

        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        yield folder
    finally:
        if embedded is not None:
            embedded.terminate()


@contextmanager
def workers(*specs: tuple[str, str, dict[str, str]], folder: Path) -> Iterator[None]:
    """Celery workers (``(app, queues, extra environment)`` each, thread pool of 8) for the
    duration of the block; their logs go to ``folder``."""
    processes = [
        start_worker(app, queues, folder / f"{queues.replace('.', '-')}.log", **env)
        for app, queues, env in specs
    ]
    try:
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)


def start_worker(app: str, queues: str, log: Path, **env: str) -> subprocess.Popen[bytes]:
    command = [
        *(sys.executable, "-m", "celery", "-A", app, "worker", "-Q", queues, "-l", "warning"),
        *("--pool=threads", "--concurrency=8", "-n", f"{app}-{os.getpid()}@%h"),
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    return subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
