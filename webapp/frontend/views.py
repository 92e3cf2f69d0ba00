"""The single-page app: ``index.html`` of the Vite build for every route the browser owns.

The build (``frontend/dist/``, made by ``make frontend``) is served as static files under
``STATIC_URL``. Until the front end is built these routes answer 503 naming the command that
builds it, rather than a bare 404. ``/favicon.ico``, which browsers and other clients fetch
without asking the page, answers the build's ``favicon.svg`` (from ``frontend/public/``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
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


@require_safe
def favicon(request: HttpRequest) -> FileResponse:
    """The build's SVG icon, served as is (browsers go by the content type, not the ``.ico``
    name) rather than redirected, so that clients which do not follow redirects get it too.

    Raises ``Http404`` until the front end is built.
    """
    icon = settings.FRONTEND_DIST / "favicon.svg"
    if not icon.is_file():
        raise Http404("the front end is not built yet")
    response = FileResponse(icon.open("rb"), content_type="image/svg+xml")
    # Not content-hashed, so cached for a day rather than forever.
    response["Cache-Control"] = "public, max-age=86400"
    return response
