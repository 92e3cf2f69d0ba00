"""The API's exception handler on errors that no view raises on purpose."""

from __future__ import annotations

from django.db import OperationalError

from webapp.api.errors import exception_handler


def test_a_locked_database_is_a_503_to_retry_not_a_500() -> None:
    response = exception_handler(OperationalError("database is locked"), {})

    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.data["code"] == "database_busy"


def test_other_database_errors_stay_unexpected() -> None:
    assert exception_handler(OperationalError("no such table: x"), {}) is None
