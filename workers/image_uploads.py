"""Images as clients send them in JSON, before validation: base64 objects and data URLs.

Each becomes an ``ImageUpload`` (bytes, the declared MIME type, the client's file name), which
``workers.images.load_run_image`` then validates. Shared by the web API (``webapp.runs.uploads``,
which turns ``ImageError`` into API errors) and the command line (dataset rows with images).
Errors are ``ImageError`` with a stable ``code`` and a message that starts with the image's
label (``"image 2 (cat.png)"``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass

from workers.images import ImageError

MAX_NAME_CHARS = 255


@dataclass(frozen=True)
class ImageUpload:
    """An image as the client sent it; ``declared_type`` is None when it gave no type, ``name``
    is its file name (``clean_name``) or empty."""

    data: bytes
    declared_type: str | None
    name: str = ""


def clean_name(name: str) -> str:
    """A client's file name without folders or unprintable characters, at most 255 characters:
    it goes into messages and ``Content-Disposition`` headers."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(char for char in base if char.isprintable()).strip()[:MAX_NAME_CHARS]


def label(number: int, name: str = "") -> str:
    """How messages name an image: ``"image 2 (cat.png)"``, or ``"image 2"`` without a name."""
    return f"image {number} ({name})" if name else f"image {number}"


def from_json_item(item: str | Mapping[str, str], number: int) -> ImageUpload:
    """Image ``number`` (from 1) of a JSON list: a data URL, or ``{"data": base64 or a data URL,
    "media_type"?: ..., "name"?: ...}`` (a ``media_type`` must agree with a data URL's)."""
    if isinstance(item, str):
        return from_data_url(item, number)
    name = clean_name(item.get("name", ""))
    declared = item.get("media_type") or None
    data = item["data"]
    if data[:5].lower() != "data:":
        return ImageUpload(_base64(data, number, name), declared, name)
    upload = from_data_url(data, number, name)
    if declared is not None and upload.declared_type not in (None, declared.lower()):
        raise ImageError(
            f"{label(number, name)} has media_type {declared} but its data URL says "
            f"{upload.declared_type}",
            code="image_type_mismatch",
        )
    return ImageUpload(upload.data, declared or upload.declared_type, name)


def from_data_url(url: str, number: int, name: str = "") -> ImageUpload:
    """``data:[<media type>][;parameters];base64,<data>``. Other URLs (``http:``, ``https:``,
    ``file:``) are refused: images are sent, never fetched."""
    if url[:5].lower() != "data:":
        scheme = url.split(":", 1)[0][:20] if ":" in url else "no scheme"
        raise ImageError(
            f"{label(number, name)} is a {scheme} URL; only data URLs "
            "(data:image/png;base64,...) are accepted",
            code="image_url_not_supported",
        )
    header, comma, payload = url[5:].partition(",")
    parameters = [part.strip().lower() for part in header.split(";")]
    if not comma or "base64" not in parameters[1:]:
        raise ImageError(
            f"{label(number, name)} is a data URL without ';base64,': only base64 data URLs "
            "are accepted",
            code="invalid_image_data",
        )
    return ImageUpload(_base64(payload, number, name), parameters[0] or None, name)


def _base64(text: str, number: int, name: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise ImageError(
            f"{label(number, name)}: the data is not valid base64", code="invalid_image_data"
        ) from None
