"""Runs with images through the REST API: multipart and base64 JSON, every refusal naming the
image and the problem, the originals stored and served, working copies in the run's input."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from graphs.nodes.base import RunInput
from tests.image_files import encoded, png_header_only
from webapp.graphstore.models import Graph
from webapp.runs import driver, services
from webapp.runs.models import Run, RunUpload
from webapp.runs.uploads import ImageUpload

PNG = encoded("PNG", (1600, 800), color=(200, 30, 40))
JPEG = encoded("JPEG", (300, 200))
GIF = encoded("GIF", (40, 30))


def runs_url(graph: Graph) -> str:
    return f"/api/graphs/{graph.pk}/runs/"


def file(name: str, data: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_multipart_images_are_stored_with_the_run_and_summarised_in_its_detail(
    as_viewer: APIClient, graph: Graph
) -> None:
    response = as_viewer.post(
        runs_url(graph),
        {
            "input": "What is in these pictures?",
            "images": [file("red.png", PNG, "image/png"), file("blue.jpg", JPEG, "image/jpeg")],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    images = response.json()["images"]
    assert [(i["number"], i["name"], i["original_type"]) for i in images] == [
        (1, "red.png", "image/png"),
        (2, "blue.jpg", "image/jpeg"),
    ]
    assert (images[0]["media_type"], images[0]["width"], images[0]["height"]) == (
        "image/jpeg",
        1024,
        512,
    )
    assert images[0]["original_bytes"] == len(PNG)
    assert images[0]["url"] == f"/api/runs/{response.json()['id']}/images/1/"
    stored = RunUpload.objects.get(run_id=response.json()["id"], number=1)
    assert bytes(stored.original) == PNG
    assert images[0]["sha256"] == stored.working_copy().sha256


def test_a_file_of_unknown_type_is_judged_by_its_content(
    as_viewer: APIClient, graph: Graph
) -> None:
    response = as_viewer.post(
        runs_url(graph),
        {"input": "Look.", "images": [file("photo", JPEG, "application/octet-stream")]},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["images"][0]["original_type"] == "image/jpeg"


@pytest.mark.parametrize(
    "item",
    [
        {"data": b64(GIF), "media_type": "image/gif", "name": "dot.gif"},
        {"data": b64(GIF), "name": "dot.gif"},
        {"data": f"data:image/gif;base64,{b64(GIF)}", "name": "dot.gif"},
        f"data:image/gif;base64,{b64(GIF)}",
    ],
    ids=["base64 with type", "base64", "data URL in an object", "data URL"],
)
def test_json_images_are_accepted_as_base64_or_data_urls(
    as_viewer: APIClient, graph: Graph, item: Any
) -> None:
    response = as_viewer.post(
        runs_url(graph), {"input": "Describe it.", "images": [item]}, format="json"
    )

    assert response.status_code == 201, response.content
    (image,) = response.json()["images"]
    assert (image["original_type"], image["width"], image["height"]) == ("image/gif", 40, 30)
    assert image["name"] == ("" if isinstance(item, str) else "dot.gif")


def test_the_working_copies_are_the_runs_input_and_the_trace_shows_their_summaries(
    graph: Graph, owner: Any
) -> None:
    run = services.run_create(
        graph=graph,
        actor=owner,
        text="Look.",
        images=services.images_check([ImageUpload(PNG, "image/png", "red.png")]),
    )

    driver.run_start(run_id=run.pk)

    run.refresh_from_db()
    assert run.state is not None
    run_input = RunInput.from_json(run.state["run_input"])
    (working,) = run_input.images
    assert (working.media_type, working.width, working.height) == ("image/jpeg", 1024, 512)
    started = run.events.get(type="run.started")
    assert started.data["input"] == {"text": "Look.", "images": [working.summary()]}


def error_of(response: Any) -> tuple[int, str, Any, str]:
    body = response.json()
    return response.status_code, body["code"], body.get("image"), body["message"]


@pytest.mark.parametrize(
    ("upload", "code", "message"),
    [
        (
            file("notes.txt", b"just some text", "text/plain"),
            "not_an_image",
            "image 2 (notes.txt) is not a PNG, JPEG, WebP or GIF image",
        ),
        (
            file("cut.png", PNG[: len(PNG) // 2], "image/png"),
            "corrupt_image",
            "image 2 (cut.png) could not be decoded (truncated or corrupt PNG)",
        ),
        (
            file("photo.png", JPEG, "image/png"),
            "image_type_mismatch",
            "image 2 (photo.png) is declared as image/png but its content is JPEG",
        ),
        (
            file("photo.bmp", JPEG, "image/bmp"),
            "unsupported_image_type",
            "image 2 (photo.bmp) is declared as image/bmp; accepted types are image/png,",
        ),
        (
            file("huge.png", png_header_only(20000, 20000), "image/png"),
            "image_too_many_pixels",
            "image 2 (huge.png) is 20000x20000 pixels (400.0 megapixels); the limit is 50.0",
        ),
        (
            file("empty.png", b"", "image/png"),
            "not_an_image",
            "image 2 (empty.png) is empty",
        ),
    ],
    ids=["not an image", "truncated", "wrong type", "unsupported type", "too many pixels", "empty"],
)
def test_a_bad_multipart_image_is_refused_naming_it_and_nothing_is_stored(
    as_viewer: APIClient, graph: Graph, upload: SimpleUploadedFile, code: str, message: str
) -> None:
    response = as_viewer.post(
        runs_url(graph),
        {"input": "Look.", "images": [file("fine.gif", GIF, "image/gif"), upload]},
        format="multipart",
    )

    status, got_code, number, got_message = error_of(response)
    assert (status, got_code, number) == (400, code, 2), response.content
    assert got_message.startswith(message)
    assert not Run.objects.exists()
    assert not RunUpload.objects.exists()


def test_an_upload_over_the_byte_limit_is_refused_with_both_sizes(
    as_viewer: APIClient, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTOGRAPH_IMAGE_MAX_BYTES", "20000")
    big = encoded("PNG", (200, 200), noise=True)

    multipart = as_viewer.post(
        runs_url(graph),
        {"input": "Look.", "images": [file("big.png", big, "image/png")]},
        format="multipart",
    )
    as_json = as_viewer.post(
        runs_url(graph),
        {"input": "Look.", "images": [{"data": b64(big), "name": "big.png"}]},
        format="json",
    )

    expected = (400, "image_too_large", 1, "image 1 (big.png) is 0.1 MB; the limit is 0.0 MB")
    assert error_of(multipart) == expected
    assert error_of(as_json) == expected


@pytest.mark.parametrize(
    ("images", "code", "number", "message"),
    [
        (
            [{"data": "not base64!"}],
            "invalid_image_data",
            1,
            "image 1: the data is not valid base64",
        ),
        (
            ["https://example.com/cat.png"],
            "image_url_not_supported",
            1,
            "image 1 is a https URL; only data URLs (data:image/png;base64,...) are accepted",
        ),
        (
            [f"data:image/gif,{b64(GIF)}"],
            "invalid_image_data",
            1,
            "image 1 is a data URL without ';base64,': only base64 data URLs are accepted",
        ),
        (
            [{"data": f"data:image/gif;base64,{b64(GIF)}", "media_type": "image/png"}],
            "image_type_mismatch",
            1,
            "image 1 has media_type image/png but its data URL says image/gif",
        ),
        (
            [{"data": b64(GIF), "media_type": "image/png", "name": "x.png"}],
            "image_type_mismatch",
            1,
            "image 1 (x.png) is declared as image/png but its content is GIF",
        ),
        (
            [f"data:image/gif;base64,{b64(GIF)}"] * 5,
            "too_many_images",
            None,
            "a run takes at most 4 images, got 5",
        ),
    ],
    ids=["bad base64", "http URL", "data URL without base64", "types disagree", "wrong type", "5"],
)
def test_a_bad_json_image_is_refused_naming_it(
    as_viewer: APIClient, graph: Graph, images: list[Any], code: str, number: Any, message: str
) -> None:
    response = as_viewer.post(runs_url(graph), {"input": "Look.", "images": images}, format="json")

    assert error_of(response) == (400, code, number, message)
    assert not Run.objects.exists()


@pytest.mark.parametrize("item", [42, {"media_type": "image/png"}, {"data": "x", "size": 3}])
def test_a_json_image_of_the_wrong_shape_is_an_invalid_input(
    as_viewer: APIClient, graph: Graph, item: Any
) -> None:
    response = as_viewer.post(runs_url(graph), {"input": "Look.", "images": [item]}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"
    assert "images" in response.json()["fields"]


def test_a_big_json_image_fits_in_a_request(as_viewer: APIClient, graph: Graph) -> None:
    big = encoded("PNG", (1200, 900), noise=True)  # 3.2 MB: over Django's 2.5 MB default
    assert len(big) > 2_621_440

    response = as_viewer.post(
        runs_url(graph), {"input": "Look.", "images": [{"data": b64(big)}]}, format="json"
    )

    assert response.status_code == 201, response.content


def test_the_original_is_served_to_readers_of_the_run(
    as_viewer: APIClient, as_outsider: APIClient, graph: Graph, owner: Any
) -> None:
    run = services.run_create(
        graph=graph,
        actor=owner,
        text="Look.",
        images=services.images_check([ImageUpload(PNG, None, 'red "1".png')]),
    )

    response = as_viewer.get(f"/api/runs/{run.pk}/images/1/")
    missing = as_viewer.get(f"/api/runs/{run.pk}/images/2/")
    hidden = as_outsider.get(f"/api/runs/{run.pk}/images/1/")

    assert response.status_code == 200
    assert (response["Content-Type"], response.content) == ("image/png", PNG)
    assert response["Content-Disposition"] == 'inline; filename="red \\"1\\".png"'
    assert (missing.status_code, missing.json()["message"]) == (404, f"run {run.pk} has no image 2")
    assert (hidden.status_code, hidden.json()["code"]) == (404, "not_found")


def test_the_image_limits_are_published(
    as_viewer: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OCTOGRAPH_IMAGE_MAX_BYTES", "5000000")

    response = as_viewer.get("/api/runs/image-limits/")

    assert response.json() == {
        "max_images": 4,
        "media_types": ["image/png", "image/jpeg", "image/webp", "image/gif"],
        "max_bytes": 5_000_000,
        "max_pixels": 50_000_000,
    }


def test_a_json_body_over_the_request_limit_is_refused_in_the_error_format(
    as_viewer: APIClient, graph: Graph, settings: Any
) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = as_viewer.post(
        runs_url(graph), {"input": "Look.", "images": [{"data": b64(PNG)}]}, format="json"
    )

    assert response.status_code == 413
    assert response.json() == {
        "code": "request_too_large",
        "message": "the request body is larger than 1000 bytes (send images as multipart files)",
    }
