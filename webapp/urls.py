"""URL routes: the REST API under /api/ (schema at /api/schema/, docs at /api/docs/), admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from webapp.accounts.urls import auth_urls, team_urls
from webapp.api.docs import SwaggerView
from webapp.catalog.urls import urlpatterns as model_urls
from webapp.chat.urls import chat_urls, graph_chat_urls
from webapp.evaluation.urls import (
    dataset_urls,
    evaluation_urls,
    experiment_urls,
    graph_experiment_urls,
)
from webapp.graphstore.urls import graph_urls, node_kind_urls, share_urls, template_urls
from webapp.runs.urls import graph_run_urls, run_urls
from webapp.training.urls import graph_training_urls, training_urls

api_urls = [
    path("auth/", include(auth_urls)),
    path("teams/", include(team_urls)),
    path("graphs/", include(graph_urls)),
    path("graphs/", include(graph_run_urls)),
    path("runs/", include(run_urls)),
    path("graphs/", include(graph_training_urls)),
    path("trainings/", include(training_urls)),
    path("datasets/", include(dataset_urls)),
    path("evaluation/", include(evaluation_urls)),
    path("graphs/", include(graph_experiment_urls)),
    path("experiments/", include(experiment_urls)),
    path("graphs/", include(graph_chat_urls)),
    path("chats/", include(chat_urls)),
    path("share/", include(share_urls)),
    path("models/", include(model_urls)),
    path("templates/", include(template_urls)),
    path("node-kinds/", include(node_kind_urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="schema"), name="docs"),
]

urlpatterns = [
    path("api/", include(api_urls)),
    # OpenAI-compatible: clients append /chat/completions and /models to their base URL.
    path("v1/", include("webapp.openai_api.urls")),
    path("admin/", admin.site.urls),
    path("", include("webapp.frontend.urls")),
]

handler404 = "webapp.api.handlers.not_found"
handler500 = "webapp.api.handlers.server_error"
