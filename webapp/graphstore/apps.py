from django.apps import AppConfig
from django.conf import settings


class GraphstoreConfig(AppConfig):
    name = "webapp.graphstore"
    label = "graphstore"
    verbose_name = "Graph store"

    def ready(self) -> None:
        # Every process that loads the apps (web server, Celery workers) validates and runs
        # graphs, so each registers the deployment's extra node kinds here, once.
        from graphs.nodes.registry import register_kinds_from

        register_kinds_from(settings.EXTRA_NODE_KINDS)
