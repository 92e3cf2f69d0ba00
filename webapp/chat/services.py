"""Writes for chat sessions: start one, say something (which starts a run), settle answers.

A turn: ``chat_say`` stores the user's message and starts a run of the graph's latest version on
the conversation rendered by ``webapp.chat.transcript`` (the earlier turns come from the Redis
cache of ``webapp.chat.history``, or the database when it is not cached); the client follows the
run over ``/ws/runs/<id>/``. When that run has finished, ``chat_settle`` stores its output as the
assistant's message; it runs before every read of the messages and before the next turn, so
nothing needs to watch the run. A failed or cancelled run leaves no assistant message: the user
may simply say something again. One turn at a time: saying something while the previous answer
is still running is a ``Conflict`` (``turn_in_progress``). A message's images go with its run
(stored with it, see ``GET /api/runs/{id}/``); later turns carry the conversation's text only.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from webapp.accounts.access import require_role
from webapp.accounts.models import Role
from webapp.chat import history, transcript
from webapp.chat.models import ChatMessage, ChatRole, ChatSession
from webapp.chat.selectors import messages_of
from webapp.errors import Conflict, Invalid
from webapp.graphstore.models import Graph
from webapp.runs import services as runs
from webapp.runs.models import RunStatus
from webapp.runs.uploads import ImageUpload

AnyUser = AbstractBaseUser | AnonymousUser


@transaction.atomic
def chat_create(*, graph: Graph, actor: AnyUser, title: str = "") -> ChatSession:
    """Start a session of ``actor`` with ``graph``. Whoever may run the graph (viewers) may chat.
    Raises ``NotFound`` for another team's graph."""
    require_role(user=actor, team=graph.team, role=Role.VIEWER, what="graph")
    chat = ChatSession.objects.create(graph=graph, user=actor, title=title.strip())
    # An empty cached history: drops anything a deleted session of the same id left behind.
    transaction.on_commit(lambda: history.fill(chat.pk, []))
    return chat


def chat_say(
    *, chat: ChatSession, actor: AnyUser, content: str, images: Sequence[ImageUpload] = ()
) -> ChatMessage:
    """Store ``actor``'s message and start the run that answers it (``message.run``), with
    ``images`` (checked before the session is locked: decoding them holds no lock).

    The session row is locked while the turn is checked and stored, so two messages sent at
    once start one run each, in order. Raises ``Conflict`` (``turn_in_progress``) while the
    previous answer runs, ``Invalid`` for an empty message or a conversation too long for a run
    input or a bad image (``webapp.runs.services.images_check``), and ``NotFound``/``Forbidden``
    when the actor can no longer run the graph.
    """
    if not content.strip():
        raise Invalid("the message is empty", code="empty_message", field="content")
    checked = runs.images_check(images)
    with transaction.atomic():
        chat = ChatSession.objects.select_for_update().select_related("graph__team").get(pk=chat.pk)
        require_role(user=actor, team=chat.graph.team, role=Role.VIEWER, what="chat")
        last = messages_of(chat).select_related("run").last()
        answer = _settle(chat, last)
        if last is not None and last.role == ChatRole.USER and last.run and not last.run.finished:
            raise Conflict(
                "the previous message is still being answered; wait for its run to finish",
                code="turn_in_progress",
                run=last.run_id,
            )
        turns = _history(chat, settled=answer)
        text = transcript.render([*turns, {"role": "user", "content": content}])
        run = runs.run_create(graph=chat.graph, actor=actor, text=text, images=checked)
        message = ChatMessage.objects.create(
            session=chat, role=ChatRole.USER, content=content, run=run
        )
        transaction.on_commit(lambda: history.append(chat.pk, message.to_turn()))
    return message


def chat_settle(*, chat: ChatSession) -> None:
    """Store the answer of the latest turn when its run has completed (idempotent)."""
    with transaction.atomic():
        chat = ChatSession.objects.select_for_update().get(pk=chat.pk)
        _settle(chat, messages_of(chat).select_related("run").last())


def _settle(chat: ChatSession, last: ChatMessage | None) -> ChatMessage | None:
    """The assistant message stored for ``last``'s completed run, if any. Caller holds the
    session's lock."""
    if last is None or last.role != ChatRole.USER or last.run is None:
        return None
    if last.run.status != RunStatus.COMPLETED:
        return None
    answer = ChatMessage.objects.create(
        session=chat, role=ChatRole.ASSISTANT, content=last.run.output, run=last.run
    )
    transaction.on_commit(lambda: history.append(chat.pk, answer.to_turn()))
    return answer


def _history(chat: ChatSession, *, settled: ChatMessage | None) -> list[dict[str, str]]:
    """The session's turns so far, from the cache, else from the database (then cached).
    ``settled``, stored in this transaction, reaches the cache only after the commit."""
    turns = history.cached(chat.pk)
    if turns is None:
        turns = [m.to_turn() for m in messages_of(chat)]
        transaction.on_commit(lambda: history.fill(chat.pk, turns))
        return turns
    return [*turns, settled.to_turn()] if settled is not None else turns
