"""Print a session cookie of a benchmark superuser (for timing the admin)."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Create the bench-admin superuser and print a Cookie header value."

    def handle(self, *args, **options):
        user, _ = get_user_model().objects.get_or_create(
            username="bench-admin",
            defaults={"is_staff": True, "is_superuser": True},
        )
        if not user.has_usable_password():
            user.set_unusable_password()
            user.save()
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        # The first backend that can load a user (django-axes' backend, listed
        # first, only guards logins).
        store[BACKEND_SESSION_KEY] = next(
            path
            for path in settings.AUTHENTICATION_BACKENDS
            if hasattr(import_string(path), "get_user")
        )
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        self.stdout.write(f"{settings.SESSION_COOKIE_NAME}={store.session_key}")
