"""Keep a stack's processes alive: restart one that dies, after a growing pause; give up on one
that keeps dying; stop them all, last started first.

Each child runs in a session (and process group) of its own, so a Ctrl-C in the terminal
reaches only the supervisor, which then stops the children in order; and whatever a child
leaves behind in its group when it dies is killed with it, so a restart never runs beside an
orphan of the previous one.

The supervisor is polled, not threaded: :meth:`Supervisor.check` looks at every child once and
:meth:`Supervisor.run` calls it until a child gives up. Signals are the caller's business
(``deploy/local_stack.py`` turns SIGTERM into ``SystemExit`` and calls :meth:`Supervisor.stop`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, NoReturn


class GaveUp(RuntimeError):
    """A child died ``max_deaths`` times within ``window_s``; the message names it and its last
    exit status."""


def describe_status(returncode: int) -> str:
    """``status 1``, or ``status -9 (SIGKILL)`` for a child killed by a signal."""
    if returncode < 0:
        try:
            return f"status {returncode} ({signal.Signals(-returncode).name})"
        except ValueError:
            pass
    return f"status {returncode}"


def _say(message: str) -> None:
    print(f"[supervisor] {message}", file=sys.stderr, flush=True)


@dataclass
class Child:
    """One supervised command, its current process and its recent deaths."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str] | None = None
    stdout: int | IO[Any] | None = None  # None: the supervisor's own stdout
    # None before the first start and while a dead child waits for its restart.
    process: subprocess.Popen[bytes] | None = field(default=None, init=False)
    # Monotonic times of the deaths within the supervisor's window, oldest first.
    deaths: deque[float] = field(default_factory=deque, init=False)
    # When a dead child is due to start again; None while it runs.
    restart_at: float | None = field(default=None, init=False)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


class Supervisor:
    """Starts children, restarts the ones that die and stops them all.

    A child that dies is started again after ``first_delay_s``, doubled for each other death
    within the last ``window_s`` seconds and capped at ``max_delay_s``; its ``max_deaths``-th
    death within ``window_s`` raises :class:`GaveUp` instead (the caller stops the stack).
    """

    def __init__(
        self,
        *,
        cwd: Path,
        first_delay_s: float = 0.5,
        max_delay_s: float = 10.0,
        max_deaths: int = 5,
        window_s: float = 60.0,
        poll_s: float = 0.2,
        say: Callable[[str], None] = _say,
    ) -> None:
        self.cwd = cwd
        self.first_delay_s = first_delay_s
        self.max_delay_s = max_delay_s
        self.max_deaths = max_deaths
        self.window_s = window_s
        self.poll_s = poll_s
        self.say = say
        self.children: list[Child] = []

    def start(
        self,
        name: str,
        command: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        stdout: int | IO[Any] | None = None,
    ) -> Child:
        """Start ``command`` now and supervise it from the next :meth:`check` on."""
        child = Child(name, command, env, stdout)
        self.children.append(child)
        self._spawn(child)
        self.say(f"started {name} (pid {child.pid})")
        return child

    def check(self) -> None:
        """Look at every child once: note a death (and schedule the restart) or restart a child
        whose pause is over. Raises :class:`GaveUp` on a child's ``max_deaths``-th death within
        ``window_s``."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restart_at = None
                    self._spawn(child)
                    self.say(f"restarted {child.name} (pid {child.pid})")
            elif not child.running():
                self._note_death(child, now)

    def run(self) -> NoReturn:
        """:meth:`check` every ``poll_s`` seconds until :class:`GaveUp` (or a signal) ends it."""
        while True:
            self.check()
            time.sleep(self.poll_s)

    def stop(self, timeout_s: float = 20.0) -> None:
        """Stop every child, last started first: SIGTERM, then SIGKILL to its whole process
        group after ``timeout_s``. Children already dead have their leftovers killed."""
        for child in reversed(self.children):
            child.restart_at = None
            process = child.process
            if process is None:
                continue
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=timeout_s)
                except subprocess.TimeoutExpired:
                    self.say(f"{child.name} did not stop within {timeout_s:g} s; killing it")
            _kill_group(process)

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(
            child.command,
            cwd=self.cwd,
            env=child.env,
            stdout=child.stdout,
            start_new_session=True,
        )

    def _note_death(self, child: Child, now: float) -> None:
        assert child.process is not None  # a child is spawned when it is added
        pid, status = child.pid, describe_status(child.process.returncode)
        _kill_group(child.process)
        # Forgotten at once: a later stop() must not signal a group id the system may reuse.
        child.process = None
        while child.deaths and child.deaths[0] <= now - self.window_s:
            child.deaths.popleft()
        child.deaths.append(now)
        deaths = len(child.deaths)
        if deaths >= self.max_deaths:
            raise GaveUp(
                f"{child.name} died {deaths} times within {self.window_s:g} s (last with "
                f"{status}); stopping the stack"
            )
        delay = min(self.first_delay_s * 2 ** (deaths - 1), self.max_delay_s)
        child.restart_at = now + delay
        self.say(f"{child.name} (pid {pid}) died with {status}; restarting it in {delay:g} s")


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL whatever is left in ``process``'s group (its own process included, when alive)
    and reap it. The group id is the child's pid: it leads a session of its own."""
    # ProcessLookupError: nothing left in the group; PermissionError: macOS, for a group of
    # zombies.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
