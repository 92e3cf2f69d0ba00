from django.contrib import admin
from django.http import HttpRequest

from webapp.evaluation.models import Dataset, DatasetRow, Experiment, ExperimentRow


class ReadOnlyAdmin(admin.ModelAdmin):
    """Datasets are immutable and experiments change only through their tasks; admins may look
    and delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Dataset)
class DatasetAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "team", "source", "row_count", "created_by", "created_at")
    list_filter = ("source",)
    raw_id_fields = ("team", "created_by")


@admin.register(Experiment)
class ExperimentAdmin(ReadOnlyAdmin):
    list_display = ("id", "graph", "version", "dataset", "status", "done", "total", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("graph", "version", "dataset", "created_by")


@admin.register(DatasetRow)
class DatasetRowAdmin(ReadOnlyAdmin):
    list_display = ("dataset", "index")
    raw_id_fields = ("dataset",)


@admin.register(ExperimentRow)
class ExperimentRowAdmin(ReadOnlyAdmin):
    list_display = ("experiment", "index", "status", "outcome", "run")
    list_filter = ("status",)
    raw_id_fields = ("experiment", "dataset_row", "run")
