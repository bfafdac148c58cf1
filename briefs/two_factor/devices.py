"""Authenticators and recovery codes: set up, confirm, check, renew, reset."""

from __future__ import annotations

import dataclasses
import enum
import logging
import re
from base64 import b32encode

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger("newsroom.security")

RECOVERY_CODE_COUNT = 10
_AUTHENTICATOR_CODE = re.compile(r"\d{6}")
# People copy codes as the app or the sheet shows them: "123 456", "abcd-efgh".
_SEPARATORS = re.compile(r"[\s-]+")


class Outcome(enum.Enum):
    """How a submitted code was received."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    # django-otp makes a device wait after failures; the code was not checked.
    THROTTLED = "throttled"


@dataclasses.dataclass(frozen=True)
class Verification:
    """The outcome of a code, with the device that accepted it."""

    outcome: Outcome
    device: TOTPDevice | StaticDevice | None = None
    recovery_codes: list[str] = dataclasses.field(default_factory=list)


def normalise_code(code: str) -> str:
    """The code without the spaces and dashes people type, in lower case."""
    return _SEPARATORS.sub("", code).lower()


def authenticator(*, user) -> TOTPDevice | None:
    """``user``'s confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(*, user) -> int:
    """How many unused recovery codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def pending_authenticator(*, user) -> TOTPDevice:
    """The authenticator being set up for ``user``: a secret awaiting its first code."""
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=_("Application d'authentification"), confirmed=False
        )
    return device


def readable_secret(device: TOTPDevice) -> str:
    """The device's secret in base32, by groups of four, to type by hand."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@transaction.atomic
def confirm_authenticator(*, user, code: str) -> Verification:
    """Confirm ``user``'s pending authenticator with its first code.

    It replaces any previous authenticator, and comes with new recovery codes.
    """
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        return Verification(Outcome.REFUSED)
    outcome = _check(device, normalise_code(code))
    if outcome is not Outcome.ACCEPTED:
        return Verification(outcome)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _renew_recovery_codes(user)
    logger.info("second factor enrolled: username=%r", user.get_username())
    return Verification(Outcome.ACCEPTED, device, codes)


@transaction.atomic
def verify_code(*, user, code: str) -> Verification:
    """Check a 6-digit authenticator code or a recovery code of ``user``.

    An authenticator code is refused if it was already used (django-otp keeps
    the last time step); a recovery code is deleted once used.
    """
    code = normalise_code(code)
    model = TOTPDevice if _AUTHENTICATOR_CODE.fullmatch(code) else StaticDevice
    device = (
        model.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )
    if device is None:
        return Verification(Outcome.REFUSED)
    outcome = _check(device, code)
    return Verification(outcome, device if outcome is Outcome.ACCEPTED else None)


@transaction.atomic
def renew_recovery_codes(*, user, code: str) -> Verification:
    """New recovery codes for ``user``, who proves it with a current code."""
    verification = verify_code(user=user, code=code)
    if verification.outcome is not Outcome.ACCEPTED:
        return verification
    codes = _renew_recovery_codes(user)
    logger.info("recovery codes renewed: username=%r", user.get_username())
    return Verification(Outcome.ACCEPTED, verification.device, codes)


@transaction.atomic
def reset_second_factor(*, user, by) -> int:
    """Delete every device of ``user`` (superusers only); return how many."""
    if not (by.is_active and by.is_superuser):
        raise PermissionDenied(_("Seul un superutilisateur peut faire cela."))
    deleted = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        deleted += 1
    logger.warning(
        "second factor reset: username=%r by=%r devices=%d",
        user.get_username(),
        by.get_username(),
        deleted,
    )
    return deleted


def _check(device, code: str) -> Outcome:
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return Outcome.THROTTLED
    return Outcome.ACCEPTED if device.verify_token(code) else Outcome.REFUSED


def _renew_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("Codes de secours"))
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=token) for token in codes
    )
    return codes
