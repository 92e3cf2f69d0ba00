"""WebSocket routes (the ``websocket`` half of ``webapp.asgi``)."""

from django.urls import path

from webapp.evaluation.consumers import ExperimentConsumer
from webapp.graphstore.consumers import GraphPresenceConsumer
from webapp.runs.consumers import RunEventsConsumer
from webapp.training.consumers import TrainingConsumer

websocket_urlpatterns = [
    path("ws/runs/<int:run_id>/", RunEventsConsumer.as_asgi()),
    path("ws/graphs/<int:graph_id>/", GraphPresenceConsumer.as_asgi()),
    path("ws/trainings/<int:training_id>/", TrainingConsumer.as_asgi()),
    path("ws/experiments/<int:experiment_id>/", ExperimentConsumer.as_asgi()),
]
