"""The Models page: register a team endpoint served by a real OpenAI-compatible server, test its
connection (a wrong key fails naming the 401), save it, and find it in the catalog, in the
inspector's grouped model select and among moa-mixed's proposers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from canvas import node
from live_stack import LiveStack
from playwright.sync_api import expect
from studio import (
    LogIn,
    Shoot,
    check_connection,
    create_mixed_moa,
    fill_endpoint_form,
    open_template,
)

from tests.openai_compatible_server import DEFAULT_REPLY, OpenAICompatibleServer

pytestmark = pytest.mark.e2e

KEY = "sk-e2e-key"
MODEL = "tiny-chat"


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer(model=MODEL, api_key=KEY) as running:
        yield running


def test_an_endpoint_is_tested_registered_and_offered_in_the_inspector(
    new_user: LogIn, shoot: Shoot, server: OpenAICompatibleServer
) -> None:
    page = new_user("mona")
    page.get_by_role("link", name="Models").click()
    expect(page.get_by_role("heading", name="Models", exact=True)).to_be_visible()
    built_in = page.get_by_role("region", name="Built-in")
    expect(built_in.get_by_role("row").filter(has_text="smollm2-135m-instruct")).to_contain_text(
        "served now"
    )

    form = fill_endpoint_form(
        page, key="tiny", name="Tiny chat", base_url=server.base_url, model=MODEL
    )
    result = check_connection(form, "sk-wrong")
    expect(result).to_contain_text("Connection failed")
    expect(result).to_contain_text("HTTP 401")
    expect(result).to_contain_text("Incorrect API key provided.")

    check_connection(form, KEY)
    expect(result).to_contain_text("Connection works")
    expect(result).to_contain_text(f"Models: {MODEL}")
    expect(result).to_contain_text(DEFAULT_REPLY)
    shoot(page, "models-test-connection")
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()

    endpoints = page.get_by_role("region", name="mona (personal) endpoints")
    row = endpoints.get_by_role("row", name="Tiny chat")
    expect(row).to_contain_text(f"{server.base_url} ({MODEL})")
    expect(row).to_contain_text("served now")  # the runs worker consumes the endpoints queue
    shoot(page, "models-page")

    page.get_by_role("link", name="Graphs").click()
    open_template(page, "Mixture-of-Agents, 2 layers")
    node(page, "l1-concise").click()
    select = page.get_by_role("combobox", name="Model", exact=True)
    expect(select.locator('optgroup[label="Built-in"] option').first).to_be_attached()
    team_group = select.locator('optgroup[label="mona (personal) endpoints"] option')
    expect(team_group).to_have_text(["Tiny chat"])
    select.select_option("tiny")
    expect(select).to_have_value("tiny")


def test_moa_mixed_offers_the_teams_endpoints_as_proposers(
    stack: LiveStack, log_in: LogIn, server: OpenAICompatibleServer
) -> None:
    client = stack.signup("nico")
    team = stack.personal_team(client)
    body = {"team": team, "key": "tiny", "display_name": "Tiny chat"}
    body |= {"base_url": server.base_url, "model_name": MODEL, "api_key": KEY}
    client.post("/api/models/endpoints/", json=body).raise_for_status()
    page = log_in("nico")
    create_mixed_moa(page, "Tiny chat")
    node(page, "p2-tiny").click()
    expect(page.get_by_role("combobox", name="Model", exact=True)).to_have_value("tiny")
