from django.urls import path

from webapp.openai_api import views

urlpatterns = [
    path("models", views.models, name="openai-models"),
    path("chat/completions", views.chat_completions, name="openai-chat-completions"),
]
