"""Production: refuses to start without the secrets and hosts that only the deployment knows."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY deve essere impostata in produzione.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS deve essere impostata in produzione.")

# Behind a TLS proxy (README, "Deploy"): the proxy terminates HTTPS and redirects HTTP, so
# SECURE_SSL_REDIRECT may be off; Django learns that a request was HTTPS only from a header
# that the proxy sets and strips from clients, trusted only when TRUST_X_FORWARDED_PROTO says so.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", False)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Cookies only over HTTPS. SECURE_COOKIES=false is for a local trial over plain HTTP (a
# browser drops Secure cookies from http:// on any host but localhost, so login fails there).
SECURE_COOKIES = env_bool("SECURE_COOKIES", True)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
# Hashed names and a manifest, made by collectstatic at image build: a CSS reference to a missing
# file fails the build, a template naming a file the manifest lacks is an error (never served
# unhashed). Only the hashed copies are kept, and so compressed (brotli: half the build time).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
