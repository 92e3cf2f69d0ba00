"""Errors of the options a template is built with (``Template.spec(**options)``)."""

from __future__ import annotations


class TemplateOptionError(ValueError):
    """An option a template cannot be built with; ``option`` names it."""

    def __init__(self, message: str, *, option: str) -> None:
        super().__init__(message)
        self.option = option
