from django.contrib import admin
from django.http import HttpRequest

from webapp.chat.models import ChatMessage, ChatSession


class ReadOnlyAdmin(admin.ModelAdmin):
    """Chats change only through their services (the Redis cache follows them); admins may
    look and delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ChatSession)
class ChatSessionAdmin(ReadOnlyAdmin):
    list_display = ("id", "graph", "user", "title", "created_at")
    raw_id_fields = ("graph", "user")


@admin.register(ChatMessage)
class ChatMessageAdmin(ReadOnlyAdmin):
    list_display = ("id", "session", "role", "run", "created_at")
    list_filter = ("role",)
    raw_id_fields = ("session", "run")
