"""Sign-up, CSRF-checked session login for the browser, API tokens for other clients."""

from __future__ import annotations

from django.contrib.auth.models import User
from rest_framework.response import Response
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import PASSWORD


def sign_up(**fields: str) -> Response:
    """``POST /api/auth/signup/`` as JSON, anonymously: user "sam" with ``PASSWORD`` unless
    ``fields`` say otherwise."""
    return APIClient().post(
        "/api/auth/signup/", {"username": "sam", "password": PASSWORD, **fields}, format="json"
    )


def test_signup_creates_the_user_and_a_personal_team_they_own(db: None) -> None:
    response = sign_up()
    assert response.status_code == 201
    user = User.objects.get(username="sam")
    assert user.check_password(PASSWORD)
    client = APIClient()
    client.force_authenticate(user)
    teams = client.get("/api/auth/me/").json()["teams"]
    assert [(t["name"], t["personal"], t["role"]) for t in teams] == [
        ("sam (personal)", True, "owner")
    ]


def test_signup_with_a_blank_email_means_no_email(db: None) -> None:
    # The sign-up form sends "Email (optional)" as "" when it is left blank.
    response = sign_up(email="")
    assert response.status_code == 201, response.json()
    assert response.json()["email"] == ""
    assert User.objects.get(username="sam").email == ""


def test_signup_keeps_a_given_email(db: None) -> None:
    response = sign_up(email="sam@example.com")
    assert response.status_code == 201
    assert User.objects.get(username="sam").email == "sam@example.com"


def test_signup_with_a_malformed_email_is_refused_naming_the_field(db: None) -> None:
    response = sign_up(email="not-an-address")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert list(response.json()["fields"]) == ["email"]
    assert not User.objects.filter(username="sam").exists()


def test_signup_with_a_taken_username_is_409(owner: User) -> None:
    response = APIClient().post(
        "/api/auth/signup/", {"username": owner.username.upper(), "password": PASSWORD}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "username_taken"


def test_signup_with_a_weak_password_lists_why(db: None) -> None:
    response = APIClient().post("/api/auth/signup/", {"username": "sam", "password": "123"})
    assert response.status_code == 400
    assert response.json()["code"] == "weak_password"
    assert len(response.json()["problems"]) >= 2


def test_browser_login_needs_the_csrf_token(owner: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    credentials = {"username": owner.username, "password": PASSWORD}
    refused = client.post("/api/auth/login/", credentials, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "csrf_failed"

    token = client.get("/api/auth/csrf/").json()["csrf_token"]
    response = client.post("/api/auth/login/", credentials, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200, response.json()
    assert client.get("/api/auth/me/").json()["username"] == owner.username


def test_session_writes_need_the_csrf_token(owner: User) -> None:
    client = APIClient(enforce_csrf_checks=True)
    token = client.get("/api/auth/csrf/").json()["csrf_token"]
    client.post(
        "/api/auth/login/",
        {"username": owner.username, "password": PASSWORD},
        HTTP_X_CSRFTOKEN=token,
    )
    token = client.cookies["csrftoken"].value  # rotated at login
    assert client.post("/api/teams/", {"name": "T"}).status_code == 403
    assert client.post("/api/teams/", {"name": "T"}, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_login_with_a_wrong_password_is_400(owner: User) -> None:
    response = APIClient().post(
        "/api/auth/login/", {"username": owner.username, "password": "nope"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"


def test_logout_ends_the_session(owner: User) -> None:
    client = APIClient()
    client.post("/api/auth/login/", {"username": owner.username, "password": PASSWORD})
    assert client.post("/api/auth/logout/").status_code == 204
    assert client.get("/api/auth/me/").status_code == 401


def test_api_token_authenticates_until_revoked(owner: User) -> None:
    issued = APIClient().post(
        "/api/auth/token/", {"username": owner.username, "password": PASSWORD}, format="json"
    )
    assert issued.status_code == 200
    client = APIClient(HTTP_AUTHORIZATION=f"Token {issued.json()['token']}")
    assert client.get("/api/auth/me/").json()["username"] == owner.username
    assert client.delete("/api/auth/token/").status_code == 204
    response = client.get("/api/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_unauthenticated_requests_get_401_with_a_token_challenge(db: None) -> None:
    response = APIClient().get("/api/teams/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
