"""Site settings, read from `YASP_SITE_*` environment variables (MongoDB comes from YASP_*)."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tasks.config import settings as yasp_settings

SITE_DIR = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(f"YASP_SITE_{name}", default)


def _env_bool(name: str, default: bool = False) -> bool:
    return _env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


DEBUG = _env_bool("DEBUG")
SECRET_KEY = _env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("set YASP_SITE_SECRET_KEY (or YASP_SITE_DEBUG=1 locally)")
    SECRET_KEY = "insecure-local-development-key"
ALLOWED_HOSTS = [h.strip() for h in _env("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "yasp_web.players",
    "yasp_web.matches",
    "yasp_web.accounts",
    "yasp_web.status",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yasp_web.headers.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "yasp_web.urls"
WSGI_APPLICATION = "yasp_web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "yasp_web.accounts.context.signed_in_player",
            ]
        },
    }
]

# Django's own database holds sessions only; match data lives in MongoDB.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": _env("SQLITE", str(yasp_settings().home / "site.sqlite3")),
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if _env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

STATIC_URL = "/static/"
STATICFILES_DIRS = [SITE_DIR / "static"]
STATIC_ROOT = Path(_env("STATIC_ROOT", str(yasp_settings().home / "static")))
STORAGES = {
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if _env_bool("MANIFEST_STATIC", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
}
WHITENOISE_USE_FINDERS = DEBUG

USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Steam sign-in (OpenID 2.0): Steam's endpoint unless a stand-in is configured.
OPENID_ENDPOINT = _env("OPENID_ENDPOINT", "https://steamcommunity.com/openid/login")
OPENID_TIMEOUT_S = float(_env("OPENID_TIMEOUT", "10"))

# Request-a-parse: requests per requester (signed-in account, else IP) per hour.
PARSE_REQUESTS_PER_HOUR = int(_env("PARSE_REQUESTS_PER_HOUR", "10"))
# Prefect deployment run for each request ("flow-name/deployment-name"); needs PREFECT_API_URL.
PARSE_DEPLOYMENT = _env("PARSE_DEPLOYMENT")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": _env("LOG_LEVEL", "INFO")},
}
