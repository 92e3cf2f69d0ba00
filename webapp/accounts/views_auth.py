"""Sign-up, session login/logout for the browser, API tokens for other clients, and "me".

The browser flow: ``GET /api/auth/csrf/`` sets the CSRF cookie, then ``POST /api/auth/login/``
with the ``X-CSRFToken`` header (form or JSON body) opens a session. Login checks CSRF even
though no one is logged in yet, so that another site cannot log a visitor into its own account.
API clients send ``Authorization: Token <key>`` with a named token made in the studio
(``/api/auth/tokens/``, ``views_tokens``) or the legacy one of ``POST /api/auth/token/``.

Failed logins (both endpoints) and sign-ups are throttled per username and per client address
(``webapp.accounts.throttles``): past the limits they answer 429 with ``Retry-After``.
"""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from webapp.accounts import services, throttles
from webapp.accounts.serializers import MeOutput, UserOutput
from webapp.api.errors import error_responses
from webapp.api.request_input import validated
from webapp.errors import Forbidden, Invalid


class CredentialsInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


def _authenticate(request: Request) -> object:
    """The user with these credentials. Raises ``Invalid`` (``invalid_credentials``), counted
    as a failed login, or ``Throttled`` while the username or the address is locked."""
    data = validated(CredentialsInput, request.data)
    username = data["username"]
    address = throttles.client_address(request._request)
    throttles.check("login", username=username, address=address)
    user = authenticate(request._request, **data)
    if user is None:
        throttles.record("login", username=username, address=address)
        raise Invalid("wrong username or password", code="invalid_credentials")
    throttles.forget_account("login", username=username)
    return user


def _enforce_csrf(request: Request) -> None:
    try:
        SessionAuthentication().enforce_csrf(request)
    except exceptions.PermissionDenied as exc:
        raise Forbidden(
            f"{exc.detail}. Fetch /api/auth/csrf/ and send its token in X-CSRFToken.",
            code="csrf_failed",
        ) from None


class CsrfApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()})
    )
    def get(self, request: Request) -> Response:
        """Set the CSRF cookie and return its token, for the browser's login form."""
        return Response({"csrf_token": get_token(request._request)})


class SignupApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    class SignupInput(serializers.Serializer):
        username = serializers.CharField(max_length=150, validators=[UnicodeUsernameValidator()])
        password = serializers.CharField(max_length=128, trim_whitespace=False)
        # The form's "Email (optional)" sends "" when left blank: that means no email (stored
        # as "", Django's own "none"); anything non-blank must still be a valid address.
        email = serializers.EmailField(required=False, allow_blank=True, default="")

    @extend_schema(
        request=SignupInput,
        responses={201: UserOutput, **error_responses(400, 409, 429)},
    )
    def post(self, request: Request) -> Response:
        """Create an account and its personal team. Log in afterwards to get a session."""
        # Every attempt counts, refused ones included: probing for free usernames or weak
        # passwords is as much a flood as creating accounts.
        username = request.data.get("username") if hasattr(request.data, "get") else None
        username = username if isinstance(username, str) else None
        address = throttles.client_address(request._request)
        throttles.check("signup", username=username, address=address)
        throttles.record("signup", username=username, address=address)
        data = validated(self.SignupInput, request.data)
        user = services.user_signup(**data)
        return Response(UserOutput(user).data, status=status.HTTP_201_CREATED)


class LoginApi(APIView):
    permission_classes = (AllowAny,)
    authentication_classes = ()

    @extend_schema(
        request=CredentialsInput, responses={200: UserOutput, **error_responses(400, 429)}
    )
    def post(self, request: Request) -> Response:
        """Open a browser session (CSRF-checked; see the module docstring)."""
        _enforce_csrf(request)
        user = _authenticate(request)
        login(request._request, user)
        return Response(UserOutput(user).data)


class LogoutApi(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """End the browser session (API tokens stay valid; DELETE /api/auth/token/ revokes)."""
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenApi(APIView):
    def get_permissions(self) -> list[object]:
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=CredentialsInput,
        responses={
            200: inline_serializer("ApiToken", {"token": serializers.CharField()}),
            **error_responses(400, 429),
        },
    )
    def post(self, request: Request) -> Response:
        """Exchange a username and password for the user's API token."""
        token = services.token_issue(user=_authenticate(request))
        return Response({"token": token.key})

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        """Revoke the requesting user's API token."""
        services.token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    @extend_schema(responses=MeOutput)
    def get(self, request: Request) -> Response:
        """The requesting user and their teams with roles."""
        return Response(MeOutput(request.user).data)
