"""Django settings, read from ``PACESETTER_*`` environment variables (see README).

``PACESETTER_ENV=production`` switches to production: DEBUG off, secure cookies, HSTS,
and a secret key and allowed hosts that must be given explicitly.
"""

from __future__ import annotations

import os
from pathlib import Path

from pacesetter import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PACESETTER_VAR_DIR", BASE_DIR / "var")).resolve()

ENV = config.env_choice("ENV", "development", ("development", "production"))
PRODUCTION = ENV == "production"

DEBUG = config.env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = config.secret_key(VAR_DIR, generate=not PRODUCTION)
ALLOWED_HOSTS = config.env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise config.ConfigError(
        "PACESETTER_ALLOWED_HOSTS is required in production (comma-separated host names)"
    )
if PRODUCTION:  # no debug mode, no wildcard host (a weak secret key is refused above)
    config.production_refusals(debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)
CSRF_TRUSTED_ORIGINS = config.env_list("CSRF_TRUSTED_ORIGINS", [])

DATABASES = {
    "default": config.database_from_url(
        config.env_str("DATABASE_URL", f"sqlite:///{VAR_DIR}/pacesetter.sqlite3"), BASE_DIR
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Work off the request path (imports started on the web, recounts, awards, digests) are tasks
# kept in the database and run by `pacesetter worker` (`make run` starts one).
# PACESETTER_TASKS=immediate runs them at once, in the request, with no worker.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[config.env_choice("TASKS", "database", ("database", "immediate"))],
        "QUEUES": ["default"],
    }
}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "pacesetter.jobs",
    "pacesetter.org",
    "pacesetter.ledger",
    "pacesetter.integrations",  # live CRM sync (connectors)
    "pacesetter.metrics",
    "pacesetter.goals",
    "pacesetter.tracking",
    "pacesetter.coaching",
    "pacesetter.rewards",
    "pacesetter.notifications",
    "pacesetter.hooks",
    "pacesetter.api",  # the JSON API (django-ninja), personal access tokens
    "pacesetter.web",
    "pacesetter.sso",
    "pacesetter.console",
    "ninja",  # the API docs: Swagger UI from our own static files, not a CDN
]
# The demo org and the scale benchmark (``pacesetter demo``, ``pacesetter bench``) are tools
# for trying and measuring Pacesetter: installed in development, in production only when
# asked for with PACESETTER_DEMO_APPS=1.
DEMO_APPS = config.env_bool("DEMO_APPS", not PRODUCTION)
if DEMO_APPS:
    INSTALLED_APPS += ["pacesetter.demo", "pacesetter.bench"]

MIDDLEWARE = [
    "pacesetter.web.middleware.server_timing",  # Server-Timing: the app's time, page cache
    "django.middleware.security.SecurityMiddleware",
    "pacesetter.web.busy.DatabaseBusyMiddleware",  # "database is locked": 503, Retry-After
    "pacesetter.web.middleware.content_security_policy",  # CONTENT_SECURITY_POLICY below
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pacesetter.web.middleware.data_version_first",  # what is kept is kept under it
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "pacesetter.web.sessions.KeptUserMiddleware",  # Django's, the user kept (web/sessions.py)
    "pacesetter.web.middleware.first_run",  # no org yet: home and login lead to /setup/
    "pacesetter.web.middleware.org_time_zone",  # dates and times shown in the org's zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pacesetter.urls"
WSGI_APPLICATION = "pacesetter.wsgi.application"

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
                "django.template.context_processors.i18n",
                "pacesetter.web.context_processors.navigation",
                "pacesetter.web.context_processors.notifications",
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
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for an hour. The first backend checks the lockout;
# the second checks the password.
AUTHENTICATION_BACKENDS = [
    "pacesetter.web.throttling.LoginThrottleBackend",
    "pacesetter.sso.backends.PasswordBackend",  # ModelBackend, off with PASSWORD_LOGIN=0
    "pacesetter.sso.backends.OidcBackend",  # single sign-on, when SSO is set up
]
AXES_FAILURE_LIMIT = config.env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Times are stored in UTC; each org shows them in its own zone (OrgSettings.time_zone).
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "pacesetter" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Numbers people read are written by pacesetter.presentation (or floatformat:"2g"), grouped
# by thousands in both languages: locale/zh_Hans/formats.py makes Chinese 13,150,000.00 too.
# Django does not group every number a template prints (USE_THOUSAND_SEPARATOR stays off):
# years, ids and form values must stay plain. NUMBER_GROUPING is the grouping used when no
# language is active.
FORMAT_MODULE_PATH = ["pacesetter.locale"]
USE_THOUSAND_SEPARATOR = False
NUMBER_GROUPING = 3

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

_email = config.email_settings()
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
DEFAULT_FROM_EMAIL = SERVER_EMAIL = _email.sender
# Notifications posted to chat (pacesetter.notifications): incoming webhooks, secrets.
_chat = config.chat_webhooks()
SLACK_WEBHOOK_URL = _chat.slack
TEAMS_WEBHOOK_URL = _chat.teams
# The site's address for links in e-mails and chat messages (https://pacesetter.example.com).
SITE_URL = config.env_str("SITE_URL", "").rstrip("/")
# The JSON API: requests a minute per token (or per user, from the browser); 0: no limit.
API_RATE_LIMIT = config.env_int("API_RATE_LIMIT", 600)

# Org-wide progress judges its (metric, period) blocks in this many threads, each with its
# own database connection, outside a transaction (tracking/org_progress.py); 1: one thread.
PROGRESS_THREADS = max(config.env_int("PROGRESS_THREADS", 2), 1)

# The busiest pages, kept until the data changes (web/page_cache.py): entries, and where.
# In a directory every server process shares (a page one worker computed, the others serve);
# PACESETTER_PAGE_CACHE_DIR="" keeps them in each process's memory instead.
PAGE_CACHE_ENTRIES = max(config.env_int("PAGE_CACHE", 200), 0)
PAGE_CACHE_DIR = config.env_str("PAGE_CACHE_DIR", str(VAR_DIR / "page-cache"))
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache"
        if PAGE_CACHE_DIR
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": PAGE_CACHE_DIR or "pages",
        "TIMEOUT": 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": max(PAGE_CACHE_ENTRIES, 1)},
    },
}
# Single sign-on with OpenID Connect (pacesetter.sso): PACESETTER_OIDC_*, None when not set
# up. PACESETTER_PASSWORD_LOGIN=0 leaves only the identity provider's button.
SSO = config.oidc_settings()
PASSWORD_LOGIN = config.password_login(SSO)

SESSION_ENGINE = "pacesetter.web.sessions"  # database sessions, reads kept (web/sessions.py)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# A form sent with an expired token: the 403 page with the navigation, not a bare one.
CSRF_FAILURE_VIEW = "pacesetter.web.views.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our static files (htmx, web/static/web/pacesetter.js): no inline script
# or on…= handler runs. Inline style attributes stay allowed (the bars' widths use them).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = config.env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = config.env_int("HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = config.env_bool("HSTS_PRELOAD", True)
    if config.env_bool("BEHIND_PROXY", False):
        # Only when a proxy that sets this header stands in front (it strips clients' copies).
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": config.env_str("LOG_LEVEL", "INFO")},
    # django-axes logs every successful login at INFO; lockouts and failures still show.
    "loggers": {"axes": {"level": "WARNING"}},
}
