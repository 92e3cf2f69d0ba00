"""A newcomer's first hour, in one browser session: sign up with the email left blank, register a
team endpoint served by a real OpenAI-compatible server (Test connection fails on a bad key,
naming the 401, then works), build a Mixture-of-Agents graph mixing it with SmolLM2 and watch
the run, then create an API token and call the graph with the official ``openai`` client."""

from __future__ import annotations

import re
from collections.abc import Iterator

import openai
import pytest
from canvas import node
from live_stack import MODEL, PASSWORD, LiveStack
from playwright.sync_api import Page, expect
from studio import (
    NewPage,
    Shoot,
    check_connection,
    create_mixed_moa,
    expect_run_status,
    fill_endpoint_form,
    run_query,
)

from tests.openai_compatible_server import OpenAICompatibleServer

pytestmark = pytest.mark.e2e
ENDPOINT_KEY = "sk-journey"
ENDPOINT_MODEL = "llama3.2"
ENDPOINT_REPLY = "Red, yellow and blue, said the endpoint."
QUERY = "Name three primary colors."


@pytest.fixture
def server() -> Iterator[OpenAICompatibleServer]:
    with OpenAICompatibleServer(
        model=ENDPOINT_MODEL, api_key=ENDPOINT_KEY, reply=ENDPOINT_REPLY
    ) as running:
        yield running


def _sign_up(page: Page, stack: LiveStack, username: str) -> None:
    page.goto(f"{stack.url}/signup")
    page.get_by_label("Username").fill(username)
    # "Email (optional)" is left blank.
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def _register_endpoint(page: Page, server: OpenAICompatibleServer) -> None:
    page.get_by_role("navigation", name="User menu").get_by_role("link", name="Models").click()
    form = fill_endpoint_form(
        page, key="ollama", name="Llama on Ollama", base_url=server.base_url, model=ENDPOINT_MODEL
    )
    report = check_connection(form, "sk-typo")
    expect(report).to_contain_text("Connection failed")
    expect(report).to_contain_text("HTTP 401")

    check_connection(form, ENDPOINT_KEY)
    expect(report).to_contain_text("Connection works")
    expect(report).to_contain_text(ENDPOINT_MODEL)
    form.get_by_role("button", name="Save").click()
    expect(form).to_be_hidden()


def _create_mixed_moa(page: Page) -> None:
    page.get_by_role("navigation", name="User menu").get_by_role("link", name="Graphs").click()
    create_mixed_moa(page, "Llama on Ollama")


def _watch_a_run(page: Page, server: OpenAICompatibleServer) -> None:
    run_query(page, QUERY)
    expect_run_status(page, "completed")
    layers = page.get_by_role("region", name="Layers")
    answers = layers.get_by_test_id("layer-answer-preview")
    # One proposer is the endpoint (streamed from the test server), the other SmolLM2 (served by
    # the fake model host, which echoes its model and prompt).
    expect(answers.filter(has_text=ENDPOINT_REPLY)).to_have_count(1)
    expect(answers.filter(has_text=f"{MODEL}:")).not_to_have_count(0)
    streamed = [r for r in server.requests if r["path"].endswith("/chat/completions")]
    assert any(r["body"].get("stream") for r in streamed), server.requests


def _create_token(page: Page) -> str:
    page.get_by_role("link", name="Octograph").click()  # from the editor back to the graphs
    page.get_by_role("navigation", name="User menu").get_by_role("link", name="API tokens").click()
    page.get_by_label("Token name").fill("laptop")
    page.get_by_role("button", name="Create token").click()
    key = page.get_by_label("New token")
    expect(key).to_have_value(re.compile(r"^octo_"))
    return key.input_value()


def test_a_newcomer_reaches_a_useful_answer_from_the_browser_and_from_an_openai_client(
    stack: LiveStack, new_page: NewPage, server: OpenAICompatibleServer, shoot: Shoot
) -> None:
    page = new_page()
    _sign_up(page, stack, "newt")
    _register_endpoint(page, server)
    shoot(page, "97-journey-endpoint-registered")
    _create_mixed_moa(page)
    expect(node(page, "p2-ollama")).to_contain_text("ollama")
    _watch_a_run(page, server)
    shoot(page, "98-journey-mixed-moa-run")
    key = _create_token(page)

    client = openai.OpenAI(api_key=key, base_url=f"{stack.url}/v1", max_retries=0)
    (graph,) = [model.id for model in client.models.list()]
    completion = client.chat.completions.create(
        model=graph, messages=[{"role": "user", "content": QUERY}]
    )
    answer = completion.choices[0].message.content
    assert answer, completion
    chunks = client.chat.completions.create(
        model=graph, messages=[{"role": "user", "content": QUERY}], stream=True
    )
    streamed = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert streamed == answer
