"""WebSocket routes (the ``websocket`` half of ``webapp.asgi``)."""

from django.urls import path

from webapp.graphstore.consumers import GraphPresenceConsumer
from webapp.runs.consumers import RunEventsConsumer

websocket_urlpatterns = [
    path("ws/runs/<int:run_id>/", RunEventsConsumer.as_asgi()),
    path("ws/graphs/<int:graph_id>/", GraphPresenceConsumer.as_asgi()),
]
