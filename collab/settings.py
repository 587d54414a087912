"""Collab's one settings module, read from the environment.

With nothing set, Collab runs on an embedded default (SQLite in WAL mode, the in-memory
channel layer, a file-system Celery broker) so a fresh checkout needs no server. Setting
``DATABASE_URL``, ``REDIS_URL`` and ``CELERY_BROKER_URL`` switches to PostgreSQL, Redis and a
real broker. With ``DEBUG`` off, the process refuses to start without a ``SECRET_KEY`` and
explicit ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("COLLAB_DATA_DIR", BASE_DIR / ".data"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and (not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS):
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the served host names when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "collab",
    "rooms.accounts",
    "axes",
    "rooms",
    "presence",
]

MIDDLEWARE = [
    "rooms.core.request_context.RequestIdMiddleware",
    # Inside the request id, so the access line carries it; outside the rest, so it times
    # and counts everything else's answers too (static files, lock-outs, error shapes).
    "collab.http_observation.HttpObservationMiddleware",
    "rooms.core.api_error_middleware.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so the built files it serves carry the headers too.
    "collab.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "collab.urls"
ASGI_APPLICATION = "collab.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "collab" / "templates"],
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

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Keep connections open between requests and socket frames: opening one costs more than a
# group commit. Checked before reuse, so a restarted database
# costs one failed health check, not a failed request.
CONN_MAX_AGE = env_int("CONN_MAX_AGE", 600)
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=True
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(DATA_DIR / "db.sqlite3")),
            "OPTIONS": {
                # WAL lets readers run beside the one writer; FULL makes each commit durable.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
                # Take the write lock at BEGIN, so two writers queue instead of deadlocking.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # Tests use a file too (not shared-cache memory, whose table locks fail at once
            # instead of waiting), one per test process so parallel runs do not collide.
            "TEST": {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")},
            "CONN_MAX_AGE": CONN_MAX_AGE,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache -------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CHANNEL_LAYER_CAPACITY = env_int("CHANNEL_LAYER_CAPACITY", 10_000)
CHANNEL_LAYERS: dict[str, Any]
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # The layer's receive blocks in Redis for 5 s; redis-py's own read timeout must
                # be longer, or every idle receive fails with a TimeoutError.
                "hosts": [{"address": REDIS_URL, "socket_timeout": 30}],
                "capacity": CHANNEL_LAYER_CAPACITY,
                "expiry": 30,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "collab",
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_LAYER_CAPACITY},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, Any] = {}
if not CELERY_BROKER_URL:
    # The embedded broker: kombu's file-system transport, so a worker and beat run for real
    # on a fresh machine with no server installed.
    _broker_dir = DATA_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    # The host means nothing to this transport; naming one keeps kombu from warning "No
    # hostname was supplied" on every connection.
    CELERY_BROKER_URL = "filesystem://localhost/"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = "UTC"
# The worker logs through LOGGING below (the ids, and JSON lines with COLLAB_LOG_FORMAT=json).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "compact-large-logs": {"task": "rooms.sync.tasks.compact_large_logs", "schedule": 300.0},
    "snapshot-edited-documents": {
        "task": "rooms.documents.tasks.snapshot_edited_documents",
        "schedule": 15.0,
    },
    "thin-versions": {"task": "rooms.documents.tasks.thin_versions", "schedule": 3600.0},
}

# --- Presence -----------------------------------------------------------------------------
# A room socket renews its presence every HEARTBEAT seconds; one not renewed within the TTL is
# removed by the next sweep (Celery beat with Redis, the web process without), so a crashed
# process's members disappear within TTL + SWEEP seconds.
COLLAB_PRESENCE_TTL_SECONDS = env_int("COLLAB_PRESENCE_TTL_SECONDS", 30)
COLLAB_PRESENCE_HEARTBEAT_SECONDS = env_int("COLLAB_PRESENCE_HEARTBEAT_SECONDS", 10)
COLLAB_PRESENCE_SWEEP_SECONDS = env_int("COLLAB_PRESENCE_SWEEP_SECONDS", 10)
if COLLAB_PRESENCE_HEARTBEAT_SECONDS * 2 > COLLAB_PRESENCE_TTL_SECONDS:
    raise ImproperlyConfigured("COLLAB_PRESENCE_TTL_SECONDS must be two heartbeats or more.")
COLLAB_PRESENCE_KEY_PREFIX = os.environ.get("COLLAB_PRESENCE_KEY_PREFIX", "collab:presence:")
# Presence events that follow another within this many seconds reach the room's sockets
# together, at the end of the tick, as one ``presence.batch`` frame (a join storm would
# otherwise send every socket a frame per join).
COLLAB_PRESENCE_TICK_SECONDS = float(os.environ.get("COLLAB_PRESENCE_TICK_SECONDS", "0.05"))
# Typing indicators are never stored: at most one broadcast per user and room per THROTTLE
# seconds, and clients hide one after EXPIRY seconds without another.
COLLAB_TYPING_THROTTLE_SECONDS = env_int("COLLAB_TYPING_THROTTLE_SECONDS", 2)
COLLAB_TYPING_EXPIRY_SECONDS = env_int("COLLAB_TYPING_EXPIRY_SECONDS", 5)
CELERY_BEAT_SCHEDULE["sweep-presence"] = {
    "task": "presence.tasks.sweep_presence",
    "schedule": float(COLLAB_PRESENCE_SWEEP_SECONDS),
    # A sweep queued while no worker ran is pointless once the next one is due.
    "options": {"expires": float(COLLAB_PRESENCE_SWEEP_SECONDS)},
}

# --- Auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule: told of every password change, it revokes the account's API tokens.
    {"NAME": "rooms.accounts.password_changes.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "room-list"
LOGOUT_REDIRECT_URL = "login"
# One guard on every sign-in path (the site's form, POST /api/v1/auth/token, the admin):
# django-axes, configured by rooms/accounts/sign_in_guard.py. Failures are counted per
# account AND client address, so a stranger's guesses pause only the stranger's address for
# that account; the owner still signs in from their own. LIMIT failures within the WINDOW
# lock that pair for WINDOW seconds after the last failure (429 with Retry-After). The
# address is REMOTE_ADDR only: Daphne fills it from X-Forwarded-For when, and only when, it
# is started with --proxy-headers (compose's web command).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "rooms.accounts.sign_in_guard.failure_limit"
AXES_COOLOFF_TIME = "rooms.accounts.sign_in_guard.cool_off"
AXES_CLIENT_IP_CALLABLE = "rooms.accounts.sign_in_guard.client_address"
AXES_USERNAME_CALLABLE = "rooms.accounts.sign_in_guard.username_key"
AXES_LOCKOUT_CALLABLE = "rooms.accounts.sign_in_guard.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Successful sign-ins are not logged to the database, where nothing would ever prune them.
# Operators list and clear failures with manage.py axes_list_attempts / axes_reset_username /
# axes_reset_ip, not in the admin.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False

# Sign-up: off closes it (the page says so; accounts come from the admin or createsuperuser).
# Sign-ups and password-reset emails are counted per client address: past LIMIT within
# WINDOW seconds a 429 with Retry-After (0 turns a count off).
COLLAB_SIGNUP_OPEN = env_bool("COLLAB_SIGNUP_OPEN", True)
COLLAB_SIGNUP_LIMIT = env_int("COLLAB_SIGNUP_LIMIT", 10)
COLLAB_SIGNUP_WINDOW_SECONDS = env_int("COLLAB_SIGNUP_WINDOW_SECONDS", 3600)
COLLAB_PASSWORD_RESET_LIMIT = env_int("COLLAB_PASSWORD_RESET_LIMIT", 5)
COLLAB_PASSWORD_RESET_WINDOW_SECONDS = env_int("COLLAB_PASSWORD_RESET_WINDOW_SECONDS", 3600)
# Sign-up email verification (rooms/accounts/verification.py): on, a new account stays inactive
# until its owner follows the link emailed to them, within TTL seconds; off (the default), so a
# fresh server with no mail set up still signs people in at once. Links asked for again are
# counted per client address like password-reset emails.
COLLAB_SIGNUP_VERIFY_EMAIL = env_bool("COLLAB_SIGNUP_VERIFY_EMAIL", False)
COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS = env_int(
    "COLLAB_SIGNUP_VERIFY_EMAIL_TTL_SECONDS", 3 * 24 * 3600
)

# --- Single sign-on with OpenID Connect (rooms/accounts/sso/, docs/accounts.md) -----------
# On when OIDC_RP_CLIENT_ID is set. The provider's endpoints come from its discovery document
# (OIDC_OP_ISSUER + /.well-known/openid-configuration, read at the first sign-in), and each
# OIDC_OP_*_ENDPOINT set here overrides what discovery says. mozilla-django-oidc reads the
# OIDC_* names itself.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "").rstrip("/")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
# The provider's end_session_endpoint: sign-out ends the provider's session there too.
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_OP_LOGOUT_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
OIDC_USE_PKCE = True
# Kept in the session for the provider's sign-out (id_token_hint).
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso-callback"
COLLAB_SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
if COLLAB_SSO_ENABLED and not (OIDC_OP_ISSUER or OIDC_OP_AUTHORIZATION_ENDPOINT):
    raise ImproperlyConfigured("OIDC_RP_CLIENT_ID needs OIDC_OP_ISSUER or the OIDC_OP_* endpoints.")
# The sign-in page's button reads "Sign in with <this>".
COLLAB_SSO_PROVIDER_NAME = os.environ.get("COLLAB_SSO_PROVIDER_NAME", "single sign-on")
# Sign-in only through the provider: the password form, sign-up, password reset and
# POST /api/v1/auth/token with a password are refused (API tokens keep working). Superusers
# keep password sign-in on the admin's login page unless COLLAB_SSO_ONLY_ADMIN_PASSWORD is off.
COLLAB_SSO_ONLY = env_bool("COLLAB_SSO_ONLY", False)
COLLAB_SSO_ONLY_ADMIN_PASSWORD = env_bool("COLLAB_SSO_ONLY_ADMIN_PASSWORD", True)
if COLLAB_SSO_ONLY and not COLLAB_SSO_ENABLED:
    raise ImproperlyConfigured("COLLAB_SSO_ONLY needs single sign-on (OIDC_RP_CLIENT_ID).")
# Before ModelBackend: refuses password sign-in while COLLAB_SSO_ONLY is on.
AUTHENTICATION_BACKENDS.insert(1, "rooms.accounts.sso.backends.SsoOnlyPasswordGuard")
if COLLAB_SSO_ENABLED:
    AUTHENTICATION_BACKENDS.append("rooms.accounts.sso.backends.SsoBackend")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "collab@localhost")

# --- REST API -----------------------------------------------------------------------------
REST_FRAMEWORK: dict[str, Any] = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rooms.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "rooms.api.token_limits.TokenLimits",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rooms.core.api_parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "rooms.core.api_schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "rooms.core.api_errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )
SPECTACULAR_SETTINGS = {
    "TITLE": "Collab API",
    "DESCRIPTION": "Rooms, members, invites, documents and chat of a Collab server.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Our PATCH bodies are validated as written (a rename needs its title), not as partials.
    "COMPONENT_SPLIT_PATCH": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Serve the interactive docs' scripts ourselves: a self-hosted server may have no internet.
    # Swagger UI only (/api/docs): Redoc injects inline styles the Content-Security-Policy
    # refuses, so it is not served.
    "SWAGGER_UI_DIST": "SIDECAR",
    "PREPROCESSING_HOOKS": ["rooms.core.api_paths.drop_slashed_duplicates"],
    # rooms.core.api_paths.IdConverter: a database id (a larger number is a 404).
    "PATH_CONVERTER_OVERRIDES": {"id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "DocumentKindEnum": "rooms.documents.models.DocumentKind",
        "MessageKindEnum": "rooms.chat.models.MessageKind",
        "VersionKindEnum": "rooms.documents.models.VersionKind",
        "RoleEnum": "rooms.membership.models.Role",
        "ShareLinkRoleEnum": "rooms.documents.models.ShareLinkRole",
        "WebhookEventEnum": "rooms.webhooks.models.WebhookEvent",
        "AnchorKindEnum": "rooms.comments.models.AnchorKind",
        "PresenceStatusEnum": "presence.registry_interface.STATUSES",
    },
}

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request without it
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
# The web app's built files (frontend/dist/app) carry Vite's content hash in their names, so
# browsers may keep them for good; a rebuild changes the names.
WHITENOISE_IMMUTABLE_FILE_TEST = r"^/static/app/[^/]+-[A-Za-z0-9_-]{8}\.(js|css)$"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))

# --- Production security ------------------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy (collab/security_headers.py) reports what it refuses here: the
# server's own endpoint logs each violation (collab/csp_reports.py); empty sends no reports.
COLLAB_CSP_REPORT_URI = os.environ.get("COLLAB_CSP_REPORT_URI", "/csp-report")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Operations: logs and metrics (rooms/core/request_context.py, rooms/core/metrics.py) ----------
# "json" writes one JSON object per log line with the request's or socket's id (request_id,
# connection_id); anything else keeps the human-readable text lines.
COLLAB_LOG_FORMAT = os.environ.get("COLLAB_LOG_FORMAT", "text").strip().lower()
# When set, GET /metrics needs "Authorization: Bearer <this>" (401 without); open otherwise.
COLLAB_METRICS_TOKEN = os.environ.get("COLLAB_METRICS_TOKEN", "")
# One INFO line per HTTP request on the "collab.access" logger (collab/http_observation.py);
# off where a proxy in front already logs every request.
COLLAB_ACCESS_LOG = env_bool("COLLAB_ACCESS_LOG", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "rooms.core.request_context.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "rooms.core.request_context.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if COLLAB_LOG_FORMAT == "json" else "plain",
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler would print its lines a second time, unformatted: its
        # lines go to the root's handler like everyone's.
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"level": "ERROR"},
        "collab.access": {"level": "INFO" if COLLAB_ACCESS_LOG else "WARNING"},
    },
}

# --- Access of open document sockets (rooms/sync/runtime.py, rooms/membership/) ---------
# A change of access made through the app (membership, role, lock, logout, token revocation)
# reaches open sockets at once (rooms/core/access_changes.py), or within the sync sweep (2 s)
# should its announcement be lost: it moves the access epoch. The access of every open socket
# is also re-read at least this often, for what changes with time alone (a session expiring)
# or behind the app's back (SQL by hand).
COLLAB_ACCESS_RECHECK_SECONDS = float(os.environ.get("COLLAB_ACCESS_RECHECK_SECONDS", "30"))

# --- The sync runtime's clocks (rooms/sync/runtime.py) -------------------------------------
# How often a process compares its open documents with the log (a dropped last message) and
# re-checks access when the access epoch moved.
COLLAB_SYNC_SWEEP_SECONDS = float(os.environ.get("COLLAB_SYNC_SWEEP_SECONDS", "2"))
# Awareness changes of a document go out together at most this often; renewals only (states
# unchanged) wait longer, so a document's keep-alives go out as one frame per socket.
COLLAB_AWARENESS_FLUSH_SECONDS = float(os.environ.get("COLLAB_AWARENESS_FLUSH_SECONDS", "0.05"))
COLLAB_AWARENESS_RENEWAL_FLUSH_SECONDS = float(
    os.environ.get("COLLAB_AWARENESS_RENEWAL_FLUSH_SECONDS", "5")
)
# Committed documents wait this long to be noted for webhooks' document.updated together (its
# debounce window is far longer), so that one query asks which of them a hook listens to.
COLLAB_WEBHOOK_NOTE_GATHER_SECONDS = float(
    os.environ.get("COLLAB_WEBHOOK_NOTE_GATHER_SECONDS", "0.5")
)

# --- Collab limits ------------------------------------------------------------------------
# Largest document-socket frame accepted, so the largest single edit (a paste of about 3 MB of
# text); 4413 past it. Daphne's own cap sits 1 MiB above (collab/webserver/process.py), 1009
# past that.
COLLAB_MAX_FRAME_BYTES = env_int("COLLAB_MAX_FRAME_BYTES", 4 * 1024 * 1024)
COLLAB_MAX_AWARENESS_STATE_BYTES = env_int("COLLAB_MAX_AWARENESS_STATE_BYTES", 16_384)
# Updates and awareness frames per second per document socket, in bursts of BURST: past them
# the socket's frames wait (the server stops reading it), and a socket kept over its rate
# continuously for COLLAB_MAX_THROTTLED_SECONDS is closed with 1013 (try again later).
COLLAB_MAX_UPDATES_PER_SECOND = env_int("COLLAB_MAX_UPDATES_PER_SECOND", 60)
COLLAB_UPDATE_BURST = env_int("COLLAB_UPDATE_BURST", 2 * COLLAB_MAX_UPDATES_PER_SECOND)
COLLAB_MAX_AWARENESS_PER_SECOND = env_int("COLLAB_MAX_AWARENESS_PER_SECOND", 30)
COLLAB_AWARENESS_BURST = env_int("COLLAB_AWARENESS_BURST", 2 * COLLAB_MAX_AWARENESS_PER_SECOND)
COLLAB_MAX_THROTTLED_SECONDS = float(os.environ.get("COLLAB_MAX_THROTTLED_SECONDS", "120"))
# Past this a document socket is closed with 1013 (try again later); 4413 for the document size.
COLLAB_MAX_CONNECTIONS_PER_DOCUMENT = env_int("COLLAB_MAX_CONNECTIONS_PER_DOCUMENT", 1_000)
# Documents one Hocuspocus socket may have open; past it a document is denied.
COLLAB_HOCUSPOCUS_MAX_DOCUMENTS_PER_SOCKET = env_int(
    "COLLAB_HOCUSPOCUS_MAX_DOCUMENTS_PER_SOCKET", 100
)
# The room socket (chat and presence): largest JSON frame (4413 past it) and frames per second
# per connection, in bursts of twice that (1013 past it).
COLLAB_MAX_ROOM_FRAME_BYTES = env_int("COLLAB_MAX_ROOM_FRAME_BYTES", 128 * 1024)
COLLAB_MAX_ROOM_FRAMES_PER_SECOND = env_int("COLLAB_MAX_ROOM_FRAMES_PER_SECOND", 20)
COLLAB_MAX_DOCUMENT_BYTES = env_int("COLLAB_MAX_DOCUMENT_BYTES", 64 * 1024 * 1024)
# A document's log is merged into its state past this many updates (and when it closes).
COLLAB_COMPACT_AFTER_UPDATES = env_int("COLLAB_COMPACT_AFTER_UPDATES", 500)
# Automatic versions: one once typing has stopped for IDLE seconds, and at least every MAX
# seconds while it goes on (looked for every COLLAB_SNAPSHOT_SCHEDULE_SECONDS).
COLLAB_AUTO_VERSION_IDLE_SECONDS = env_int("COLLAB_AUTO_VERSION_IDLE_SECONDS", 60)
COLLAB_AUTO_VERSION_MAX_SECONDS = env_int("COLLAB_AUTO_VERSION_MAX_SECONDS", 300)
# An edit that leaves less than half of the text (characters) or shapes, and removes at least
# this many, keeps the content before it as a version. Live documents are checked for it at
# most every WIPE_CHECK seconds (the version is still the content just before the edit).
COLLAB_WIPE_MIN_REMOVED_CHARS = env_int("COLLAB_WIPE_MIN_REMOVED_CHARS", 20)
COLLAB_WIPE_MIN_REMOVED_SHAPES = env_int("COLLAB_WIPE_MIN_REMOVED_SHAPES", 2)
COLLAB_WIPE_CHECK_SECONDS = float(os.environ.get("COLLAB_WIPE_CHECK_SECONDS", "1.0"))
COLLAB_CONTENT_MAX_CHARS = env_int("COLLAB_CONTENT_MAX_CHARS", 200_000)
# The largest Markdown, HTML or DOCX file that may be imported as a document (413 past it).
COLLAB_IMPORT_MAX_BYTES = env_int("COLLAB_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
COLLAB_ROOM_NAME_MAX = 100
COLLAB_DOCUMENT_TITLE_MAX = 200
COLLAB_MESSAGE_MAX_LENGTH = env_int("COLLAB_MESSAGE_MAX_LENGTH", 10_000)
# Arrays and objects in a JSON request body may nest this deep (400 nesting_too_deep past it).
COLLAB_API_JSON_MAX_DEPTH = env_int("COLLAB_API_JSON_MAX_DEPTH", 64)
# The longest comment on a document, in characters (400 ``max_length`` past it).
COLLAB_COMMENT_MAX_LENGTH = env_int("COLLAB_COMMENT_MAX_LENGTH", 5_000)
# Chat sends, edits and reactions per user, counted in the cache (Redis when configured) so
# the limit holds across processes: COLLAB_MESSAGE_BURST within each window of
# BURST / RATE seconds, which averages RATE a second; past it a 429 (rate_limited).
COLLAB_MESSAGE_RATE_PER_SECOND = env_int("COLLAB_MESSAGE_RATE_PER_SECOND", 10)
COLLAB_MESSAGE_BURST = env_int("COLLAB_MESSAGE_BURST", 20)
# How many of the newest messages the room socket sends when it opens; older ones over REST.
COLLAB_MESSAGE_HISTORY_ON_JOIN = env_int("COLLAB_MESSAGE_HISTORY_ON_JOIN", 50)
# Images in documents: the largest upload in bytes (413 image_too_large) and in pixels, all
# frames counted (413 image_too_many_pixels: a small file can decode to gigabytes), and the
# widest display rendition made at upload (the original is kept as it came).
COLLAB_MAX_IMAGE_BYTES = env_int("COLLAB_MAX_IMAGE_BYTES", 10 * 1024 * 1024)
COLLAB_MAX_IMAGE_PIXELS = env_int("COLLAB_MAX_IMAGE_PIXELS", 50_000_000)
COLLAB_IMAGE_DISPLAY_MAX_WIDTH = env_int("COLLAB_IMAGE_DISPLAY_MAX_WIDTH", 1600)
# Font files a document's PDF export falls back to for characters its embedded DejaVu fonts
# lack, in order ("path" or "path#face" in a .ttc); files not on the machine are skipped.
# Defaults: Debian's fonts-noto-cjk (CJK) and fonts-symbola (monochrome emoji), in the image.
COLLAB_PDF_FALLBACK_FONTS = env_list(
    "COLLAB_PDF_FALLBACK_FONTS",
    [
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#0",
        "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    ],
)
# Chat attachments: largest upload (413 past it) and the content types accepted (415 for
# others). Downloads are always served as attachments with nosniff, never rendered inline.
COLLAB_ATTACHMENT_MAX_BYTES = env_int("COLLAB_ATTACHMENT_MAX_BYTES", 25 * 1024 * 1024)
COLLAB_ATTACHMENT_CONTENT_TYPES = env_list(
    "COLLAB_ATTACHMENT_CONTENT_TYPES",
    [
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "application/pdf",
        "text/plain",
        "text/csv",
        "text/markdown",
        "application/json",
        "application/zip",
        "application/gzip",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
        "video/webm",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
    ],
)
COLLAB_INVITE_DEFAULT_TTL_SECONDS = env_int("COLLAB_INVITE_DEFAULT_TTL_SECONDS", 7 * 24 * 3600)

# --- Search (rooms/search/services.py, rooms/search/live_indexer.py) ------------------------
# A live document's search text is re-indexed at most this often while it is being edited
# (and once more when its last client leaves); searches re-index stale rows themselves, so a
# search never waits for this. Each index write competes with commits for the database (on
# SQLite for its one write lock): at 2 s, 100 documents being edited cost 50 writes a second.
COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS = float(
    os.environ.get("COLLAB_SEARCH_INDEX_DEBOUNCE_SECONDS", "30")
)
# Mentions in documents are looked for this long after a document's first edit of a spell.
COLLAB_DOCUMENT_MENTION_DELAY_SECONDS = float(
    os.environ.get("COLLAB_DOCUMENT_MENTION_DELAY_SECONDS", "5")
)

# --- Notifications and maintenance (rooms/notifications/, rooms/maintenance.py) -----------
# An unread notification not yet emailed is sent, batched with the user's other pending ones,
# in one email DELAY seconds after it was made; the sweep catches any whose check was lost.
COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS = env_int("COLLAB_NOTIFICATION_EMAIL_DELAY_SECONDS", 600)
COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS = env_int("COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS", 300)
# Links in emails start with this address.
COLLAB_PUBLIC_URL = os.environ.get("COLLAB_PUBLIC_URL", "http://localhost:8000")
if "EMAIL_FILE_PATH" in os.environ:  # for the file-based email backend
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
# For EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Retention before maintenance deletes for good: soft-deleted messages (their tombstones with no
# replies; see rooms/maintenance.py), soft-deleted rooms, attachments no message
# uses, and invites past their expiry.
COLLAB_MESSAGE_RETENTION_SECONDS = env_int("COLLAB_MESSAGE_RETENTION_SECONDS", 30 * 24 * 3600)
COLLAB_ROOM_RETENTION_SECONDS = env_int("COLLAB_ROOM_RETENTION_SECONDS", 30 * 24 * 3600)
COLLAB_ATTACHMENT_RETENTION_SECONDS = env_int("COLLAB_ATTACHMENT_RETENTION_SECONDS", 24 * 3600)
COLLAB_INVITE_RETENTION_SECONDS = env_int("COLLAB_INVITE_RETENTION_SECONDS", 7 * 24 * 3600)
# How often beat runs each job (seconds).
COLLAB_COMPACT_SCHEDULE_SECONDS = env_int("COLLAB_COMPACT_SCHEDULE_SECONDS", 300)
COLLAB_SNAPSHOT_SCHEDULE_SECONDS = env_int("COLLAB_SNAPSHOT_SCHEDULE_SECONDS", 15)
COLLAB_VERSION_THIN_SCHEDULE_SECONDS = env_int("COLLAB_VERSION_THIN_SCHEDULE_SECONDS", 3600)
COLLAB_PURGE_SCHEDULE_SECONDS = env_int("COLLAB_PURGE_SCHEDULE_SECONDS", 3600)
CELERY_BEAT_SCHEDULE["compact-large-logs"]["schedule"] = float(COLLAB_COMPACT_SCHEDULE_SECONDS)
CELERY_BEAT_SCHEDULE["snapshot-edited-documents"]["schedule"] = float(
    COLLAB_SNAPSHOT_SCHEDULE_SECONDS
)
# A sweep queued while no worker ran is pointless once the next one is due.
CELERY_BEAT_SCHEDULE["snapshot-edited-documents"]["options"] = {
    "expires": float(COLLAB_SNAPSHOT_SCHEDULE_SECONDS)
}
CELERY_BEAT_SCHEDULE["thin-versions"]["schedule"] = float(COLLAB_VERSION_THIN_SCHEDULE_SECONDS)
CELERY_BEAT_SCHEDULE["email-due-notifications"] = {
    "task": "rooms.notifications.tasks.email_due_notifications",
    "schedule": float(COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS),
    "options": {"expires": float(COLLAB_NOTIFICATION_EMAIL_SWEEP_SECONDS)},
}
CELERY_BEAT_SCHEDULE["purge-expired"] = {
    "task": "rooms.tasks.purge_expired",
    "schedule": float(COLLAB_PURGE_SCHEDULE_SECONDS),
    "options": {"expires": float(COLLAB_PURGE_SCHEDULE_SECONDS)},
}

# --- Webhooks -----------------------------------------------------------------------------
# Outgoing hooks may only reach public addresses (checked at creation and before each
# delivery); set this where receivers live on a private network, and in tests.
COLLAB_WEBHOOKS_ALLOW_PRIVATE = env_bool("COLLAB_WEBHOOKS_ALLOW_PRIVATE", False)
# Seconds a delivery's address lookup may take, and then its whole exchange (connecting,
# sending, the answer's headers and body), before the attempt counts as failed.
COLLAB_WEBHOOK_TIMEOUT_SECONDS = env_int("COLLAB_WEBHOOK_TIMEOUT_SECONDS", 10)
# Waits in seconds before each retry of a failed delivery, after which it is given up: 11
# attempts over about a day by default.
COLLAB_WEBHOOK_RETRY_DELAYS = [
    int(delay)
    for delay in env_list(
        "COLLAB_WEBHOOK_RETRY_DELAYS",
        ["10", "60", "300", "900", "1800", "3600", "7200", "14400", "28800", "28800"],
    )
]
# Retries due within this many seconds are queued with a countdown; later ones are queued by
# the periodic sweep (brokers hold countdown tasks in the worker's memory).
COLLAB_WEBHOOK_COUNTDOWN_MAX_SECONDS = env_int("COLLAB_WEBHOOK_COUNTDOWN_MAX_SECONDS", 300)
# A hook whose last this-many attempts all failed is disabled and the room's owners notified.
COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES = env_int("COLLAB_WEBHOOK_DISABLE_AFTER_FAILURES", 25)
# At most one document.updated per document per this many seconds.
COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS = env_int("COLLAB_WEBHOOK_DOCUMENT_DEBOUNCE_SECONDS", 30)
COLLAB_WEBHOOK_SWEEP_SECONDS = env_int("COLLAB_WEBHOOK_SWEEP_SECONDS", 60)
CELERY_BEAT_SCHEDULE["webhook-deliveries-due"] = {
    "task": "rooms.webhooks.tasks.webhook_deliveries_due",
    "schedule": float(COLLAB_WEBHOOK_SWEEP_SECONDS),
    "options": {"expires": float(COLLAB_WEBHOOK_SWEEP_SECONDS)},
}
