"""``deploy/supervisor.py`` with real child processes: tiny Python commands that sleep, exit or
get SIGKILL, under short pauses and windows so that each test takes about a second."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deploy.supervisor import GaveUp, Supervisor, describe_status
from tests.processes import alive

ROOT = Path(__file__).resolve().parents[3]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(30)"]


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def check_until(supervisor: Supervisor, done: Callable[[], bool], timeout_s: float = 10) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        assert time.monotonic() < deadline, "timed out"
        supervisor.check()
        time.sleep(0.02)


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def supervisor(said: list[str]) -> Supervisor:
    return Supervisor(cwd=ROOT, first_delay_s=0.1, max_delay_s=0.25, poll_s=0.02, say=said.append)


def pauses(said: list[str]) -> list[float]:
    return [float(p) for line in said for p in re.findall(r"restarting it in ([\d.]+) s", line)]


def test_a_child_killed_with_sigkill_is_restarted_with_a_new_pid(
    supervisor: Supervisor, said: list[str]
) -> None:
    child = supervisor.start("sleeper", SLEEPER)
    first = child.pid
    assert first is not None
    try:
        os.kill(first, signal.SIGKILL)
        check_until(supervisor, lambda: child.pid not in (None, first))

        assert child.pid is not None
        assert alive(child.pid)
        assert said == [
            f"started sleeper (pid {first})",
            f"sleeper (pid {first}) died with status -9 (SIGKILL); restarting it in 0.1 s",
            f"restarted sleeper (pid {child.pid})",
        ]
    finally:
        supervisor.stop()


def test_the_pause_doubles_with_each_death_within_the_window_up_to_the_cap(
    supervisor: Supervisor, said: list[str]
) -> None:
    supervisor.max_deaths = 10
    supervisor.start("quick", python("import time; time.sleep(0.2)"))
    try:
        check_until(supervisor, lambda: len(pauses(said)) == 4)
    finally:
        supervisor.stop()

    assert pauses(said) == [0.1, 0.2, 0.25, 0.25]


def test_a_child_that_keeps_dying_stops_the_supervisor_naming_it_and_its_status(
    supervisor: Supervisor, said: list[str]
) -> None:
    supervisor.max_deaths = 3
    child = supervisor.start("crasher", python("raise SystemExit(3)"))
    started = time.monotonic()

    with pytest.raises(GaveUp) as gave_up:
        supervisor.run()

    assert str(gave_up.value) == (
        "crasher died 3 times within 60 s (last with status 3); stopping the stack"
    )
    assert pauses(said) == [0.1, 0.2]  # the third death restarts nothing
    assert time.monotonic() - started < 5
    assert child.process is None  # nothing left to stop
    supervisor.stop()


def test_deaths_older_than_the_window_are_forgotten(
    supervisor: Supervisor, said: list[str]
) -> None:
    supervisor.max_deaths, supervisor.window_s = 2, 0.3
    supervisor.start("steady", python("import time; time.sleep(0.4)"))
    try:
        check_until(supervisor, lambda: len(pauses(said)) == 3)  # never GaveUp
    finally:
        supervisor.stop()

    assert pauses(said) == [0.1, 0.1, 0.1]


def test_stop_stops_the_last_started_first_and_kills_a_child_that_ignores_sigterm(
    supervisor: Supervisor, said: list[str], tmp_path: Path
) -> None:
    stopped = tmp_path / "stopped"

    def polite(name: str) -> list[str]:
        return python(
            "import signal, sys, time\n"
            "def stop(*_):\n"
            f"    open({str(stopped)!r}, 'a').write({name!r} + '\\n')\n"
            "    sys.exit(0)\n"
            "signal.signal(signal.SIGTERM, stop)\n"
            f"open({str(tmp_path / name)!r}, 'w').close()\n"
            "time.sleep(30)\n"
        )

    first = supervisor.start("first", polite("first"))
    second = supervisor.start("second", polite("second"))
    stubborn = supervisor.start(
        "stubborn",
        python(
            "import signal, time\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            f"open({str(tmp_path / 'stubborn')!r}, 'w').close()\n"
            "time.sleep(30)\n"
        ),
    )
    # Signal handlers installed (each child touches its file once they are).
    check_until(supervisor, lambda: all((tmp_path / n).exists() for n in ("first", "second")))
    check_until(supervisor, lambda: (tmp_path / "stubborn").exists())

    supervisor.stop(timeout_s=0.5)

    assert stopped.read_text().split() == ["second", "first"]
    assert said[-1] == "stubborn did not stop within 0.5 s; killing it"
    for child in (first, second, stubborn):
        assert child.process is not None
        assert child.process.returncode is not None
    assert stubborn.process is not None
    assert stubborn.process.returncode == -signal.SIGKILL


def test_what_a_dead_child_leaves_in_its_process_group_is_killed_before_the_restart(
    supervisor: Supervisor, tmp_path: Path
) -> None:
    grandchild_pid = tmp_path / "grandchild"
    child = supervisor.start(
        "parent",
        python(
            "import subprocess, sys, time\n"
            f"helper = subprocess.Popen({SLEEPER!r})\n"
            f"open({str(grandchild_pid)!r}, 'w').write(str(helper.pid))\n"
            "time.sleep(30)\n"
        ),
    )
    try:
        check_until(
            supervisor, lambda: grandchild_pid.exists() and grandchild_pid.read_text() != ""
        )
        orphan = int(grandchild_pid.read_text())
        first = child.pid
        assert first is not None
        assert alive(orphan)

        os.kill(first, signal.SIGKILL)
        check_until(supervisor, lambda: child.pid is None)  # the death is noted

        deadline = time.monotonic() + 5
        while alive(orphan):
            assert time.monotonic() < deadline, f"the orphan {orphan} still runs"
            time.sleep(0.02)
    finally:
        supervisor.stop()


@pytest.mark.parametrize(
    ("returncode", "described"),
    [(0, "status 0"), (3, "status 3"), (-9, "status -9 (SIGKILL)"), (-15, "status -15 (SIGTERM)")],
)
def test_exit_statuses_name_the_signal_that_ended_the_child(
    returncode: int, described: str
) -> None:
    assert describe_status(returncode) == described
