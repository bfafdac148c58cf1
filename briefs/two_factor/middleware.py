"""Holds staff URLs back until the session has passed its second factor."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .rules import Step, pending_step

STEP_URLS = {Step.VERIFY: "two_factor:verify", Step.ENROL: "two_factor:setup"}


class SecondFactorMiddleware:
    """Everything under the admin's prefix waits for the step a user still owes.

    The admin site, the editor's endpoints (/admin/markdownx/…,
    /admin/quality-report/) and every other staff URL live there; the user
    can still sign out, sign in again, or take the step itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(reverse("admin:index")):
            step = pending_step(request.user)
            if step is not None and request.path_info not in _open_paths(step):
                return _hold(request, step)
        return self.get_response(request)


def _open_paths(step: Step) -> set[str]:
    return {reverse("admin:logout"), reverse("admin:login"), reverse(STEP_URLS[step])}


def _hold(request: HttpRequest, step: Step) -> HttpResponse:
    if request.method in ("GET", "HEAD"):
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse(STEP_URLS[step])}?{query}")
    # A form or an editor call, never shown a page first: refused, not applied.
    return HttpResponseForbidden(
        _("Connexion incomplète : saisissez d'abord votre code de vérification."),
        content_type="text/plain; charset=utf-8",
    )
