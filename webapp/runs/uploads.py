"""Images as requests carry them, before validation: multipart files, base64 JSON and data URLs.

Each becomes an ``ImageUpload`` (bytes, the declared MIME type, the client's file name); the runs
service validates it with ``workers.images.load_run_image``. Errors are ``Invalid`` with the
image's ``code``, ``field="images"`` and ``image`` (its number, from 1), and a message that
starts with the image's label (``"image 2 (cat.png)"``).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile

from webapp.errors import Invalid
from workers.images import ImageError, ImageLimits, check_size

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


def invalid(number: int, message: str, code: str) -> Invalid:
    """The API error about image ``number`` (from 1)."""
    return Invalid(message, code=code, field="images", image=number)


def from_files(files: Iterable[UploadedFile], limits: ImageLimits) -> list[ImageUpload]:
    """Multipart uploads, in order. A file over the byte limit is refused before it is read."""
    uploads = []
    for number, file in enumerate(files, start=1):
        name = clean_name(file.name or "")
        try:
            check_size(file.size or 0, limits, label=label(number, name))
        except ImageError as error:
            raise invalid(number, error.message, error.code) from None
        declared = file.content_type or None
        # What clients send for a file whose type they do not know: no declaration at all.
        if declared == "application/octet-stream":
            declared = None
        uploads.append(ImageUpload(file.read(), declared, name))
    return uploads


def from_json(items: Iterable[str | Mapping[str, str]]) -> list[ImageUpload]:
    """JSON images, in order: each a data URL, or ``{"data": base64 or a data URL,
    "media_type"?: ..., "name"?: ...}`` (a ``media_type`` must agree with a data URL's)."""
    uploads = []
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            uploads.append(from_data_url(item, number))
            continue
        name = clean_name(item.get("name", ""))
        declared = item.get("media_type") or None
        data = item["data"]
        if data[:5].lower() == "data:":
            upload = from_data_url(data, number, name)
            if declared is not None and upload.declared_type not in (None, declared.lower()):
                raise invalid(
                    number,
                    f"{label(number, name)} has media_type {declared} but its data URL says "
                    f"{upload.declared_type}",
                    "image_type_mismatch",
                )
            uploads.append(ImageUpload(upload.data, declared or upload.declared_type, name))
        else:
            uploads.append(ImageUpload(_base64(data, number, name), declared, name))
    return uploads


def from_data_url(url: str, number: int, name: str = "") -> ImageUpload:
    """``data:[<media type>][;parameters];base64,<data>``. Other URLs (``http:``, ``https:``,
    ``file:``) are refused: images are sent, never fetched."""
    if url[:5].lower() != "data:":
        scheme = url.split(":", 1)[0][:20] if ":" in url else "no scheme"
        raise invalid(
            number,
            f"{label(number, name)} is a {scheme} URL; only data URLs "
            "(data:image/png;base64,...) are accepted",
            "image_url_not_supported",
        )
    header, comma, payload = url[5:].partition(",")
    parameters = [part.strip().lower() for part in header.split(";")]
    if not comma or "base64" not in parameters[1:]:
        raise invalid(
            number,
            f"{label(number, name)} is a data URL without ';base64,': only base64 data URLs "
            "are accepted",
            "invalid_image_data",
        )
    return ImageUpload(_base64(payload, number, name), parameters[0] or None, name)


def _base64(text: str, number: int, name: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid(
            number, f"{label(number, name)}: the data is not valid base64", "invalid_image_data"
        ) from None
