"""Environment settings of the model hosts, read in one place through typed helpers.

Every helper reads the environment when called (not at import), so tests and long-lived workers
see the current value, through the typed readers of ``workers.env``, which fail loudly with
``SettingsError`` naming the variable on a bad value.

- ``OCTOGRAPH_CACHE_DIR``: root of the converted-weights cache
  (default ``~/.cache/octograph/models``).
- ``OCTOGRAPH_MAX_MODELS``: base models kept loaded per process, LRU (default 2).
- ``OCTOGRAPH_DTYPE``: dtype of loaded weights, bfloat16 | float16 | float32 (default: bfloat16
  where the CPU computes it natively, float32 elsewhere; see ``dtype_name``).
- ``OCTOGRAPH_ADAPTERS_DIR``: folder holding LoRA adapters by name (default unset).
- ``OCTOGRAPH_MODELS_FILE``: JSON file of extra catalog entries (default unset).
- ``REDIS_URL``: Celery broker and result backend, event streams and the Channels layer
  (default ``redis://127.0.0.1:6379/0``).
  The Channels layer's configuration is ``channel_layer_config``.
- ``OCTOGRAPH_EVENT_TTL_S``: seconds a run's event stream stays in Redis after its last event
  (default 86400).
- ``OCTOGRAPH_IMAGE_MAX_BYTES``: largest image a run accepts, in bytes (default 10000000).
- ``OCTOGRAPH_IMAGE_MAX_PIXELS``: most pixels (width x height) of an image a run accepts
  (default 50000000).
- ``OCTOGRAPH_IMAGE_WORKING_SIDE``: longest side, in pixels, of the working copy of a run's image
  that travels with the run to the model hosts (default 1024).
- ``OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE``: let webhook tools call hosts inside the server's network
  (default false); with ``OCTOGRAPH_TOOL_SECRET_<NAME>`` variables (webhook header values), what
  ``webhook_access`` hands the graphs this process runs.
- ``OCTOGRAPH_FAKE_BACKEND``: TESTS ONLY. When true (or a JSON object of options), node tasks
  answer with the deterministic ``FakeBackend`` instead of loading models; the integration tests
  set it on the worker processes they start. Never set it on a real deployment.
- ``OCTOGRAPH_FAKE_TRAINER``: TESTS ONLY. When true (or a number of seconds per step), router
  training jobs use the ``FakeTrainer`` (no model is loaded or trained; the adapter folder holds
  metadata only) and the ``FakeBackend`` for model-written queries. Never set it on a real
  deployment.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from graphs.tools.webhook import ALLOW_PRIVATE_VARIABLE, SECRET_PREFIX, WebhookAccess
from workers.env import (
    FALSE_SPELLINGS,
    TRUE_SPELLINGS,
    SettingsError,
    env_bool,
    env_int,
    env_path,
    env_raw,
    env_secret,
)

DTYPES = ("bfloat16", "float16", "float32")
FAKE_OPTIONS = frozenset({"latency", "token_delay", "fail_times", "hang", "reply", "load_s"})
"""The ``FakeBackend`` options ``OCTOGRAPH_FAKE_BACKEND`` may set."""
_DTYPE_ALIASES = {"bf16": "bfloat16", "fp16": "float16", "half": "float16", "fp32": "float32"}


def cache_dir() -> Path:
    """Root folder of converted model weights (one sub-folder per catalog key)."""
    return env_path("OCTOGRAPH_CACHE_DIR") or Path.home() / ".cache" / "octograph" / "models"


def max_models() -> int:
    """How many base models one process keeps loaded at once (at least 1)."""
    return env_int("OCTOGRAPH_MAX_MODELS", 2, low=1)


def dtype_name() -> str:
    """Name of the torch dtype models are loaded in: one of ``DTYPES``.

    Unset, it is ``bfloat16`` on CPUs with native bfloat16 arithmetic (``avx512_bf16`` or
    ``amx_bf16``) and ``float32`` elsewhere: without them torch computes bfloat16 matrix products
    in a slow generic path (measured on an AVX2-only EPYC: 1.2 GFLOPS against 28 in float32, a
    router decision 14x slower), so the halved memory traffic is not worth it."""
    default = "bfloat16" if cpu_has_native_bf16() else "float32"
    raw = env_raw("OCTOGRAPH_DTYPE").lower() or default
    name = _DTYPE_ALIASES.get(raw, raw)
    if name not in DTYPES:
        raise SettingsError(f"OCTOGRAPH_DTYPE must be one of {', '.join(DTYPES)}, got {raw!r}")
    return name


NATIVE_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})
CPUINFO = Path("/proc/cpuinfo")


@cache
def cpu_has_native_bf16(cpuinfo: Path = CPUINFO) -> bool:
    """Whether this CPU does bfloat16 arithmetic in hardware, read from the ``flags`` line of
    ``cpuinfo`` (Linux); False where that file cannot be read."""
    try:
        text = cpuinfo.read_text()
    except OSError:
        return False
    for line in text.splitlines():
        if line.startswith("flags"):
            return bool(NATIVE_BF16_FLAGS & set(line.partition(":")[2].split()))
    return False


def adapters_dir() -> Path | None:
    """Folder in which a LoRA adapter named ``n`` lives at ``<dir>/n``, if configured."""
    return env_path("OCTOGRAPH_ADAPTERS_DIR")


def models_file() -> Path | None:
    """JSON file with extra catalog entries, if configured."""
    return env_path("OCTOGRAPH_MODELS_FILE")


def redis_url() -> str:
    """The Redis that carries the Celery queues, event streams and the Channels layer."""
    raw = env_raw("REDIS_URL") or "redis://127.0.0.1:6379/0"
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"REDIS_URL must be a redis://, rediss:// or unix:// URL, got {raw!r}")
    return raw


CHANNEL_CAPACITY = 1000
"""Messages a Channels channel holds before further ones are dropped (channels-redis's default is
100): a socket busy replaying a long run must not lose the live deltas queued meanwhile."""


CHANNEL_SOCKET_TIMEOUT_S = 15.0
"""Read timeout of the layer's Redis connections. channels-redis waits for messages with
``BZPOPMIN`` blocking 5 s (``brpop_timeout``), and redis-py's default socket timeout is 5 s too:
left at that, a socket with nothing to receive for 5 s fails its receive loop with a
``TimeoutError`` and stops getting events. It must stay well above 5 s."""


def channel_layer_config(url: str | None = None) -> dict[str, Any]:
    """The channels-redis ``CONFIG`` of the web app's layer and of the event relay: both must use
    the same Redis database and group prefix (the default, ``asgi``) for events to reach
    subscribers."""
    host = {"address": url or redis_url(), "socket_timeout": CHANNEL_SOCKET_TIMEOUT_S}
    return {"hosts": [host], "capacity": CHANNEL_CAPACITY}


def event_ttl_s() -> int:
    """Seconds a run's event stream (deltas included) is kept after its last event."""
    return env_int("OCTOGRAPH_EVENT_TTL_S", 86400, low=60)


def image_max_bytes() -> int:
    """The largest image (encoded, as uploaded) a run accepts, in bytes."""
    return env_int("OCTOGRAPH_IMAGE_MAX_BYTES", 10_000_000, low=1_000, high=100_000_000)


def image_max_pixels() -> int:
    """The most pixels (width x height) of an image a run accepts, checked before decoding.

    At most Pillow's own decompression-bomb threshold (``PIL.Image.MAX_IMAGE_PIXELS``, about 89
    million), so that this limit is always the one that speaks."""
    return env_int("OCTOGRAPH_IMAGE_MAX_PIXELS", 50_000_000, low=1_000, high=89_000_000)


def image_working_side() -> int:
    """Longest side, in pixels, of the working copy of a run's image (downscaled, re-encoded)."""
    return env_int("OCTOGRAPH_IMAGE_WORKING_SIDE", 1024, low=32, high=4096)


def webhook_access() -> WebhookAccess:
    """What webhook tools of the graphs this process runs may use: header values read, at each
    call, from the ``OCTOGRAPH_TOOL_SECRET_*`` variables (and no other), and private hosts when
    ``OCTOGRAPH_WEBHOOK_ALLOW_PRIVATE`` is true. Raises ``SettingsError`` for a bad boolean."""
    return WebhookAccess(
        secret=tool_secret, allow_private=env_bool(ALLOW_PRIVATE_VARIABLE, default=False)
    )


def tool_secret(name: str) -> str | None:
    """The value of ``OCTOGRAPH_TOOL_SECRET_<NAME>`` variable ``name``, None when unset or when
    ``name`` lacks that prefix (so other server secrets stay out of a webhook's reach)."""
    return env_secret(name) if name.startswith(SECRET_PREFIX) else None


def fake_backend() -> dict[str, Any] | None:
    """TESTS ONLY: ``FakeBackend`` options for node tasks, or None to serve real models.

    ``OCTOGRAPH_FAKE_BACKEND`` is unset/false (real models), true (a default ``FakeBackend``),
    or a JSON object of ``FakeBackend`` options among ``FAKE_OPTIONS`` (e.g.
    ``{"hang": ["some-model"]}``). ``reply`` is a fixed text that every generation answers, or
    ``{model key: text}`` for some models (the others answer as usual), e.g.
    ``{"reply": {"judge-model": "Rating: [[8]]"}}``. ``load_s`` makes the first use of a model
    in the process "load" for that long (seconds, or ``{model key: seconds}``), with the
    ``model.loading`` events of a real first load.
    """
    raw = env_raw("OCTOGRAPH_FAKE_BACKEND")
    if raw.lower() in FALSE_SPELLINGS | {""}:
        return None
    if raw.lower() in TRUE_SPELLINGS:
        return {}
    try:
        options = json.loads(raw)
    except json.JSONDecodeError:
        options = None
    if not isinstance(options, dict) or not set(options) <= FAKE_OPTIONS:
        raise SettingsError(
            "OCTOGRAPH_FAKE_BACKEND must be true, false or a JSON object with keys among "
            f"{sorted(FAKE_OPTIONS)}, got {raw!r}"
        )
    reply = options.get("reply")
    if reply is not None and not (
        isinstance(reply, str)
        or (isinstance(reply, dict) and all(isinstance(v, str) for v in reply.values()))
    ):
        raise SettingsError(
            "OCTOGRAPH_FAKE_BACKEND's reply must be a text or an object of texts by model key, "
            f"got {reply!r}"
        )
    return options


def fake_trainer() -> float | None:
    """TESTS ONLY: seconds per step of the ``FakeTrainer`` that router training jobs use, or None
    to train for real.

    ``OCTOGRAPH_FAKE_TRAINER`` is unset/false (real training), true (no pause between steps) or
    a number of seconds (0 to 60) to pause after each step, so that a browser can watch progress.
    """
    raw = env_raw("OCTOGRAPH_FAKE_TRAINER")
    # "0" and "1" are seconds per step here, not booleans.
    if raw.lower() in FALSE_SPELLINGS - {"0"} | {""}:
        return None
    if raw.lower() in TRUE_SPELLINGS - {"1"}:
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 60:
        raise SettingsError(
            "OCTOGRAPH_FAKE_TRAINER must be true, false or seconds per step between 0 and 60, "
            f"got {raw!r}"
        )
    return value
