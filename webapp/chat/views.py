"""Chat sessions: ``/api/graphs/{id}/chats/`` (list yours, start one) and
``/api/chats/{id}/messages/`` (read, say something). Saying something answers with the run that
answers it: follow that run over ``/ws/runs/{run}/``; the answer appears among the messages once
the run has completed."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.api.errors import error_responses
from webapp.api.serializers import OutputModelSerializer
from webapp.chat import selectors, services
from webapp.chat.models import ChatMessage, ChatSession
from webapp.graphstore.selectors import graph_for
from webapp.runs import uploads
from webapp.runs.serializers import JsonImageField
from webapp.runs.services import MAX_INPUT_CHARS


class ChatOutput(OutputModelSerializer):
    class Meta:
        model = ChatSession
        fields = ("id", "graph", "title", "created_at")


class ChatMessageOutput(OutputModelSerializer):
    class Meta:
        model = ChatMessage
        fields = ("id", "role", "content", "run", "created_at")


class GraphChatListApi(APIView):
    class ChatCreateInput(serializers.Serializer):
        title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses={200: ChatOutput(many=True), **error_responses(404)})
    def get(self, request: Request, graph_id: int) -> Response:
        """Your chat sessions with the graph, newest first."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        chats = selectors.chats_of(graph=graph, user=request.user)[:100]
        return Response(ChatOutput(chats, many=True).data)

    @extend_schema(
        request=ChatCreateInput, responses={201: ChatOutput, **error_responses(400, 404)}
    )
    def post(self, request: Request, graph_id: int) -> Response:
        """Start a chat session with the graph (whoever may run it)."""
        graph = graph_for(user=request.user, graph_id=graph_id)
        data = self.ChatCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        chat = services.chat_create(
            graph=graph, actor=request.user, title=data.validated_data.get("title", "")
        )
        return Response(ChatOutput(chat).data, status=status.HTTP_201_CREATED)


class ChatMessageListApi(APIView):
    class MessageInput(serializers.Serializer):
        content = serializers.CharField(trim_whitespace=False, max_length=MAX_INPUT_CHARS)
        images = serializers.ListField(
            child=JsonImageField(),
            required=False,
            help_text="at most 4 images for this message's run, as in run creation",
        )

    @extend_schema(responses={200: ChatMessageOutput(many=True), **error_responses(404)})
    def get(self, request: Request, chat_id: int) -> Response:
        """The session's messages, oldest first (the latest answer included once its run has
        completed)."""
        chat = selectors.chat_for(user=request.user, chat_id=chat_id)
        services.chat_settle(chat=chat)
        return Response(ChatMessageOutput(selectors.messages_of(chat), many=True).data)

    @extend_schema(
        request=MessageInput,
        responses={201: ChatMessageOutput, **error_responses(400, 404, 409, 503)},
    )
    def post(self, request: Request, chat_id: int) -> Response:
        """Say something: stores the message and starts the run that answers it (``run``; the
        message's ``images`` go with that run, see ``GET /api/runs/{id}/``). 503
        (``queue_unavailable``, with ``Retry-After``) when the task queue cannot be reached:
        the message is kept with its run marked failed, so it may simply be said again."""
        chat = selectors.chat_for(user=request.user, chat_id=chat_id)
        data = self.MessageInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.chat_say(
            chat=chat,
            actor=request.user,
            content=data.validated_data["content"],
            images=uploads.from_json(data.validated_data.get("images", [])),
        )
        return Response(ChatMessageOutput(message).data, status=status.HTTP_201_CREATED)
