"""Named API tokens: ``GET``/``POST /api/auth/tokens/``, ``DELETE /api/auth/tokens/{id}/``.

A user sees and revokes only their own tokens (another user's id answers 404). The key of a
new token is in the ``POST`` answer and nowhere else, ever. The legacy single token
(``/api/auth/token/``) is separate and keeps working.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts import selectors, services
from webapp.accounts.serializers import ApiTokenOutput, NewApiTokenOutput
from webapp.api.errors import error_responses
from webapp.api.request_input import validated


class ApiTokenInput(serializers.Serializer):
    name = serializers.CharField(max_length=100)


class ApiTokenListApi(APIView):
    @extend_schema(responses=ApiTokenOutput(many=True))
    def get(self, request: Request) -> Response:
        """The requesting user's named API tokens, newest first (never their keys)."""
        return Response(ApiTokenOutput(selectors.api_tokens_of(request.user), many=True).data)

    @extend_schema(
        request=ApiTokenInput, responses={201: NewApiTokenOutput, **error_responses(400, 409)}
    )
    def post(self, request: Request) -> Response:
        """Create a named API token. The answer's ``key`` is shown this once: store it now.
        A name the user already gave a token answers 409 ``token_name_taken``."""
        data = validated(ApiTokenInput, request.data)
        token, key = services.api_token_create(user=request.user, name=data["name"])
        body = NewApiTokenOutput(token, context={"key": key}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ApiTokenDetailApi(APIView):
    @extend_schema(responses={204: None, **error_responses(404)})
    def delete(self, request: Request, token_id: int) -> Response:
        """Revoke one of the requesting user's tokens: clients using it get 401 from now on."""
        services.api_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
