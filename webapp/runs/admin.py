from django.contrib import admin
from django.http import HttpRequest

from webapp.runs.models import Run, RunEvent, RunUpload


class ReadOnlyAdmin(admin.ModelAdmin):
    """Runs and their traces change only through the run tasks; admins may look and delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Run)
class RunAdmin(ReadOnlyAdmin):
    list_display = ("id", "graph", "version", "status", "created_by", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("graph", "version", "created_by")


@admin.register(RunEvent)
class RunEventAdmin(ReadOnlyAdmin):
    list_display = ("run", "seq", "type", "node", "ts")
    list_filter = ("type",)
    raw_id_fields = ("run",)


@admin.register(RunUpload)
class RunUploadAdmin(ReadOnlyAdmin):
    list_display = ("run", "number", "name", "original_type", "original_bytes", "width", "height")
    list_filter = ("original_type",)
    raw_id_fields = ("run",)
