"""docker-compose.yml's worker serves what `make run`'s worker serves (``worker_queues``): its
queue list is written out by hand, because ``deploy/`` is not copied into the image."""

from __future__ import annotations

from pathlib import Path

import yaml

from deploy.local_stack import worker_queues

COMPOSE = Path(__file__).resolve().parents[3] / "docker-compose.yml"


def test_the_compose_worker_consumes_every_queue_of_the_local_worker() -> None:
    command = yaml.safe_load(COMPOSE.read_text())["services"]["worker"]["command"].split()
    queues = set(command[command.index("-Q") + 1].split(","))

    assert set(worker_queues().split(",")) <= queues
