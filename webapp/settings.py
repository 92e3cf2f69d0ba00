"""Django settings for Octograph, all read from environment variables in this one module.

Every variable is listed, with its default, in ``.env.example``; a ``.env`` file in the repository
root is read too (the real environment wins). The ``env_*`` readers (``workers.env``, shared with
the model hosts) fail loudly: a value that cannot be parsed raises ``SettingsError`` naming the
variable, so a typo stops the process at start-up instead of silently falling back to a default.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from graphs.images import MAX_RUN_IMAGES
from workers import settings as workers_settings
from workers.env import env_bool, env_int, env_list, env_raw, env_str, load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent

load_dotenv(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)
# The insecure key exists only so that `DEBUG=true ./manage.py runserver` works out of the box.
SECRET_KEY = env_str("SECRET_KEY", "django-insecure-octograph-dev-only" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# Endpoint API keys are encrypted with this key. It defaults to one derived from SECRET_KEY;
# set it explicitly in production so that rotating SECRET_KEY keeps stored keys readable.
ENCRYPTION_KEY = env_str("OCTOGRAPH_ENCRYPTION_KEY", SECRET_KEY)

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
        )
    }
except ValueError as exc:  # dj-database-url raises ValueError for unknown schemes
    raise ImproperlyConfigured(f"DATABASE_URL is not a usable database URL: {exc}") from None
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Runs are advanced by several worker processes at once. SQLite ignores SELECT ... FOR
    # UPDATE; taking the write lock at BEGIN serialises the steps instead, and the timeout (the
    # busy timeout, in seconds) makes a write wait for the lock rather than fail with "database
    # is locked". WAL: readers never wait for the writer, nor the writer for readers, so only
    # writes queue, and only behind short steps (webapp.runs.driver runs nothing slow in one).
    # synchronous=NORMAL is WAL's usual pairing: a commit no longer waits for an fsync; a power
    # cut may lose the last commits, never the database. journal_mode persists in the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    # Swagger UI's files, served from here (SPECTACULAR_SETTINGS): /api/docs/ needs no internet.
    "drf_spectacular_sidecar",
    # Shared API plumbing; an app for the templates and static files of /api/docs/.
    "webapp.api",
    "webapp.accounts",
    "webapp.graphstore",
    "webapp.catalog",
    "webapp.frontend",
    "webapp.runs",
    "webapp.training",
    "webapp.evaluation",
    "webapp.chat",
    "channels",
]

MIDDLEWARE = [
    # First, so that every response gets the header: static files and error pages too.
    "webapp.security.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Serves the collected static files (the front end's build) from the app server itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Content-Security-Policy of every response (webapp.security, which also adds the request's own
# ws:// and wss:// origins to connect-src, and relaxes the policy for the Swagger page only).
# The built studio has no inline script and no eval. Styles: React and React Flow set element
# styles through the CSSOM (`element.style.x = ...`), which CSP does not govern, but ECharts
# writes its tooltips as HTML with style="" attributes, hence 'unsafe-inline' for attributes
# only (style-src-attr); <style> elements and style sheets must still come from this site.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "connect-src": ["'self'"],
    # data: for the previews of images attached to a run (FileReader); blob: for object URLs of
    # images made in the page (none yet; harmless, as only the page itself can mint them).
    "img-src": ["'self'", "data:", "blob:"],
    "style-src": ["'self'"],
    "style-src-attr": ["'unsafe-inline'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Django's defaults, stated: no MIME sniffing, no Referer to other sites, no framing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Redis carries the Channels layer too: run events are relayed by the workers to groups
# ``run.<id>`` on the same database and prefix (``workers.settings.channel_layer_config``).
REDIS_URL = workers_settings.redis_url()
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": workers_settings.channel_layer_config(REDIS_URL),
    }
}

# The cache holds the login and sign-up throttles' counters, which every server process must
# share: Redis whenever REDIS_URL is set (`make run`, docker-compose and the browser tests' stack
# set it). Unset, each process counts in its own memory: right for the test suite and
# `manage.py runserver`, too lenient for several server processes.
if env_raw("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "octograph:cache",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# webapp.accounts.throttles: after `account` failed logins of one username, or `address` from
# one client address, within `window_s` seconds, that username or address gets 429 for
# `window_s` seconds. Logins through the session and the API token share the counters; for
# sign-ups every attempt counts.
AUTH_THROTTLE = {
    "login": {
        "account": env_int("OCTOGRAPH_LOGIN_FAILURES_PER_ACCOUNT", 10, low=1),
        "address": env_int("OCTOGRAPH_LOGIN_FAILURES_PER_ADDRESS", 50, low=1),
        "window_s": env_int("OCTOGRAPH_LOGIN_WINDOW_S", 15 * 60, low=1),
    },
    "signup": {
        "account": env_int("OCTOGRAPH_SIGNUPS_PER_USERNAME", 10, low=1),
        "address": env_int("OCTOGRAPH_SIGNUPS_PER_ADDRESS", 30, low=1),
        "window_s": env_int("OCTOGRAPH_SIGNUP_WINDOW_S", 60 * 60, low=1),
    },
}

# A JSON run request carries up to MAX_RUN_IMAGES images in base64 (4/3 of their bytes) besides
# its text (up to 100,000 characters, 4 bytes each in UTF-8 at worst). Multipart files do not
# count towards this limit; each is checked against OCTOGRAPH_IMAGE_MAX_BYTES before it is read.
DATA_UPLOAD_MAX_MEMORY_SIZE = (
    MAX_RUN_IMAGES * (workers_settings.image_max_bytes() * 4 // 3 + 4) + 4 * 100_000 + 100_000
)

# --- limits on what clients send (hostile input) -----------------------------------------------
# Graph specs (webapp.graphstore.limits), checked before anything walks a spec. The largest
# template has 20 nodes, 35 edges and 9 KB, nested 5 levels: these leave 100x room, and a spec at
# the limits validates in about half a second. A request carrying a spec may be up to
# 2 * spec_bytes + 64 KiB (4.06 MB): larger bodies answer 413 before they are read.
OCTOGRAPH_GRAPH_LIMITS = {"nodes": 2_000, "edges": 10_000, "spec_bytes": 2_000_000, "depth": 32}
# Objects and lists a JSON body read by the API's default parser (webapp.api.parsers) may nest:
# deeper ones answer 400 `json_too_deep` before they are parsed, so that no serializer, json.dumps
# or database adapter recurses over them. The graph store's own limit is 32.
OCTOGRAPH_JSON_MAX_DEPTH = 64

# Runs an experiment keeps under way at once, unless it asks for another number: enough to keep
# the model hosts' batching decoders full without flooding their queues.
EXPERIMENT_CONCURRENCY = env_int("OCTOGRAPH_EXPERIMENT_CONCURRENCY", 8, low=1, high=256)

# Modules whose ``KINDS`` add node kinds to graphs.nodes.registry at start-up
# (webapp.graphstore.apps): a deployment's own kinds, or the e2e tests' plugin kind.
EXTRA_NODE_KINDS = env_list("OCTOGRAPH_EXTRA_NODE_KINDS", [])

ROOT_URLCONF = "webapp.urls"
WSGI_APPLICATION = "webapp.wsgi.application"
ASGI_APPLICATION = "webapp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# The Vite build of frontend/ (`make frontend`): its assets are served under STATIC_URL, its
# index.html by webapp.frontend for the browser's routes. Absent until built (no W004 warning).
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
# Serve the build straight from frontend/dist too, so that a server started without
# `collectstatic` (and with DEBUG off) still serves the studio's assets. Files are indexed at
# start-up; with DEBUG on, on every request.
WHITENOISE_USE_FINDERS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request then gets 401 with `WWW-Authenticate: Token`
        # (DRF answers 403 when the first class offers no challenge). API keys: named tokens and
        # the legacy one of rest_framework.authtoken (webapp.accounts.tokens).
        "webapp.accounts.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "webapp.api.errors.exception_handler",
    # DRF's three, with a JSON parser that bounds body size and nesting (webapp.api.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "webapp.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Octograph API",
    "DESCRIPTION": "Graphs of language models: teams, versioned graphs, sharing and the catalog.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # A member's role and a chat message's role are both fields named "role".
    "ENUM_NAME_OVERRIDES": {"TeamRoleEnum": "webapp.accounts.models.Role"},
    # /api/docs/ loads Swagger UI from our static files, under the strict CSP (webapp.security).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No badge image from validator.swagger.io: the page makes no request to another site.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
