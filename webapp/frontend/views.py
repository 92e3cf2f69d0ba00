"""The single-page app: ``index.html`` of the Vite build for every route the browser owns.

The build (``frontend/dist/``, made by ``make frontend``) is served as static files under
``STATIC_URL``. Until the front end is built these routes answer 503 naming the command that
builds it, rather than a bare 404.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

NOT_BUILT = "The front end is not built yet: run `make frontend`.\n"


@require_safe
@ensure_csrf_cookie
def spa(request: HttpRequest, path: str = "") -> HttpResponse:
    """``index.html``, read per request (a few hundred bytes) so a rebuild needs no restart."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.is_file():
        return HttpResponse(NOT_BUILT, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(index.read_text(encoding="utf-8"))
    # The page names content-hashed asset files, so it must be revalidated after each deploy.
    response["Cache-Control"] = "no-cache"
    return response
