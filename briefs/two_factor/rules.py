"""Who must pass a second factor, and which step a signed-in user still owes."""

from __future__ import annotations

import enum

from django.conf import settings
from django_otp import user_has_device

# Either permission lets its holder put a text in front of readers.
PUBLISHING_PERMISSIONS = ("briefs.review_variant", "briefs.publish_variant")


class Step(enum.StrEnum):
    """What stands between a signed-in user and the staff pages."""

    VERIFY = "verify"
    ENROL = "enrol"


def must_verify(user) -> bool:
    """Whether ``user`` must pass a second factor before any staff page."""
    if not user.is_authenticated:
        return False
    # Whoever enrolled uses it, whatever their role and the setting.
    if user_has_device(user):
        return True
    return bool(settings.NEWSROOM_2FA_REQUIRED) and (
        user.is_superuser
        or any(user.has_perm(permission) for permission in PUBLISHING_PERMISSIONS)
    )


def pending_step(user) -> Step | None:
    """The second-factor step ``user`` still owes in this session, if any."""
    if not user.is_authenticated or _is_verified(user) or not must_verify(user):
        return None
    return Step.VERIFY if user_has_device(user) else Step.ENROL


def _is_verified(user) -> bool:
    # django-otp's middleware adds is_verified() to the request's user.
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
