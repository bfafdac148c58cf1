"""Security logging: failed logins, lockouts and permission denials.

Everything goes to the ``newsroom.security`` logger (see LOGGING in settings),
with the username and client address but never a password.
"""

from __future__ import annotations

import logging
from pathlib import PurePosixPath

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe
from django.views.static import serve

logger = logging.getLogger("newsroom.security")


def client_address(request: HttpRequest | None) -> str:
    """The client's IP address as django-axes sees it (proxy settings applied)."""
    if request is None:
        return "-"
    try:
        return get_client_ip_address(request) or "-"
    except ValueError:
        return request.META.get("REMOTE_ADDR", "-")


def axes_username(request: HttpRequest | None, credentials: dict | None) -> str:
    """The username django-axes records: cut to what its column holds.

    Django's login form does not enforce the username's maximum length, and a
    longer one would not fit the lockout table (a 500 on PostgreSQL).
    """
    if credentials:
        username = credentials.get("username")
    else:
        username = request.POST.get("username") if request is not None else None
    return str(username or "")[:150]


def _who(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return user.get_username()


@receiver(user_login_failed, dispatch_uid="newsroom_log_login_failed")
def log_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Log a failed login with the username tried and the client address."""
    logger.warning(
        "login failed: username=%r ip=%s path=%s",
        credentials.get("username", ""),
        client_address(request),
        request.path if request is not None else "-",
    )


@receiver(user_locked_out, dispatch_uid="newsroom_log_locked_out")
def log_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """Log a lockout by django-axes."""
    logger.warning("login locked out: username=%r ip=%s", username, ip_address)


class PermissionDeniedLogMiddleware:
    """Logs every 403 answer: who asked for what, from where."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            logger.warning(
                "permission denied: user=%s method=%s path=%s ip=%s",
                _who(request),
                request.method,
                request.path,
                client_address(request),
            )
        return response


MEDIA_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@require_safe
def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Serve an uploaded image (DEBUG only) with the headers production uses.

    Only the formats the upload stores are served, under their own type,
    never sniffed, inline with their (random) file name, and sandboxed.
    """
    suffix = PurePosixPath(path).suffix.lower()
    if suffix not in MEDIA_TYPES:
        raise Http404
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Content-Type"] = MEDIA_TYPES[suffix]
    response["Content-Disposition"] = f'inline; filename="{PurePosixPath(path).name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
