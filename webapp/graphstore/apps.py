from django.apps import AppConfig


class GraphstoreConfig(AppConfig):
    name = "webapp.graphstore"
    label = "graphstore"
    verbose_name = "Graph store"
