"""The Celery app with the web app's tasks: ``celery -A webapp.celery_app worker -Q runs``.

The ``runs`` worker advances runs and experiments, and the ``training`` worker trains routers
(``-Q training``): both need the database; model hosts run ``celery -A workers.celery_app`` and
need only Redis. One worker may serve both kinds of queue.
``celery -A webapp.celery_app beat`` sends the periodic tasks of ``beat_schedule``.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
django.setup()

from webapp.evaluation import tasks as evaluation_tasks  # noqa: E402  (the experiment tasks)
from webapp.runs import tasks  # noqa: E402  (registers the runs tasks; needs django.setup())
from webapp.training import tasks as training_tasks  # noqa: E402  (registers the training task)
from workers.celery_app import app  # noqa: E402

# A run whose node task was lost with its worker (killed before the broker could deliver it
# again) would otherwise stay running forever: look for such runs every minute. An experiment
# whose run's "finished" notice was lost (its worker restarted) would wait for it forever: the
# sweep scores such rows and goes on.
app.conf.beat_schedule = {
    "fail-lost-runs": {"task": "runs.fail_lost_runs", "schedule": 60.0},
    "resume-experiments": {"task": evaluation_tasks.RESUME_TASK, "schedule": 60.0},
}

__all__ = ["app", "evaluation_tasks", "tasks", "training_tasks"]
