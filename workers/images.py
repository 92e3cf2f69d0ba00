"""Validating the images a run starts from, and making their working copies (Pillow).

Every place a run starts (REST, OpenAI-compatible endpoint, CLI) turns uploaded bytes into a
``graphs.images.RunImage`` with ``load_run_image``:

1. the type is read from the content (PNG, JPEG, WebP, GIF signatures); a declared MIME type that
   disagrees is refused;
2. the byte size is checked, then the pixel size from the header alone, *before* anything is
   decoded: a 20000x20000 PNG costs a few hundred bytes to send and microseconds to refuse;
3. the image is decoded in full (a truncated or corrupt file fails here), turned upright (EXIF
   orientation), downscaled so its longest side is at most ``ImageLimits.working_side`` and
   re-encoded: PNG when it has transparency, otherwise JPEG (quality 90, no chroma subsampling).
   Animated GIFs keep their first frame.

Every failure is an ``ImageError`` whose message says what is wrong, the limit and what was found.
Model hosts that receive a ``RunImage`` decode it with ``decode_run_image``, which applies the
same guards: a bad image fails a node, never a worker.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import (
    GifImagePlugin,
    Image,
    ImageFile,
    ImageOps,
    JpegImagePlugin,
    PngImagePlugin,
    WebPImagePlugin,
)

from graphs.images import IMAGE_MEDIA_TYPES, RunImage
from workers import settings

FORMAT_NAMES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "image/gif": "GIF"}
"""The accepted media types (``graphs.images.IMAGE_MEDIA_TYPES``) and their names in messages."""

ACCEPTED_FORMATS = "PNG, JPEG, WebP or GIF"

# The plugin classes are opened directly rather than through ``Image.open``: they parse the
# header only, so our pixel limit is checked before Pillow's decompression-bomb check can warn
# or raise (and before any pixel is allocated).
_PLUGINS: dict[str, type[ImageFile.ImageFile]] = {
    "image/png": PngImagePlugin.PngImageFile,
    "image/jpeg": JpegImagePlugin.JpegImageFile,
    "image/webp": WebPImagePlugin.WebPImageFile,
    "image/gif": GifImagePlugin.GifImageFile,
}

JPEG_QUALITY = 90


class ImageError(ValueError):
    """An image a run cannot take. ``code`` is stable (for API errors); the message is for people:
    what is wrong, the limit and what was found."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class ImageLimits:
    """What a run's image may be: ``max_bytes`` encoded, ``max_pixels`` (width x height), and
    the longest side of its working copy (``working_side``)."""

    max_bytes: int
    max_pixels: int
    working_side: int

    @classmethod
    def from_settings(cls) -> ImageLimits:
        """The limits configured in the environment (``workers.settings``)."""
        return cls(
            max_bytes=settings.image_max_bytes(),
            max_pixels=settings.image_max_pixels(),
            working_side=settings.image_working_side(),
        )


def megabytes(size: int) -> str:
    """``size`` bytes as people read it in messages: ``"12.3 MB"`` (1 MB = 1,000,000 bytes,
    rounded half up in integers, exactly as the studio's ``megabytes`` in ``runImages.ts``)."""
    tenths = (size + 50_000) // 100_000
    return f"{tenths // 10}.{tenths % 10} MB"


def detect_media_type(data: bytes, *, label: str = "the image") -> str:
    """The media type of ``data`` by its signature, one of ``IMAGE_MEDIA_TYPES``.

    Raises ``ImageError`` (``not_an_image``) for anything else, including an empty file."""
    if not data:
        raise ImageError(f"{label} is empty", code="not_an_image")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    raise ImageError(f"{label} is not a {ACCEPTED_FORMATS} image", code="not_an_image")


def check_size(size: int, limits: ImageLimits, *, label: str = "the image") -> None:
    """Raise ``ImageError`` (``image_too_large``) when ``size`` bytes exceed the limit (for
    uploads whose size is known before they are read)."""
    if size > limits.max_bytes:
        raise ImageError(
            f"{label} is {megabytes(size)}; the limit is {megabytes(limits.max_bytes)}",
            code="image_too_large",
        )


def load_run_image(
    data: bytes,
    declared_type: str | None,
    *,
    limits: ImageLimits | None = None,
    label: str = "the image",
) -> RunImage:
    """Validate an uploaded image and return its working copy (see the module docstring).

    ``declared_type`` is the MIME type the client gave (``None``: not given; parameters such as
    ``;charset`` are ignored). ``label`` names the image in messages (``"image 2 (cat.png)"``).
    ``limits`` defaults to ``ImageLimits.from_settings()``. Raises ``ImageError``; never
    anything else for any bytes."""
    limits = limits or ImageLimits.from_settings()
    media_type = detect_media_type(data, label=label)
    _check_declared_type(declared_type, media_type, label)
    check_size(len(data), limits, label=label)
    image = _decode(data, media_type, limits.max_pixels, label, reduce_to=limits.working_side)
    return _working_copy(image, limits.working_side, label)


def decode_run_image(image: RunImage, *, max_pixels: int | None = None) -> Image.Image:
    """The pixels of a run's (working copy) image as an RGB or RGBA Pillow image, for a model.

    Model hosts trust a ``RunImage`` but decode it with the same guards as an upload: its
    content must be its ``media_type`` and within ``max_pixels`` (default: the configured
    limit). Raises ``ImageError``, so a bad image fails its node, not the worker."""
    media_type = detect_media_type(image.data, label="the run's image")
    if media_type != image.media_type:
        raise ImageError(
            f"the run's image is declared as {image.media_type} "
            f"but its content is {FORMAT_NAMES[media_type]}",
            code="image_type_mismatch",
        )
    pixels = settings.image_max_pixels() if max_pixels is None else max_pixels
    decoded = _decode(image.data, media_type, pixels, "the run's image")
    return decoded if decoded.mode in ("RGB", "RGBA") else decoded.convert("RGB")


def _check_declared_type(declared_type: str | None, media_type: str, label: str) -> None:
    if declared_type is None:
        return
    declared = declared_type.split(";", 1)[0].strip().lower()
    if declared == "image/jpg":  # a common misspelling of image/jpeg
        declared = "image/jpeg"
    if declared not in IMAGE_MEDIA_TYPES:
        raise ImageError(
            f"{label} is declared as {declared or 'an empty type'}; "
            f"accepted types are {', '.join(IMAGE_MEDIA_TYPES)}",
            code="unsupported_image_type",
        )
    if declared != media_type:
        raise ImageError(
            f"{label} is declared as {declared} but its content is {FORMAT_NAMES[media_type]}",
            code="image_type_mismatch",
        )


def _decode(
    data: bytes, media_type: str, max_pixels: int, label: str, *, reduce_to: int | None = None
) -> Image.Image:
    """Parse the header, check the pixel count, then decode every pixel (first frame).

    With ``reduce_to``, a JPEG is decoded at the smallest scale (1/2, 1/4, 1/8) that still covers
    ``reduce_to`` pixels on each side: the whole file is still read (a truncated one still
    fails), for a fraction of the time and memory.

    Pillow raises many types on malformed input (``OSError``, ``SyntaxError``, ``ValueError``,
    ``struct.error``, ``IndexError``, ``EOFError``, its ``DecompressionBombError``...), so every
    exception from parsing or decoding becomes an ``ImageError``."""
    name = FORMAT_NAMES[media_type]
    try:
        image = _PLUGINS[media_type](io.BytesIO(data))
    except Image.DecompressionBombError as error:
        # The WebP and GIF plugins check Pillow's own limit (twice MAX_IMAGE_PIXELS, above ours)
        # while parsing; its message says the size found.
        raise ImageError(
            f"{label} has too many pixels: {error}; the limit is {max_pixels / 1e6:.1f} megapixels",
            code="image_too_many_pixels",
        ) from error
    except Exception as error:
        raise ImageError(
            f"{label} is not a readable {name} image: {error}", code="corrupt_image"
        ) from error
    width, height = image.size
    if width * height > max_pixels:
        raise ImageError(
            f"{label} is {width}x{height} pixels ({width * height / 1e6:.1f} megapixels); "
            f"the limit is {max_pixels / 1e6:.1f} megapixels",
            code="image_too_many_pixels",
        )
    try:
        if reduce_to is not None and media_type == "image/jpeg":
            image.draft(None, (reduce_to, reduce_to))
        image.load()
    except Exception as error:
        raise ImageError(
            f"{label} could not be decoded (truncated or corrupt {name}): {error}",
            code="corrupt_image",
        ) from error
    return image


def _working_copy(image: Image.Image, working_side: int, label: str) -> RunImage:
    """``image`` upright, within ``working_side``, re-encoded (PNG with alpha, JPEG without)."""
    try:
        upright = ImageOps.exif_transpose(image)
        transparent = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        converted = upright.convert("RGBA" if transparent else "RGB")
        converted.thumbnail((working_side, working_side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if transparent:
            converted.save(out, "PNG")
        else:
            converted.save(out, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    except Exception as error:
        raise ImageError(
            f"{label} could not be converted to a working copy: {error}", code="corrupt_image"
        ) from error
    media_type = "image/png" if transparent else "image/jpeg"
    return RunImage(media_type, out.getvalue(), converted.width, converted.height)
