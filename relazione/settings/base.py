"""Settings shared by every environment; each value that differs per deployment comes from the
environment (cookiecutter-django style), so the same code runs the demo, CI and production."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "axes",
    "simple_history",
    "django_tasks_db",  # the task queue's table (app label django_tasks_database)
    "core",
    "relazione",
    "objectives",
    "indicators",
    "dashboards",
    "finance",
    "staff",
    "resources",
    "narratives",
    "accounts",
    "consistency",
    "public",
    "reports",
    "workflow",
    "scale",
    "demo",  # the demo data and load_demo: at the top, no app imports it
]

MIDDLEWARE = [
    # First: /healthz answers before the host check, the HTTPS redirect and the session (the
    # container's HEALTHCHECK calls it on plain HTTP at 127.0.0.1).
    "relazione.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The body of the page, from the head of its address (before the views, after the user).
    "core.middleware.CurrentBodyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: locks out after repeated failed logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relazione.urls"
WSGI_APPLICATION = "relazione.wsgi.application"

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
                "relazione.context_processors.site",
                "relazione.context_processors.year_page",
                # `csp_nonce` for templates; unused while SECURE_CSP names no nonce (below).
                "django.template.context_processors.csp",
            ],
        },
    }
]

if "DATABASE_URL" not in os.environ:
    # Zero-setup demo: a SQLite file under var/ (ignored by git).
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # One writer at a time from the start of each transaction: a read-validate-write service
    # (e.g. the Excel import) can never have its rows changed under it, and SQLite never has
    # to upgrade a read lock (the source of "database is locked" errors under load).
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "it"
LANGUAGES = [("it", "Italiano")]
TIME_ZONE = "Europe/Rome"
USE_I18N = True
USE_TZ = True
# Italian formats (1.284, 98,77%, 30/06/2023) come from explicit filters (relazione_tags), so that
# years and ids never get a thousands separator ("2.023").
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media/"

LOGIN_URL = "login"
# After login each role lands on its own page (managers: their cruscotti in edit mode).
LOGIN_REDIRECT_URL = "workflow:home"
LOGOUT_REDIRECT_URL = "home"

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5.html"

# The public sites of Italian bodies run under a strict CSP: nothing from outside, no inline
# script. Plotly figures therefore travel as json_script data read by our own static JS.
# The one hash allowed in style-src is that of the EMPTY string: plotly.js creates an empty
# <style> element and fills it through the CSSOM (which CSP does not police); its rules are also
# served as static/vendor/plotly/plotly.css. No inline style with content can ever match it.
# The second is the fixed MapLibre stylesheet that the vendored plotly-strict bundle injects at
# load time (a library constant, checked by the browser tests; it changes only with plotly).
# Django's own CSP middleware sends it on every response.
# script-src deliberately names no CSP.NONCE: no template has an inline script (nor may one).
EMPTY_STYLE_HASH = "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
PLOTLY_MAPLIBRE_STYLE_HASH = "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, EMPTY_STYLE_HASH, PLOTLY_MAPLIBRE_STYLE_HASH, CSP.REPORT_SAMPLE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out person is refused before the password is even checked.
    "accounts.backends.AxesBackend",
    "accounts.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

# Django's database sessions, read by a query compiled once per process (accounts.sessions).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Uploads (Excel imports): bounded in memory; the workbook checks add their own limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Background work (the Relazione's PDF, notification e-mails) goes through Django's tasks
# framework, off the request path. Default: django-tasks-db, a queue in our own database worked
# by `manage.py db_worker` (`make run` starts one beside the web server). An installation that
# outgrows it sets TASKS_BACKEND=rq and REDIS_URL (pip install ".[rq]"; the worker is then
# `manage.py rqworker --job-class django_tasks_rq.Job default`). Anything else is refused.
TASKS_QUEUE = "default"
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [TASKS_QUEUE]}}
elif TASKS_BACKEND == "rq":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq richiede REDIS_URL (es. redis://redis:6379/0)."
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [TASKS_QUEUE]}}
    RQ_QUEUES = {TASKS_QUEUE: {"URL": os.environ["REDIS_URL"]}}
else:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND={TASKS_BACKEND!r} non previsto: usare 'database' (predefinito) o 'rq'."
    )

# Outgoing e-mail (django.contrib.auth's password reset). Django 6.1's MAILERS replaces the
# deprecated EMAIL_* settings; SMTP is configured from the environment.
SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_BACKEND_NAME = os.environ.get("EMAIL_BACKEND", SMTP_BACKEND)
MAILERS = {
    "default": {
        "BACKEND": EMAIL_BACKEND_NAME,
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("EMAIL_USE_TLS", False),
        }
        if EMAIL_BACKEND_NAME == SMTP_BACKEND
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "relazione@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

RELAZIONE = {
    "OPEN_DATA_LICENSE": os.environ.get("OPEN_DATA_LICENSE", "CC BY 4.0"),
}

# Public pages and open data are cached per year and publication version (public/cache.py):
# per-process memory by default, Redis shared by every worker when REDIS_URL is set.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
# Computed results keyed by a fingerprint of the data (e.g. the consistency counts).
CACHES["consistency"] = {**CACHES["default"], "KEY_PREFIX": "consistency"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
