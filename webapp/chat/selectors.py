"""Reads for chat sessions. A session is visible only to its own user, and only while that user
can still see its graph; any other id answers 404."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from webapp.chat.models import ChatMessage, ChatSession
from webapp.errors import NotFound
from webapp.graphstore.models import Graph
from webapp.graphstore.selectors import graphs_visible_to

AnyUser = AbstractBaseUser | AnonymousUser


def chats_of(*, graph: Graph, user: AnyUser) -> QuerySet[ChatSession]:
    """The user's sessions with ``graph``, newest first."""
    return ChatSession.objects.filter(graph=graph, user_id=user.pk).order_by("-created_at", "-id")


def chat_for(*, user: AnyUser, chat_id: int) -> ChatSession:
    """One of the user's own sessions, on a graph the user can still see; ``NotFound`` else."""
    chat = (
        ChatSession.objects.filter(
            pk=chat_id, user_id=user.pk, graph__in=graphs_visible_to(user).values("pk")
        )
        .select_related("graph__team")
        .first()
    )
    if chat is None:
        raise NotFound("chat not found")
    return chat


def messages_of(chat: ChatSession) -> QuerySet[ChatMessage]:
    """The session's messages, oldest first."""
    return ChatMessage.objects.filter(session=chat).order_by("id")
