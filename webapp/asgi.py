"""ASGI entry point: a plain Django ASGI app for now (Channels routing comes with runs)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")

application = get_asgi_application()
