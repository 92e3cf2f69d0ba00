"""``/api/docs/``: drf-spectacular's Swagger UI, under the studio's strict Content-Security-Policy.

Swagger UI's files come from drf-spectacular-sidecar as our own static files (no CDN: the page
works with no internet); its start-up script is a second request to this view
(``?script``, drf-spectacular's split view) rather than an inline script; and its page, unlike
drf-spectacular's, carries no inline ``<style>`` (``templates/api/swagger_ui.html``). So the page
needs nothing ``'self'`` does not allow.
"""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI of the schema at the ``schema`` route."""

    template_name = "api/swagger_ui.html"
