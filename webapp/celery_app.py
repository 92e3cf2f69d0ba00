"""The Celery app with the web app's tasks: ``celery -A webapp.celery_app worker -Q runs``.

The ``runs`` worker advances runs and so needs the database; model hosts run
``celery -A workers.celery_app`` and need only Redis. One worker may serve both kinds of queue.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
django.setup()

from webapp.runs import tasks  # noqa: E402  (registers the runs tasks; needs django.setup())
from workers.celery_app import app  # noqa: E402

__all__ = ["app", "tasks"]
