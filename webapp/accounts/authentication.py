"""DRF authentication by API key (``webapp.accounts.tokens``), and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from webapp.accounts.tokens import key_from_authorization, user_for_key


class ApiKeyAuthentication(BaseAuthentication):
    """``Authorization: Token <key>`` or ``Bearer <key>``, the key a named token's or the legacy
    one's. Without such a header it leaves the request to the next class; with a key that belongs
    to no active user it raises ``AuthenticationFailed`` (401, challenge ``Token``)."""

    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[User, None] | None:
        key = key_from_authorization(get_authorization_header(request).decode("latin1"))
        if key is None:
            return None
        user = user_for_key(key)
        if user is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return user, None

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The schema's ``tokenAuth`` security scheme (the name DRF's own token class had)."""

    target_class = ApiKeyAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "An API token (user menu → API tokens), sent as "
            '"Token <key>" or "Bearer <key>"',
        }
