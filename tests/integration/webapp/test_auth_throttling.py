"""Failed logins (session and API token) and sign-ups are throttled per username and per client
address: past the limit, 429 with Retry-After, until the window has passed."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpRequest
from rest_framework.response import Response
from rest_framework.test import APIClient

from tests.integration.webapp.conftest import PASSWORD
from webapp import settings as shipped_settings
from webapp.accounts.throttles import client_address

WINDOW_S = 900


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def own_cache(request: pytest.FixtureRequest, settings: Any, redis_test_url: str | None) -> None:
    """A private cache per test, in memory and in the session's Redis database (as in
    production), under a fresh name or key prefix: counters never leak between tests, and
    nothing shared is touched."""
    name = f"throttle-test-{uuid.uuid4()}"
    if request.param == "locmem":
        cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": name}
    elif redis_test_url is None:
        pytest.skip("no Redis (`make redis`)")
    else:
        backend = "django.core.cache.backends.redis.RedisCache"
        cache = {"BACKEND": backend, "LOCATION": redis_test_url, "KEY_PREFIX": name}
    settings.CACHES = {"default": cache}


@pytest.fixture
def limits(settings: Any) -> dict[str, dict[str, int]]:
    """Small limits, so that tests reach them in a few requests."""
    settings.AUTH_THROTTLE = {
        "login": {"account": 3, "address": 5, "window_s": WINDOW_S},
        "signup": {"account": 2, "address": 3, "window_s": WINDOW_S},
    }
    return settings.AUTH_THROTTLE  # type: ignore[no-any-return]


def client(address: str = "203.0.113.7") -> APIClient:
    return APIClient(REMOTE_ADDR=address)


def log_in(username: str, password: str, *, address: str = "203.0.113.7") -> Response:
    return client(address).post(
        "/api/auth/login/", {"username": username, "password": password}, format="json"
    )


def get_token(username: str, password: str, *, address: str = "203.0.113.7") -> Response:
    return client(address).post(
        "/api/auth/token/", {"username": username, "password": password}, format="json"
    )


def assert_throttled(response: Response, *, window_s: int = WINDOW_S) -> None:
    assert response.status_code == 429, response.content
    assert 1 <= int(response["Retry-After"]) <= window_s
    body = response.json()
    assert body["code"] == "throttled"
    assert re.search(rf"Try again in {response['Retry-After']} seconds?\.$", body["message"])


@pytest.mark.usefixtures("limits")
def test_hammering_wrong_passwords_gets_429_with_retry_after(owner: User) -> None:
    for _ in range(3):
        response = log_in(owner.username, "wrong")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_credentials"
    refused = log_in(owner.username, "wrong")
    assert_throttled(refused)
    assert "failed logins of this username" in refused.json()["message"]
    # Locked means locked: the right password does not get through either, nor does the API
    # token exchange, which shares the counter.
    assert_throttled(log_in(owner.username, PASSWORD))
    assert_throttled(get_token(owner.username, PASSWORD))


@pytest.mark.usefixtures("limits")
def test_api_token_and_session_login_share_one_counter(owner: User) -> None:
    assert get_token(owner.username, "wrong").status_code == 400
    assert log_in(owner.username, "wrong").status_code == 400
    assert get_token(owner.username, "wrong").status_code == 400
    assert_throttled(get_token(owner.username, PASSWORD))


@pytest.mark.usefixtures("limits")
def test_an_unknown_username_is_throttled_like_a_real_one(db: None) -> None:
    for _ in range(3):
        assert log_in("nobody", "wrong").status_code == 400
    assert_throttled(log_in("nobody", "wrong"))
    assert_throttled(log_in("NoBody", "wrong"))  # case changes do not buy more guesses


@pytest.mark.usefixtures("limits")
def test_a_locked_account_leaves_other_accounts_and_addresses_alone(
    owner: User, editor: User
) -> None:
    for _ in range(3):
        log_in(owner.username, "wrong", address="198.51.100.1")
    assert_throttled(log_in(owner.username, PASSWORD, address="198.51.100.1"))
    # Another account, from the attacker's address and from elsewhere: unaffected.
    assert log_in(editor.username, PASSWORD, address="198.51.100.1").status_code == 200
    assert get_token(editor.username, PASSWORD, address="192.0.2.9").status_code == 200
    # The locked account itself is locked from everywhere (that is what stops a botnet).
    assert_throttled(log_in(owner.username, PASSWORD, address="192.0.2.9"))


@pytest.mark.usefixtures("limits")
def test_an_address_guessing_at_many_accounts_is_throttled_alone(owner: User, editor: User) -> None:
    for name in ["a", "b", "c", "d", "e"]:  # one guess each: no account reaches its limit
        assert log_in(name, "wrong", address="198.51.100.1").status_code == 400
    refused = log_in(owner.username, PASSWORD, address="198.51.100.1")
    assert_throttled(refused)
    assert "failed logins from here" in refused.json()["message"]
    # The same accounts from another address are fine.
    assert log_in(owner.username, PASSWORD, address="192.0.2.9").status_code == 200
    assert log_in(editor.username, PASSWORD, address="192.0.2.10").status_code == 200


@pytest.mark.usefixtures("limits")
def test_a_successful_login_resets_the_accounts_counter(owner: User) -> None:
    for _ in range(2):
        assert log_in(owner.username, "wrong").status_code == 400
    assert log_in(owner.username, PASSWORD, address="192.0.2.9").status_code == 200
    for _ in range(2):  # 4 failures in the window, but only 2 since the success
        assert log_in(owner.username, "wrong").status_code == 400
    assert log_in(owner.username, PASSWORD).status_code == 200


@pytest.mark.usefixtures("limits")
def test_a_malformed_request_is_not_a_guess(owner: User) -> None:
    for _ in range(5):
        response = client().post("/api/auth/login/", {"username": owner.username}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_input"
    assert log_in(owner.username, PASSWORD).status_code == 200


def test_the_lock_lifts_once_the_window_has_passed(owner: User, settings: Any) -> None:
    settings.AUTH_THROTTLE = {
        "login": {"account": 2, "address": 50, "window_s": 1},
        "signup": {"account": 2, "address": 2, "window_s": 1},
    }
    for _ in range(2):
        assert log_in(owner.username, "wrong").status_code == 400
    assert_throttled(log_in(owner.username, PASSWORD), window_s=1)
    time.sleep(1.2)
    assert log_in(owner.username, "wrong").status_code == 400  # a fresh window
    assert log_in(owner.username, PASSWORD).status_code == 200


def signup(username: str, *, address: str = "203.0.113.7", password: str = PASSWORD) -> Response:
    return client(address).post(
        "/api/auth/signup/", {"username": username, "password": password}, format="json"
    )


@pytest.mark.usefixtures("limits")
def test_signups_from_one_address_are_throttled(db: None) -> None:
    assert signup("sam1").status_code == 201
    assert signup("sam2", password="123").status_code == 400  # refused attempts count too
    assert signup("sam3").status_code == 201
    refused = signup("sam4")
    assert_throttled(refused)
    assert "sign-ups from here" in refused.json()["message"]
    assert not User.objects.filter(username="sam4").exists()
    assert signup("sam4", address="192.0.2.9").status_code == 201


@pytest.mark.usefixtures("limits")
def test_signups_probing_one_username_are_throttled(owner: User) -> None:
    assert signup(owner.username, address="192.0.2.1").status_code == 409
    assert signup(owner.username, address="192.0.2.2").status_code == 409
    refused = signup(owner.username, address="192.0.2.3")
    assert_throttled(refused)
    assert "sign-ups with this username" in refused.json()["message"]


def test_the_configured_limit_is_the_number_of_failures_allowed(owner: User) -> None:
    """With the settings' own limits (10 per username by default), not the tests' small ones."""
    allowed = shipped_settings.AUTH_THROTTLE["login"]["account"]
    for _ in range(allowed):
        assert get_token(owner.username, "wrong").status_code == 400
    assert_throttled(get_token(owner.username, "wrong"), window_s=900 * 100)


@pytest.mark.parametrize(
    ("remote", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("", "unknown"),
    ],
)
def test_client_addresses_are_counted_by_ipv4_address_or_ipv6_64(
    remote: str, counted_as: str
) -> None:
    request = HttpRequest()
    request.META["REMOTE_ADDR"] = remote
    assert client_address(request) == counted_as


@pytest.mark.usefixtures("limits")
def test_an_unreachable_cache_lets_logins_through(owner: User, settings: Any) -> None:
    # A cache whose server refuses connections: a Redis blip, as the throttles see it.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    assert log_in(owner.username, "wrong").status_code == 400
    assert log_in(owner.username, PASSWORD).status_code == 200
