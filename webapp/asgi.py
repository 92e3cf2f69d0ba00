"""ASGI entry point (Daphne): Django for HTTP, Channels consumers for WebSockets.

WebSockets pass, from the outside in: the origin check (``Origin`` must match ``ALLOWED_HOSTS``,
which stops other sites from using a visitor's session cookie; clients other than browsers send
an ``Origin`` of this site too), session authentication, then API-token authentication
(``webapp.accounts.ws_auth``: ``?token=`` or an ``Authorization`` header), then the routes of
``webapp.routing``.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from webapp.accounts.ws_auth import TokenAuthMiddleware  # noqa: E402
from webapp.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
        ),
    }
)
