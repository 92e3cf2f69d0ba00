"""``/v1/models`` and ``/v1/chat/completions`` called by the official ``openai`` client, through
the whole ASGI app, with runs on the session's real Celery workers (fake model backend)."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import httpx
import openai
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth.models import User

from graphs.templates import get_template
from tests.image_files import encoded, png_header_only
from tests.integration.webapp.conftest import finished_run, simple_spec
from webapp.accounts import services as accounts
from webapp.accounts.models import Team
from webapp.accounts.services import token_issue
from webapp.asgi import application
from webapp.graphstore import services as graphstore
from webapp.graphstore.models import Graph
from webapp.runs.models import RunUpload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def api(owner: User) -> AsyncIterator[openai.AsyncOpenAI]:
    """An OpenAI client of the owner, talking to the ASGI app in-process."""
    token = (await sync_to_async(token_issue)(user=owner)).key
    transport = httpx.ASGITransport(app=application)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as http:
        yield openai.AsyncOpenAI(
            api_key=token, base_url="http://localhost/v1", http_client=http, max_retries=0
        )


def _graph(team: Team, owner: User, name: str, spec: dict[str, Any]) -> Graph:
    return graphstore.graph_create(team=team, actor=owner, name=name, spec=spec)


async def test_models_lists_the_callers_graphs_and_qualifies_shared_slugs(
    api: openai.AsyncOpenAI, team: Team, owner: User, outsider: User
) -> None:
    personal = await sync_to_async(lambda: owner.personal_team)()
    first = await sync_to_async(_graph)(team, owner, "Helper", simple_spec())
    second = await sync_to_async(_graph)(personal, owner, "Helper", simple_spec())
    await sync_to_async(_graph)(team, owner, "Summariser", simple_spec())
    others = await sync_to_async(accounts.team_create)(name="Elsewhere", actor=outsider)
    await sync_to_async(_graph)(others, outsider, "Secret", simple_spec())

    listed = [model.id async for model in api.models.list()]

    assert listed == sorted([f"helper@{first.pk}", f"helper@{second.pk}", "summariser"])


async def test_an_openai_client_gets_the_graphs_answer_with_usage(
    workers: dict[str, Any], api: openai.AsyncOpenAI, team: Team, owner: User
) -> None:
    await sync_to_async(_graph)(team, owner, "Helper", simple_spec())

    completion = await api.chat.completions.create(
        model="helper", messages=[{"role": "user", "content": "Name three primary colors."}]
    )

    run = await finished_run(int(completion.id.removeprefix("chatcmpl-")))
    assert run.status == "completed"
    assert run.input == "Name three primary colors."
    assert completion.choices[0].message.content == run.output
    assert run.output == "smollm2-135m-instruct: Name three primary colors."
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage is not None
    assert completion.usage.prompt_tokens > 0
    assert completion.usage.completion_tokens > 0


async def test_a_streamed_completion_carries_the_aggregators_tokens_then_done(
    workers: dict[str, Any], api: openai.AsyncOpenAI, team: Team, owner: User
) -> None:
    spec = get_template("moa-lite").spec()
    await sync_to_async(_graph)(team, owner, "Panel", spec)
    messages: Any = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello!"},
        {"role": "user", "content": "Name three primary colors."},
    ]

    stream = await api.chat.completions.create(
        model="panel", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    chunks = [chunk async for chunk in stream]

    run = await finished_run(int(chunks[0].id.removeprefix("chatcmpl-")))
    assert run.status == "completed"
    assert run.input.endswith("Latest message:\nName three primary colors.")
    assert "User: Hi\nAssistant: Hello!" in run.input
    texts = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta]
    assert len([t for t in texts if t]) > 1  # token by token, not one block
    assert "".join(t or "" for t in texts) == run.output
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].usage is not None
    assert chunks[-1].usage.total_tokens > 0


async def test_errors_come_in_openais_format(
    api: openai.AsyncOpenAI, team: Team, owner: User
) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        await api.chat.completions.create(
            model="no-such-graph", messages=[{"role": "user", "content": "Hi"}]
        )
    assert missing.value.code == "model_not_found"

    with pytest.raises(openai.BadRequestError) as bad:
        await api.chat.completions.create(
            model="helper", messages=[{"role": "assistant", "content": "Hi"}]
        )
    assert bad.value.param == "messages"

    nobody = openai.AsyncOpenAI(
        api_key="wrong", base_url="http://localhost/v1", http_client=api._client, max_retries=0
    )
    with pytest.raises(openai.AuthenticationError) as denied:
        await nobody.models.list()
    assert denied.value.code == "invalid_api_key"


def _data_url(data: bytes, media_type: str) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def _asking_with(*images: str) -> list[Any]:
    parts = [{"type": "image_url", "image_url": {"url": url}} for url in images]
    return [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, *parts]}]


async def test_image_url_parts_with_data_urls_start_the_run_with_those_images(
    workers: dict[str, Any], api: openai.AsyncOpenAI, team: Team, owner: User
) -> None:
    await sync_to_async(_graph)(team, owner, "Helper", simple_spec())
    photo = encoded("JPEG", (1500, 1000))

    raw = await api.chat.completions.with_raw_response.create(
        model="helper", messages=_asking_with(_data_url(photo, "image/jpeg"))
    )

    assert raw.parse().choices[0].message.content
    run = await finished_run(int(raw.headers["X-Octograph-Run"]))
    upload = await RunUpload.objects.aget(run=run)
    assert (bytes(upload.original), upload.width, upload.height) == (photo, 1024, 683)
    started = await run.events.aget(type="run.started")
    assert started.data["input"]["images"] == [upload.working_copy().summary()]


async def test_image_urls_that_are_not_data_urls_or_not_images_are_refused_naming_them(
    api: openai.AsyncOpenAI, team: Team, owner: User
) -> None:
    await sync_to_async(_graph)(team, owner, "Helper", simple_spec())
    huge = _data_url(png_header_only(20000, 20000), "image/png")

    with pytest.raises(openai.BadRequestError) as remote:
        await api.chat.completions.create(
            model="helper", messages=_asking_with("https://example.com/cat.png")
        )
    with pytest.raises(openai.BadRequestError) as too_big:
        await api.chat.completions.create(model="helper", messages=_asking_with(huge))

    assert (remote.value.code, remote.value.param) == (
        "image_url_not_supported",
        "messages[0].content[1]",
    )
    assert remote.value.body["message"] == (
        "image 1 is a https URL; only data URLs (data:image/png;base64,...) are accepted"
    )
    assert (too_big.value.code, too_big.value.param) == ("image_too_many_pixels", "messages")
    assert "image 1 is 20000x20000 pixels" in too_big.value.message
    assert not await RunUpload.objects.aexists()
