"""mediaportal settings: everything a deployment changes comes from environment variables.

The embedded default needs nothing but Python (SQLite, django-q2's ORM broker, a file-backed
channel layer); REDIS_URL and DATABASE_URL switch to the scale-out profile.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from mediaportal.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("MEDIAPORTAL_DATA_DIR") or BASE_DIR / "var").resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """A SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    if key := env_str("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        # O_EXCL: two processes starting at once must not write two different keys.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(50))
    key = path.read_text().strip()
    if not key:
        raise ImproperlyConfigured(f"{path} is empty; delete it or set SECRET_KEY")
    return key


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", ["http://127.0.0.1:8000", "http://localhost:8000"])
REDIS_URL = env_str("REDIS_URL")
WORKERS = env_int("MEDIAPORTAL_WORKERS", os.cpu_count() or 1, minimum=1)
FFMPEG_BINARY = env_str("FFMPEG_BINARY") or None
MEDIA_ROOT = DATA_DIR / "media"
# Limits (per-user overrides live in accounts.UserSettings, editable in the admin).
MAX_UPLOAD_MB = env_int("MEDIAPORTAL_MAX_UPLOAD_MB", 20 * 1024, minimum=1)
QUOTA_MB = env_int("MEDIAPORTAL_QUOTA_MB", 50 * 1024, minimum=0)
MAX_JOBS_PER_USER = env_int("MEDIAPORTAL_MAX_JOBS_PER_USER", 1, minimum=1)
MAX_STREAMS_PER_USER = env_int("MEDIAPORTAL_MAX_STREAMS_PER_USER", 2, minimum=1)
MAX_STREAMS = env_int("MEDIAPORTAL_MAX_STREAMS", 4, minimum=1)
UPLOAD_EXPIRY_HOURS = env_int("MEDIAPORTAL_UPLOAD_EXPIRY_HOURS", 24, minimum=1)
MEDIAPORTAL_DEFAULT_PRESET = env_str("MEDIAPORTAL_DEFAULT_PRESET", "h264-720p")
# A running job whose worker has not written a heartbeat for this long is re-queued.
ENCODING_STALE_SECONDS = env_int("MEDIAPORTAL_ENCODING_STALE_SECONDS", 30, minimum=5)
# ffmpeg printing no progress for this long is killed and the job failed ("stalled").
ENCODING_STALL_SECONDS = env_int("MEDIAPORTAL_ENCODING_STALL_SECONDS", 600, minimum=10)
STREAM_STALL_SECONDS = env_int("MEDIAPORTAL_STREAM_STALL_SECONDS", 20, minimum=5)
# A looping stream stops itself after this long (the stream workers' hard timeout is a bit later).
STREAM_MAX_SECONDS = env_int("MEDIAPORTAL_STREAM_MAX_HOURS", 24, minimum=1) * 3600
# Stream keys are encrypted at rest with a key derived from this (default: SECRET_KEY).
FIELD_ENCRYPTION_KEY = env_str("MEDIAPORTAL_FIELD_KEY")
MEDIA_URL = "/media-not-served/"  # files go out only through access-checked download views

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_q",
    "channels",
    "axes",
    "mediaportal",
    "accounts",
    "library",
    "encoding",
    "streaming",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised in authenticate() into a response.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "mediaportal.urls"
WSGI_APPLICATION = "mediaportal.wsgi.application"
ASGI_APPLICATION = "mediaportal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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

_SQLITE_PATH = DATA_DIR / "db.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(env_str("DATABASE_URL") or f"sqlite:///{_SQLITE_PATH}", conn_max_age=0)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web process and several worker processes write to one file: WAL lets readers go on while
    # one writes, IMMEDIATE takes the write lock up front so transactions queue instead of
    # failing with "database is locked" halfway through.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so worker processes started by tests see the same test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
else:
    # Shared by web and worker processes, unlike LocMemCache: django-q2's ORM broker needs it.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(DATA_DIR / "cache")}
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "mediaportal.channel_layer.SQLiteChannelLayer",
            "CONFIG": {"path": str(DATA_DIR / "events.sqlite3")},
        }
    }

# Encodes can take hours; django-q2 requires timeout < retry or a task runs twice.
TASK_TIMEOUT = env_int("MEDIAPORTAL_TASK_TIMEOUT", 6 * 3600, minimum=60)
Q_CLUSTER = {
    "name": "mediaportal",
    "workers": WORKERS,
    "timeout": TASK_TIMEOUT,
    "retry": TASK_TIMEOUT + 600,
    "max_attempts": 1,
    "catch_up": False,
    "ack_failures": True,
    "save_limit": 500,
    "poll": 0.5,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Throttle password guessing: 5 failures for one username from one address lock it for 15 min.
AXES_FAILURE_LIMIT = env_int("MEDIAPORTAL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "mediaportal.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "mediaportal.api_errors.exception_handler",
    # Generous for users: every tus chunk and every progress poll is a request.
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle", "rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": env_str("MEDIAPORTAL_ANON_RATE", "120/min"),
                               "user": env_str("MEDIAPORTAL_USER_RATE", "3000/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mediaportal API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Separate request and response components, so write-only fields (password, stream_key) are
    # not promised in responses and read-only ones are not asked for in requests.
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation also documents the one error body (mediaportal/api_schema.py).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "mediaportal.api_schema.document_errors"],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Serve straight from the app folders so DEBUG on and off look the same with no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
