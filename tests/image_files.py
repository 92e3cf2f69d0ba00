"""Image files for the tests: real encodings made with Pillow, and a PNG that is all header."""

from __future__ import annotations

import io
import random
import struct
import zlib

from PIL import Image


def encoded(
    fmt: str,
    size: tuple[int, int],
    *,
    mode: str = "RGB",
    color: tuple[int, ...] = (30, 120, 200),
    noise: bool = False,
    transparency: int | None = None,
) -> bytes:
    """An image of ``size`` in Pillow format ``fmt`` (PNG, JPEG, WEBP, GIF): one ``color``, or
    random pixels with ``noise`` (so that it does not compress to almost nothing)."""
    if noise:
        image = Image.frombytes("RGB", size, random.Random(7).randbytes(size[0] * size[1] * 3))
    else:
        image = Image.new(mode, size, color[: len(mode)])
    out = io.BytesIO()
    options = {} if transparency is None else {"transparency": transparency}
    image.save(out, fmt, **options)
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A well-formed PNG header claiming ``width`` x ``height`` RGB pixels, with one tiny IDAT:
    a few hundred bytes that would take ``3 * width * height`` bytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


def webp_header_only(side: int) -> bytes:
    """A lossless WebP whose header claims ``side`` x ``side`` pixels (at most 16384), with the
    bitstream of a 10x10 image."""
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "WEBP", lossless=True)
    data = bytearray(out.getvalue())
    start = data.index(b"VP8L") + 9  # chunk header, then the 0x2f signature byte
    bits = struct.unpack("<I", data[start : start + 4])[0]
    bits = (bits & ~((1 << 28) - 1)) | (side - 1) | ((side - 1) << 14)
    data[start : start + 4] = struct.pack("<I", bits)
    return bytes(data)
