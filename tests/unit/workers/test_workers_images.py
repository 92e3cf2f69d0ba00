"""Validating a run's images: type by content, byte and pixel limits before decoding, truncated
files, and the downscaled working copy."""

from __future__ import annotations

import io
import time
import tracemalloc

import pytest
from PIL import Image

from graphs.images import RunImage
from tests.image_files import encoded, png_header_only, webp_header_only
from workers.images import (
    ImageError,
    ImageLimits,
    decode_run_image,
    load_run_image,
    megabytes,
)

LIMITS = ImageLimits(max_bytes=2_000_000, max_pixels=4_000_000, working_side=256)


def load(data: bytes, declared: str | None = None) -> RunImage:
    return load_run_image(data, declared, limits=LIMITS, label="image 1 (x)")


@pytest.mark.parametrize(
    ("fmt", "media_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp"), ("GIF", "image/gif")],
)
def test_every_accepted_format_loads_with_or_without_its_declared_type(
    fmt: str, media_type: str
) -> None:
    data = encoded(fmt, (120, 80))

    assert load(data, media_type) == load(data, None)
    image = load(data, f"{media_type}; charset=binary")
    assert (image.width, image.height) == (120, 80)


def test_a_large_image_is_downscaled_to_the_working_side_keeping_its_aspect() -> None:
    image = load(encoded("PNG", (1000, 500)), "image/png")

    assert (image.width, image.height) == (256, 128)
    assert Image.open(io.BytesIO(image.data)).size == (256, 128)


def test_opaque_images_become_jpeg_and_transparent_ones_png() -> None:
    opaque = load(encoded("PNG", (40, 40)))
    transparent = load(encoded("PNG", (40, 40), mode="RGBA"))
    palette_with_transparency = load(encoded("GIF", (40, 40), transparency=0))

    assert opaque.media_type == "image/jpeg"
    assert transparent.media_type == "image/png"
    assert palette_with_transparency.media_type == "image/png"


def test_the_working_copy_keeps_the_colours() -> None:
    image = load(encoded("PNG", (64, 64), color=(200, 30, 40)))

    pixel = Image.open(io.BytesIO(image.data)).convert("RGB").getpixel((32, 32))
    assert isinstance(pixel, tuple)
    assert all(abs(a - b) <= 3 for a, b in zip(pixel, (200, 30, 40), strict=True))


def test_an_animated_gif_keeps_its_first_frame() -> None:
    frames = [Image.new("RGB", (30, 20), color) for color in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])

    image = load(out.getvalue(), "image/gif")

    pixel = Image.open(io.BytesIO(image.data)).convert("RGB").getpixel((5, 5))
    assert isinstance(pixel, tuple)
    assert pixel[0] > 200
    assert pixel[2] < 50


@pytest.mark.parametrize("data", [b"", b"hello, not an image", b"%PDF-1.7\n..."])
def test_anything_but_an_image_is_refused(data: bytes) -> None:
    with pytest.raises(ImageError, match=r"image 1 \(x\) is (empty|not a PNG, JPEG, WebP or GIF)"):
        load(data, "image/png")


def test_a_declared_type_that_disagrees_with_the_content_is_refused() -> None:
    with pytest.raises(ImageError, match="declared as image/png but its content is JPEG") as error:
        load(encoded("JPEG", (10, 10)), "image/png")
    assert error.value.code == "image_type_mismatch"


def test_a_declared_type_that_is_not_an_image_type_is_refused() -> None:
    with pytest.raises(ImageError, match="declared as text/plain; accepted types are image/png"):
        load(encoded("PNG", (10, 10)), "text/plain")


def test_too_many_bytes_are_refused_naming_the_size_and_the_limit() -> None:
    limits = ImageLimits(max_bytes=1_000, max_pixels=4_000_000, working_side=256)
    data = encoded("PNG", (200, 200), noise=True)

    with pytest.raises(ImageError, match=r"is 0\.\d MB; the limit is 0\.0 MB") as error:
        load_run_image(data, None, limits=limits)
    assert error.value.code == "image_too_large"


def test_a_20000_pixel_square_png_is_refused_from_its_header_without_decoding() -> None:
    data = png_header_only(20000, 20000)
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(ImageError) as error:
        load(data, "image/png")
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert error.value.code == "image_too_many_pixels"
    assert str(error.value) == (
        "image 1 (x) is 20000x20000 pixels (400.0 megapixels); the limit is 4.0 megapixels"
    )
    assert elapsed < 0.5
    assert peak < 5_000_000  # the 1.2 GB of pixels are never allocated


def test_pillows_own_decompression_bomb_limit_never_speaks_first() -> None:
    # 300 million pixels: above twice Pillow's MAX_IMAGE_PIXELS, where Image.open would raise.
    limits = ImageLimits(max_bytes=2_000_000, max_pixels=89_000_000, working_side=256)

    with pytest.raises(ImageError, match=r"the limit is 89\.0 megapixels"):
        load_run_image(png_header_only(20000, 15000), None, limits=limits)


def test_a_webp_header_over_our_limit_is_refused_naming_its_size() -> None:
    with pytest.raises(ImageError, match=r"is 10000x10000 pixels \(100\.0 megapixels\)") as error:
        load(webp_header_only(10000))
    assert error.value.code == "image_too_many_pixels"


def test_a_webp_header_over_pillows_bomb_limit_is_refused_as_too_many_pixels() -> None:
    with pytest.raises(ImageError, match=r"Image size \(268435456 pixels\)") as error:
        load(webp_header_only(16384))
    assert error.value.code == "image_too_many_pixels"
    assert str(error.value).endswith("the limit is 4.0 megapixels")


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_truncated_file_is_refused(fmt: str) -> None:
    data = encoded(fmt, (200, 150), noise=True)

    with pytest.raises(ImageError, match=r"image 1 \(x\)") as error:
        load(data[: len(data) // 2])
    assert error.value.code == "corrupt_image"


def test_a_corrupt_header_is_refused() -> None:
    data = bytearray(encoded("PNG", (20, 20)))
    data[12:16] = b"XXXX"  # the IHDR chunk's type

    with pytest.raises(ImageError, match="is not a readable PNG image"):
        load(bytes(data))


def test_a_run_image_decodes_for_a_model_host() -> None:
    working = load(encoded("WEBP", (300, 100)))

    pixels = decode_run_image(working)

    assert pixels.mode == "RGB"
    assert pixels.size == (256, 85)


def test_a_model_host_refuses_a_run_image_whose_content_is_not_its_type() -> None:
    forged = RunImage("image/png", encoded("JPEG", (10, 10)), 10, 10)

    with pytest.raises(ImageError, match="declared as image/png but its content is JPEG"):
        decode_run_image(forged)


def test_a_model_host_refuses_a_forged_huge_run_image_before_decoding() -> None:
    forged = RunImage("image/png", png_header_only(20000, 20000), 10, 10)

    with pytest.raises(ImageError, match="20000x20000 pixels"):
        decode_run_image(forged)


def test_a_large_truncated_jpeg_is_refused_though_it_is_decoded_at_a_reduced_scale() -> None:
    data = encoded("JPEG", (2000, 1600), color=(90, 160, 20))

    assert load(data).width == 256
    with pytest.raises(ImageError, match="truncated or corrupt JPEG"):
        load(data[: len(data) * 9 // 10])


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0.0 MB"), (49_999, "0.0 MB"), (250_000, "0.3 MB"), (10_000_000, "10.0 MB")],
)
def test_sizes_are_shown_in_megabytes_rounded_half_up(size: int, shown: str) -> None:
    assert megabytes(size) == shown
