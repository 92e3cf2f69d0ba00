from django.urls import path, re_path

from webapp.frontend.views import favicon, spa

# The client-side routes of frontend/src/App.tsx; anything else stays a JSON 404.
urlpatterns = [
    path("", spa, name="spa"),
    path("favicon.ico", favicon, name="favicon"),
    re_path(r"^(?P<path>login|signup|models|tokens|graphs(?:/.*)?|share/[\w-]+)/?$", spa),
]
