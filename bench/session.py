"""Print a session cookie of a benchmark superuser (for timing the admin).

Benchmark-only: not a command of the app, and it refuses any database but a
benchmark one (``make bench`` sets NEWSROOM_BENCH_DATABASE to the database
it built), so that no deployment can be given a superuser session this way.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module


def main() -> int:
    """Create the bench-admin superuser and print a Cookie header value."""
    from bench import setup_django

    setup_django()
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.utils.module_loading import import_string

    expected = os.environ.get("NEWSROOM_BENCH_DATABASE", "")
    if not expected or os.environ.get("DATABASE_URL") != expected:
        print(
            "Refused: only for the benchmark's own database "
            "(NEWSROOM_BENCH_DATABASE must equal DATABASE_URL).",
            file=sys.stderr,
        )
        return 2
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin",
        defaults={"is_staff": True, "is_superuser": True},
    )
    if user.has_usable_password():
        user.set_unusable_password()
        user.save()
    # Production settings require a second factor of a superuser: the
    # session is one that passed it, with a confirmed authenticator.
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # The first backend that can load a user (django-axes' backend, listed
    # first, only guards logins).
    store[BACKEND_SESSION_KEY] = next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if hasattr(import_string(path), "get_user")
    )
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    print(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
