"""Multi-turn conversations with a graph. The database is the durable copy of every message;
Redis caches each session's history for building the next turn (``webapp.chat.history``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from webapp.graphstore.models import Graph
from webapp.runs.models import Run


class ChatRole(models.TextChoices):
    USER = "user", "User"
    ASSISTANT = "assistant", "Assistant"


class ChatSession(models.Model):
    """One user's conversation with a graph (always its latest version). Private to its user."""

    graph = models.ForeignKey(Graph, on_delete=models.CASCADE, related_name="chats")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"chat {self.pk} with {self.graph}"


class ChatMessage(models.Model):
    """A turn. ``run`` is the run that answers a user message, or that wrote an assistant one."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=ChatRole.choices)
    content = models.TextField()
    run = models.ForeignKey(Run, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("session_id", "id")

    def __str__(self) -> str:
        return f"{self.role} #{self.pk} of chat {self.session_id}"

    def to_turn(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}
