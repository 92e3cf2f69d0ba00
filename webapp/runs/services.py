"""Request-level writes for runs: check a run's images, create a run, cancel one.

Each write checks, then does (zulip's ``check_…``/``do_…`` actions): ``run_create`` is
``check_run_create`` (access, input) then ``do_run_create`` (the rows, and the start queued
after the commit); ``run_cancel`` is ``check_run_cancel`` (access) then a step of the driver
(``driver.cancel``), whose events are published under the run's lock. ``images_check`` decodes
images before any transaction (CPU-bound).

The rest of the runs path lives beside this module, each piece in its own file: ``driver`` (the
Celery driver of the engine: lock, fold, dispatch), ``inline`` (inline nodes the runs worker
executes itself), ``sweeper`` (lost work), ``enqueue`` (what is sent to Celery) and ``tasks``
(thin Celery tasks, which import what they call; nothing imports them back). Events go to the
run's stream, ``workers.event_stream.shared_stream``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

import kombu.exceptions
import redis
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from graphs.images import MAX_RUN_IMAGES, RunImage
from webapp import errors
from webapp.accounts.access import require_role
from webapp.accounts.models import Role
from webapp.errors import Forbidden, Invalid
from webapp.graphstore.models import Graph, GraphVersion
from webapp.graphstore.selectors import latest_version_of, version_of
from webapp.runs import driver, enqueue, uploads
from webapp.runs.models import Run, RunStatus, RunUpload
from webapp.runs.uploads import ImageUpload
from workers.images import ImageError, ImageLimits, detect_media_type, load_run_image

AnyUser = AbstractBaseUser | AnonymousUser

log = logging.getLogger(__name__)

MAX_INPUT_CHARS = 100_000


@dataclass(frozen=True)
class CheckedImage:
    """An upload that passed ``workers.images``: its type by content and its working copy."""

    upload: ImageUpload
    original_type: str
    working: RunImage


def images_check(images: Sequence[ImageUpload]) -> list[CheckedImage]:
    """Validate a run's images and make their working copies (``workers.images``), in order.

    CPU-bound (a large PNG takes a few hundred ms): call it before any transaction, so that
    decoding never holds a lock. Raises ``Invalid``: ``too_many_images``, or the first bad
    image's code with its number (``webapp.runs.uploads``)."""
    if len(images) > MAX_RUN_IMAGES:
        raise Invalid(
            f"a run takes at most {MAX_RUN_IMAGES} images, got {len(images)}",
            code="too_many_images",
            field="images",
        )
    limits = ImageLimits.from_settings()
    checked = []
    for number, upload in enumerate(images, start=1):
        label = uploads.label(number, upload.name)
        try:
            working = load_run_image(upload.data, upload.declared_type, limits=limits, label=label)
        except ImageError as error:
            raise uploads.invalid(number, error.message, error.code) from None
        checked.append(CheckedImage(upload, detect_media_type(upload.data), working))
    return checked


@transaction.atomic
def run_create(
    *,
    graph: Graph,
    actor: AnyUser,
    text: str,
    version: int | None = None,
    images: Sequence[CheckedImage] = (),
    routing_only: bool = False,
    on_finish: str = "",
) -> Run:
    """Create a run of ``version`` (default: the latest) on ``text`` and ``images`` (from
    ``images_check``; each original is stored with its working copy), queued to start after the
    commit. ``routing_only`` and ``on_finish`` are as on ``Run``. Viewers may run. Raises
    ``NotFound``/``Forbidden`` (access) and ``Invalid`` (``check_run_create``), and
    ``Unavailable`` at the commit when the start cannot be queued (``do_run_create``)."""
    graph_version = check_run_create(graph=graph, actor=actor, text=text, version=version)
    fields = {"routing_only": routing_only, "on_finish": on_finish}
    run = Run(graph=graph, version=graph_version, created_by=actor, input=text, **fields)
    do_run_create(run=run, images=images)
    return run


def check_run_create(
    *, graph: Graph, actor: AnyUser, text: str, version: int | None = None
) -> GraphVersion:
    """The version of ``graph`` that ``actor`` may run on ``text``: number ``version``, default
    the latest. Raises ``NotFound``/``Forbidden`` (access: viewers may run; a missing version)
    and ``Invalid`` (``empty_input``, ``input_too_long``)."""
    require_role(user=actor, team=graph.team, role=Role.VIEWER, what="graph")
    if not text.strip():
        raise Invalid("the run needs a non-empty input text", code="empty_input", field="input")
    if len(text) > MAX_INPUT_CHARS:
        raise Invalid(
            f"the input is longer than {MAX_INPUT_CHARS} characters",
            code="input_too_long",
            field="input",
        )
    return latest_version_of(graph) if version is None else version_of(graph=graph, number=version)


def do_run_create(*, run: Run, images: Sequence[CheckedImage] = ()) -> None:
    """Insert ``run`` (new, unsaved, queued) and its images, and send its start after the commit
    (``_send_start``). Checks nothing: ``run_create`` calls ``check_run_create`` first, and holds
    the transaction this runs in."""
    run.save(force_insert=True)
    RunUpload.objects.bulk_create(
        RunUpload(
            run=run,
            number=number,
            name=image.upload.name,
            original_type=image.original_type,
            original=image.upload.data,
            original_bytes=len(image.upload.data),
            media_type=image.working.media_type,
            data=image.working.data,
            width=image.working.width,
            height=image.working.height,
        )
        for number, image in enumerate(images, start=1)
    )
    # Only a run whose transaction is ``run_create``'s own may be deleted when its start cannot
    # be sent: a caller's transaction may have tied other rows to it (a chat message, an
    # experiment row), so there it is marked failed instead.
    own = len(transaction.get_connection().atomic_blocks) == 1
    transaction.on_commit(lambda: _send_start(run, delete_on_failure=own))


def run_cancel(*, run: Run, actor: AnyUser, reason: str = "") -> Run:
    """Cancel ``run`` (its creator, or an editor of the team) with ``reason`` (default: who
    cancelled it): emit ``run.cancelled`` and stop its queued and running nodes
    (``driver.cancel``). A finished run is returned unchanged. Raises ``NotFound``/``Forbidden``
    (``check_run_cancel``)."""
    check_run_cancel(run=run, actor=actor)
    reason = reason or f"cancelled by {actor.get_username()}"
    return driver.cancel(run_id=run.pk, reason=reason) or run


def check_run_cancel(*, run: Run, actor: AnyUser) -> None:
    """Raise ``NotFound``/``Forbidden`` unless ``actor`` may cancel ``run``: its creator (a
    viewer at least), or an editor of its team."""
    membership = require_role(user=actor, team=run.graph.team, role=Role.VIEWER, what="run")
    if run.created_by_id != actor.pk and not Role(membership.role).allows(Role.EDITOR):
        raise Forbidden(
            "only the run's creator or an editor may cancel it", required_role=Role.EDITOR.value
        )


class Unavailable(errors.Unavailable):
    """The run's task queue (Redis) cannot be reached: nothing was queued. The API answers
    503 with ``Retry-After``."""

    code = "queue_unavailable"


def _send_start(run: Run, *, delete_on_failure: bool) -> None:
    """Send the run's ``start_run`` (after its commit). When Redis cannot be reached, the run is
    deleted (``delete_on_failure``: its creation was the whole transaction) or marked failed, so
    nothing is left queued forever, and ``Unavailable`` is raised."""
    try:
        enqueue.start_run(run.pk)
    except (kombu.exceptions.OperationalError, redis.RedisError, OSError) as error:
        log.warning("could not queue run %s: %s", run.pk, error)
        if delete_on_failure:
            Run.objects.filter(pk=run.pk).delete()
        else:
            Run.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
                status=RunStatus.FAILED,
                error="it could not be queued: the task queue (Redis) is unreachable",
                finished_at=timezone.now(),
            )
        raise Unavailable(
            "the task queue (Redis) is unreachable, so the run could not be started; "
            "try again in a moment"
        ) from error
