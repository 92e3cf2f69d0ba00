"""``octograph run --image PATH``: image files read and validated into the run's input."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from graphs.images import MAX_RUN_IMAGES, RunImage
from workers.images import ImageError, ImageLimits, check_size, load_run_image


def read_run_images(paths: Sequence[str]) -> tuple[RunImage, ...]:
    """The working copies of the images at ``paths``, in order (``workers.images``; the type is
    read from the content). Raises ``ImageError`` naming the first file that cannot be used:
    missing, unreadable, over a limit or not an image; or when there are too many."""
    if len(paths) > MAX_RUN_IMAGES:
        raise ImageError(
            f"a run takes at most {MAX_RUN_IMAGES} images, got {len(paths)}",
            code="too_many_images",
        )
    limits = ImageLimits.from_settings()
    images = []
    for number, path in enumerate(paths, start=1):
        label = f"image {number} ({path})"
        try:
            check_size(Path(path).stat().st_size, limits, label=label)
            data = Path(path).read_bytes()
        except OSError as error:
            raise ImageError(
                f"{label} cannot be read: {error.strerror or error}", code="unreadable_image"
            ) from error
        images.append(load_run_image(data, None, limits=limits, label=label))
    return tuple(images)
