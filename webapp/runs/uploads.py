"""Images as requests carry them, before validation: multipart files, base64 JSON and data URLs.

Each becomes an ``ImageUpload`` (bytes, the declared MIME type, the client's file name; JSON ones
through ``workers.image_uploads``, shared with the command line); the runs service validates it
with ``workers.images.load_run_image``. Errors are ``Invalid`` with the image's ``code``,
``field="images"`` and ``image`` (its number, from 1), and a message that starts with the
image's label (``"image 2 (cat.png)"``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.files.uploadedfile import UploadedFile

from webapp.errors import Invalid
from workers import image_uploads
from workers.image_uploads import ImageUpload, clean_name, from_json_item, label
from workers.images import ImageError, ImageLimits, check_size

__all__ = ["ImageUpload", "clean_name", "from_data_url", "from_files", "from_json", "label"]


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
    """JSON images, in order (``workers.image_uploads.from_json_item``)."""
    uploads = []
    for number, item in enumerate(items, start=1):
        try:
            uploads.append(from_json_item(item, number))
        except ImageError as error:
            raise invalid(number, error.message, error.code) from None
    return uploads


def from_data_url(url: str, number: int, name: str = "") -> ImageUpload:
    """A data URL (``workers.image_uploads.from_data_url``); other URLs are refused."""
    try:
        return image_uploads.from_data_url(url, number, name)
    except ImageError as error:
        raise invalid(number, error.message, error.code) from None
