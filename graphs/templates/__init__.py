"""Ready-made graphs. Each template builds fresh spec JSON that runs on the packaged models."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graphs.templates.moa import moa_3_layer, moa_lite, moa_mixed
from graphs.templates.multimodal import octopus_v3_agent
from graphs.templates.options import TemplateOptionError
from graphs.templates.routing import octopus_v4_mmlu, router_basic


@dataclass(frozen=True)
class Template:
    """A ready-made graph. ``options`` names the keyword arguments ``build`` takes (e.g.
    ``proposers``: the model keys of moa-mixed); every one has a default."""

    name: str
    build: Callable[..., dict[str, Any]]
    options: tuple[str, ...] = ()

    def spec(self, **options: Any) -> dict[str, Any]:
        """Fresh spec JSON. Raises ``TemplateOptionError`` for an option the template does not
        take or cannot be built with."""
        unknown = sorted(set(options) - set(self.options))
        if unknown:
            raise TemplateOptionError(
                f"template {self.name!r} takes no option {unknown[0]!r} "
                f"(options: {', '.join(self.options) or 'none'})",
                option=unknown[0],
            )
        return self.build(**options)

    @cached_property
    def _meta(self) -> dict[str, Any]:
        # Built once: listing templates should not rebuild (and re-read) every spec.
        meta: dict[str, Any] = self.build()["meta"]
        return meta

    @property
    def title(self) -> str:
        return str(self._meta["title"])

    @property
    def description(self) -> str:
        return str(self._meta["description"])


TEMPLATES: dict[str, Template] = {
    template.name: template
    for template in (
        Template("moa-lite", moa_lite),
        Template("moa-3-layer", moa_3_layer),
        Template("moa-mixed", moa_mixed, options=("proposers",)),
        Template("router-basic", router_basic),
        Template("octopus-v4-mmlu", octopus_v4_mmlu),
        Template("octopus-v3-agent", octopus_v3_agent),
    )
}


__all__ = ["TEMPLATES", "Template", "TemplateOptionError", "get_template"]


def get_template(name: str) -> Template:
    """Raises ``KeyError`` naming the known templates when ``name`` is not one of them."""
    try:
        return TEMPLATES[name]
    except KeyError:
        raise KeyError(f"unknown template {name!r} (known: {', '.join(TEMPLATES)})") from None
