"""Settings for the test suite: fast hashing, mail kept in memory."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"  # noqa: S105
# django-axes stays on: its backend needs the request, so tests log in with
# client.force_login() or by POSTing the login form, not client.login().
# The suite signs staff in with a password only (tests/admin_helpers.login,
# client.force_login); tests/test_security_two_factor.py turns the second
# factor on, as in production, and checks that it guards every staff URL.
NEWSROOM_2FA_REQUIRED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Mail goes out in the committing thread, so tests read it from mail.outbox.
NEWSROOM_MAIL_SEND_AFTER_COMMIT = "inline"
NEWSROOM_SITE_URL = "https://breves.example.org"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# One process: its memory is the shared cache (tests/test_processes.py runs
# the real default, the database's cache, across processes).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom-tests",
        "KEY_FUNCTION": "briefs.public.freshness.cache_key",
    }
}
NEWSROOM_SINGLE_PROCESS = True
