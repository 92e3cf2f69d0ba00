from django.contrib import admin
from django.http import HttpRequest

from webapp.training.models import Training


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    """Trainings change only through their task; admins may look and delete."""

    list_display = ("id", "graph", "version", "router", "status", "created_by", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("graph", "version", "adapter", "created_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
