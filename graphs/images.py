"""Images a run starts from (Octopus v3's image + text input), as the engine carries them.

A ``RunImage`` is already validated (decoded, within limits; see ``workers.images``) and is the
run's *working copy*: small enough to travel inside the run state and every node job as base64
JSON. The original upload is kept with the run by the web app. ``graphs`` never decodes pixels.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

IMAGE_MEDIA_TYPES = ("image/png", "image/jpeg", "image/webp", "image/gif")
"""What a run accepts, by content (the declared type must agree)."""

MAX_RUN_IMAGES = 4


@dataclass(frozen=True)
class RunImage:
    """An encoded image (``media_type`` one of ``IMAGE_MEDIA_TYPES``) and its pixel size."""

    media_type: str
    data: bytes = field(repr=False)
    width: int
    height: int

    def __post_init__(self) -> None:
        if self.media_type not in IMAGE_MEDIA_TYPES:
            raise ValueError(
                f"unsupported image type {self.media_type!r} "
                f"(accepted: {', '.join(IMAGE_MEDIA_TYPES)})"
            )
        if not self.data:
            raise ValueError("the image is empty")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"invalid image size {self.width}x{self.height}")

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def summary(self) -> dict[str, Any]:
        """What events and traces show of the image (never its bytes)."""
        return {
            "media_type": self.media_type,
            "width": self.width,
            "height": self.height,
            "bytes": len(self.data),
            "sha256": self.sha256,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "media_type": self.media_type,
            "data": base64.b64encode(self.data).decode("ascii"),
            "width": self.width,
            "height": self.height,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunImage:
        """Raises ``ValueError`` on a malformed record (bad base64, missing field)."""
        try:
            raw = base64.b64decode(str(data["data"]), validate=True)
            return cls(str(data["media_type"]), raw, int(data["width"]), int(data["height"]))
        except (KeyError, TypeError, binascii.Error) as error:
            raise ValueError(f"malformed run image: {error}") from error
