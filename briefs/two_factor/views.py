"""The second-factor pages of the back office: verify, set up, manage."""

from __future__ import annotations

import logging

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from ..ops.security import client_address
from . import attempts, devices
from .forms import CodeForm, RecoveryCodeForm
from .qr import qr_svg
from .rules import Step, must_verify, pending_step

logger = logging.getLogger("newsroom.security")

THROTTLED = gettext_lazy(
    "Trop d'essais rapprochés : patientez quelques secondes avant de réessayer."
)


def _staff(view):
    """Signed-in staff only; anyone else goes to the admin's login page."""

    def wrapped(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    wrapped.__doc__ = view.__doc__
    return never_cache(sensitive_post_parameters("code")(wrapped))


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: a path of this site, else the admin's home."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _context(request: HttpRequest, *, title: str, pending: bool, **extra) -> dict:
    context = admin.site.each_context(request)
    if pending:
        # No menu of the back office before the second factor.
        context.update(available_apps=[], is_nav_sidebar_enabled=False)
    context.update(title=title, pending=pending, next=_next_url(request), **extra)
    return context


def _signed_in(request: HttpRequest, device) -> None:
    otp_login(request, device)
    attempts.forget_failures(request, request.user)
    logger.info(
        "second factor verified: username=%r ip=%s",
        request.user.get_username(),
        client_address(request),
    )


def _recovery_codes_page(request: HttpRequest, codes: list[str]) -> HttpResponse:
    return TemplateResponse(
        request,
        "admin/two_factor/recovery_codes.html",
        _context(request, title=_("Vos codes de secours"), pending=False, codes=codes),
    )


@_staff
@require_http_methods(["GET", "HEAD", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """Ask a signed-in user with a device for a code, or a recovery code."""
    user = request.user
    step = pending_step(user)
    if step is None:
        return HttpResponseRedirect(_next_url(request))
    if step is Step.ENROL:
        return redirect("two_factor:setup")
    if attempts.locked_out(request, user):
        return attempts.lockout_response(request, user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verification = devices.verify_code(user=user, code=form.cleaned_data["code"])
        if verification.outcome is devices.Outcome.ACCEPTED:
            _signed_in(request, verification.device)
            return HttpResponseRedirect(_next_url(request))
        if verification.outcome is devices.Outcome.THROTTLED:
            form.add_error(None, THROTTLED)
        else:
            if attempts.count_failure(request, user):
                return attempts.lockout_response(request, user)
            form.add_error(
                None, _("Code refusé : il est faux, périmé ou déjà utilisé.")
            )
    return TemplateResponse(
        request,
        "admin/two_factor/verify.html",
        _context(
            request,
            title=_("Code de vérification"),
            pending=True,
            form=form,
            recovery_form=RecoveryCodeForm(auto_id="recovery_%s"),
        ),
    )


@_staff
@require_http_methods(["GET", "HEAD", "POST"])
def setup_view(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: QR code and secret, then a first code."""
    user = request.user
    step = pending_step(user)
    if step is Step.VERIFY:
        return redirect("two_factor:verify")
    pending = step is Step.ENROL
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verification = devices.confirm_authenticator(
            user=user, code=form.cleaned_data["code"]
        )
        if verification.outcome is devices.Outcome.ACCEPTED:
            _signed_in(request, verification.device)
            return _recovery_codes_page(request, verification.recovery_codes)
        form.add_error(
            None,
            THROTTLED
            if verification.outcome is devices.Outcome.THROTTLED
            else _(
                "Code refusé : vérifiez que l'heure de votre téléphone est juste, "
                "puis saisissez le code affiché maintenant."
            ),
        )
    device = devices.pending_authenticator(user=user)
    return TemplateResponse(
        request,
        "admin/two_factor/setup.html",
        _context(
            request,
            title=_("Activer la double authentification"),
            pending=pending,
            form=form,
            required=must_verify(user),
            replacing=devices.authenticator(user=user) is not None,
            # The library's markup: a path drawn from the secret, no text in it.
            qr_code=mark_safe(qr_svg(device.config_url)),  # noqa: S308
            secret=devices.readable_secret(device),
        ),
    )


@_staff
@require_http_methods(["GET", "HEAD"])
def manage_view(request: HttpRequest) -> HttpResponse:
    """Show the user's second factor and what they can do with it."""
    if pending_step(request.user) is not None:
        return redirect("two_factor:verify")
    return _manage_page(request, CodeForm(auto_id="renew_%s"))


def _manage_page(request: HttpRequest, form: CodeForm) -> HttpResponse:
    user = request.user
    return TemplateResponse(
        request,
        "admin/two_factor/manage.html",
        _context(
            request,
            title=_("Double authentification"),
            pending=False,
            form=form,
            device=devices.authenticator(user=user),
            codes_left=devices.recovery_codes_left(user=user),
            required=must_verify(user),
        ),
    )


@_staff
@require_POST
def renew_codes_view(request: HttpRequest) -> HttpResponse:
    """Replace the user's recovery codes, given a current code."""
    user = request.user
    if pending_step(user) is not None:
        return redirect("two_factor:verify")
    if devices.authenticator(user=user) is None:
        messages.error(
            request, _("Configurez d'abord une application d'authentification.")
        )
        return redirect("two_factor:manage")
    if attempts.locked_out(request, user):
        return attempts.lockout_response(request, user)
    form = CodeForm(request.POST, auto_id="renew_%s")
    if form.is_valid():
        verification = devices.renew_recovery_codes(
            user=user, code=form.cleaned_data["code"]
        )
        if verification.outcome is devices.Outcome.ACCEPTED:
            return _recovery_codes_page(request, verification.recovery_codes)
        if verification.outcome is devices.Outcome.THROTTLED:
            form.add_error(None, THROTTLED)
        else:
            if attempts.count_failure(request, user):
                return attempts.lockout_response(request, user)
            form.add_error(
                None, _("Code refusé : il est faux, périmé ou déjà utilisé.")
            )
    return _manage_page(request, form)
