from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "webapp.frontend"
    label = "frontend"
