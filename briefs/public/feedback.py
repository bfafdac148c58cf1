"""Readers' answers from a published page: "did it help?" and "report an error".

Why no CSRF token: published pages are stored in the shared cache and served
to everyone (briefs.public.page_cache), so a token rendered into one would be
a stranger's, and one per reader would mean no cache. CSRF protects what a
signed-in person may do; this endpoint acts for no one: it reads no session,
no cookie and no account, and does only what anyone may do directly, leave
a message about a page. A forged cross-site request could therefore do
nothing a reader could not; it is still refused, by the ``Origin`` header
(or, failing it, the ``Referer``), which browsers set on every form POST and
pages cannot forge. What is left, a script posting from anywhere, meets the
rate limit per address (django-ratelimit, counted in the shared cache; the
address is never stored) and a honeypot field that people never fill.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from ..editorial.reader_feedback import FeedbackRefused, receive
from ..models import FeedbackKind, Variant
from ..models.feedback import MESSAGE_MAX_LENGTH
from . import seo
from .selectors import site_language

TEMPLATE = "briefs/feedback.html"
# A field hidden from people (off-screen, out of the tab order, labelled
# "leave empty"); form-filling robots fill it.
HONEYPOT = "website"


def _rate(group, request) -> str:
    return getattr(settings, "NEWSROOM_FEEDBACK_RATE", "10/h")


def reader_address(request: HttpRequest) -> str:
    """The address the rate limit counts (django-axes' reading: the proxy
    settings apply); only its hash reaches the cache, and only for the
    limit's period."""
    from axes.helpers import get_client_ip_address

    try:
        address = get_client_ip_address(request)
    except ValueError:
        address = None
    return address or request.META.get("REMOTE_ADDR") or "0.0.0.0"  # noqa: S104


def _from_this_site(request: HttpRequest) -> bool:
    """Whether the browser says the form was posted from one of our pages."""
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        referer = request.headers.get("Referer")
        if not referer:
            return False
        parts = urlsplit(referer)
        origin = f"{parts.scheme}://{parts.netloc}"
    ours = f"{request.scheme}://{request.get_host()}"
    return origin == ours or origin in settings.CSRF_TRUSTED_ORIGINS


def _page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    lang = site_language(get_language())
    context.setdefault("max_length", MESSAGE_MAX_LENGTH)
    context["meta"] = seo.PageMeta(
        title=_("Votre avis"), lang=lang, robots="noindex, nofollow"
    )
    response = render(request, TEMPLATE, context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, problem: str, status: int, **context):
    return _page(request, {"problem": problem, **context}, status=status)


@never_cache
@csrf_exempt  # see the module: the Origin check, the rate limit, the honeypot
@ratelimit(key="ip", rate=_rate, method="POST", block=False)
def feedback(request: HttpRequest) -> HttpResponse:
    """Keep a reader's answer on a page and thank them, or say what is wrong."""
    if request.method != "POST":
        response = _refused(
            request,
            _(
                "Ce formulaire s'envoie depuis la page d'une brève, avec ses "
                "boutons « Oui », « Non » ou « Signaler une erreur »."
            ),
            405,
        )
        response["Allow"] = "POST"
        return response
    if not _from_this_site(request):
        return _refused(
            request,
            _(
                "Ce formulaire ne peut être envoyé que depuis une page de ce site : "
                "rouvrez la page et réessayez."
            ),
            403,
        )
    if getattr(request, "limited", False):
        return _refused(
            request,
            _(
                "Vous avez envoyé beaucoup d'avis en peu de temps : réessayez "
                "dans une heure. Merci de votre patience."
            ),
            429,
        )
    try:
        data = request.POST
    except RequestDataTooBig:
        return _refused(
            request,
            _("Votre message est trop long : %(n)s caractères au plus.")
            % {"n": MESSAGE_MAX_LENGTH},
            413,
        )
    page = data.get("page", "")
    variant = _variant_for_link(page)
    kind, message = data.get("kind", ""), data.get("message", "")
    if data.get(HONEYPOT):
        # A robot: thanked like a person, nothing kept.
        return _page(request, {"thanks": True, "variant": variant})
    try:
        received = receive(
            page=page, lang=site_language(get_language()), kind=kind, message=message
        )
    except FeedbackRefused as exc:
        return _refused(
            request,
            exc.message,
            400,
            variant=variant,
            # The reader's text comes back to be corrected, not lost.
            message=message
            if isinstance(message, str) and "\x00" not in message
            else "",
            report=kind == FeedbackKind.ERROR,
        )
    return _page(
        request,
        {"thanks": True, "variant": received.variant, "kind": received.kind},
    )


def _variant_for_link(page: str) -> Variant | None:
    """The published variant a form names, to link back to it (or None)."""
    from ..http import parse_int

    pk = parse_int(page)
    if pk is None:
        return None
    return (
        Variant.objects.published()
        .select_related("brief", "audience")
        .filter(pk=pk)
        .first()
    )
