"""``manage.py seed_demo``: the demo user and one graph per template (safe to run again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from webapp.graphstore.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo user (if missing) with one graph per built-in template."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="octograph-demo")

    def handle(self, *args: Any, username: str, password: str, **options: Any) -> None:
        account = demo_seed(username=username, password=password)
        names = ", ".join(graph.slug for graph in account.created_graphs) or "none (all present)"
        self.stdout.write(f"demo user '{account.user.username}'; graphs created: {names}")
