"""The login lockout (django-axes) applied to second-factor codes.

A wrong code counts as a failed login for the username and address, and the
failure counter is only reset by a complete sign-in: the password, then the
code when one is asked (django-axes would reset it on the password alone).
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from . import rules


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def locked_out(request: HttpRequest, user) -> bool:
    """Whether ``user`` is locked out from this client's address."""
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def count_failure(request: HttpRequest, user) -> bool:
    """Count a refused code as a failed login; whether it locked ``user`` out."""
    user_login_failed.send(
        sender=__name__, credentials=_credentials(user), request=request
    )
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request: HttpRequest, user) -> HttpResponse:
    """Sign ``user`` out and answer the lockout page (429), as a wrong password."""
    credentials = _credentials(user)
    logout(request)
    return get_lockout_response(request, None, credentials)


def forget_failures(request: HttpRequest, user) -> None:
    """Reset the failure counter of ``user`` from this address: sign-in complete."""
    AxesProxyHandler.update_request(request)
    address = getattr(request, "axes_ip_address", None)
    if address:
        AxesProxyHandler.reset_attempts(
            ip_address=address, username=user.get_username()
        )


@receiver(user_logged_in, dispatch_uid="newsroom_two_factor_reset_failures")
def reset_after_password(sender, request, user, **kwargs) -> None:
    """A password alone completes the sign-in of whoever owes no second factor."""
    if request is not None and not rules.must_verify(user):
        forget_failures(request, user)
