from django.contrib import admin
from django.http import HttpRequest

from webapp.graphstore.models import Graph, GraphVersion, ShareLink


class ReadOnlyAdmin(admin.ModelAdmin):
    """Versions are immutable and links are made through the API; admins may look and delete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Graph)
class GraphAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "team", "latest_version", "updated_at")
    search_fields = ("name", "slug", "team__name")
    raw_id_fields = ("team", "created_by", "forked_from")
    readonly_fields = ("latest_version", "created_at", "updated_at")


@admin.register(GraphVersion)
class GraphVersionAdmin(ReadOnlyAdmin):
    list_display = ("graph", "number", "author", "message", "created_at")
    search_fields = ("graph__name", "message")


@admin.register(ShareLink)
class ShareLinkAdmin(ReadOnlyAdmin):
    list_display = ("version", "created_by", "created_at", "revoked_at")
    list_filter = ("revoked_at",)
