"""Production overlay: every secret and address comes from the environment, or we refuse to start."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_list

REQUIRED = ["SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"]
missing = [name for name in REQUIRED if not os.environ.get(name)]
if missing:
    raise ImproperlyConfigured(f"Missing required environment variables: {', '.join(missing)}")

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# A local-memory cache is one process's own: a change seen by one process would not reach the pages and roles
# kept by another (a role revoked would still count there), so without Redis nothing is kept.
if not REDIS_URL:  # noqa: F405
    HOME_CACHE_SECONDS = 0
    ROLES_KEPT_SECONDS = 0
# Never relaxed in production, whatever the environment says.
TWO_FACTOR_ENFORCED = True
