"""API tokens made in the studio: a user creates a named token on the API tokens page, sees its
key once, uses it with the official ``openai`` client, sees its last use after a reload, and
revokes it, after which the client is refused."""

from __future__ import annotations

import re

import openai
import pytest
from live_stack import LiveStack
from playwright.sync_api import expect
from studio import LogIn, Shoot

pytestmark = pytest.mark.e2e


def test_a_token_made_in_the_studio_serves_an_openai_client_until_it_is_revoked(
    stack: LiveStack, new_user: LogIn, shoot: Shoot
) -> None:
    page = new_user("tomas")
    page.get_by_role("navigation", name="User menu").get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    expect(page.get_by_text("No API tokens yet.")).to_be_visible()

    page.get_by_label("Token name").fill("notebook")
    page.get_by_role("button", name="Create token").click()
    new_token = page.get_by_label("New token")
    expect(new_token).to_have_value(re.compile(r"^octo_[0-9a-f]{40}$"))
    key = new_token.input_value()
    row = page.get_by_role("row").filter(has_text="notebook")
    expect(row).to_contain_text(key[:13])
    expect(row).to_contain_text("never")
    expect(page.get_by_role("table", name="API tokens")).not_to_contain_text(key)
    shoot(page, "95-api-token-created")

    client = openai.OpenAI(api_key=key, base_url=f"{stack.url}/v1", max_retries=0)
    assert list(client.models.list()) == []  # a new user has no graphs yet

    page.reload()
    expect(row).to_contain_text("within the last minute")
    expect(page.get_by_label("New token")).to_have_count(0)  # the key was shown once
    shoot(page, "96-api-token-used")

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke notebook").click()
    expect(page.get_by_text("No API tokens yet.")).to_be_visible()
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
