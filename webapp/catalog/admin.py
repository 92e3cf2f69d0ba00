from django.contrib import admin

from webapp.catalog.models import Endpoint, RouterAdapter


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    """The API key is neither shown nor editable here (set it through the API)."""

    list_display = ("key", "team", "base_url", "model_name", "has_api_key", "updated_at")
    search_fields = ("key", "team__name", "model_name")
    raw_id_fields = ("team", "created_by")
    readonly_fields = ("has_api_key", "created_at", "updated_at")

    @admin.display(boolean=True)
    def has_api_key(self, endpoint: Endpoint) -> bool:
        return endpoint.has_api_key


@admin.register(RouterAdapter)
class RouterAdapterAdmin(admin.ModelAdmin):
    """Adapters are registered by training; admins may look and delete (the folder stays)."""

    list_display = ("name", "team", "base_model", "graph", "router", "val_accuracy", "created_at")
    search_fields = ("name", "team__name", "router")
    raw_id_fields = ("team", "graph", "created_by")
    readonly_fields = ("created_at",)
