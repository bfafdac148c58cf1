"""The Markdown editor's endpoints, closed to anyone but logged-in staff."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ..editorial import figure_checks
from ..editorial.revisions import markdownify, quality_report
from ..http import parse_int
from ..models import Audience, Variant
from ..text import figures, readability
from ..text.markdown import complexity_problem
from .uploads import store_image


def _staff_only(view=None, *, permission: str = "briefs.view_variant"):
    """Staff with ``permission`` only; others get a 403, not a login page."""

    def decorate(view):
        @require_POST
        def wrapped(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not (
                user.is_authenticated
                and user.is_active
                and user.is_staff
                and user.has_perm(permission)
            ):
                return JsonResponse(
                    {"error": _("Accès réservé à la rédaction.")}, status=403
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


@_staff_only
def markdownify_view(request: HttpRequest) -> HttpResponse:
    """Render the editor's Markdown as the public page will show it."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest(_("Paramètre « content » manquant."))
    problem = complexity_problem(content)
    if problem:
        return HttpResponseBadRequest(problem)
    return HttpResponse(markdownify(content))


@_staff_only(permission="briefs.change_variant")
def upload_view(request: HttpRequest) -> JsonResponse:
    """Store an image dropped in the editor and return its Markdown code."""
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"image": [_("Aucune image envoyée.")]}, status=400)
    try:
        url = store_image(upload)
    except ValidationError as exc:
        return JsonResponse({"image": exc.messages}, status=400)
    return JsonResponse({"image_code": f"![]({url})"})


# Longer than any brief; the endpoint runs on every pause in typing.
MAX_REPORT_CHARS = 100_000


@_staff_only
def quality_report_view(request: HttpRequest) -> JsonResponse:
    """Readability, glossary terms and jargon of the text being typed."""
    content = request.POST.get("content")
    if content is None:
        return JsonResponse({"error": _("Paramètre « content » manquant.")}, status=400)
    if len(content) > MAX_REPORT_CHARS:
        return JsonResponse(
            {"error": _("Texte trop long pour être analysé.")}, status=400
        )
    asked = request.POST.get("audience", "")
    audience = None
    if asked:
        audience_id = parse_int(asked)
        if audience_id is None:
            return JsonResponse({"error": _("Public inconnu.")}, status=400)
        audience = Audience.objects.filter(pk=audience_id).first()
    report = quality_report(content, audience=audience)
    report["verdict"] = readability.verdict(
        report["readability"]["score"], report["readability_target"]
    )
    report["words_label"] = _("mots")
    return JsonResponse(report)


@require_POST
@_staff_only
def figure_checks_view(request: HttpRequest) -> JsonResponse:
    """The figure checks of the text being typed, as the variant page shows them."""
    texts = {name: request.POST.get(name, "") for name in figure_checks.TEXT_FIELDS}
    if sum(len(value) for value in texts.values()) > MAX_REPORT_CHARS:
        return JsonResponse(
            {"error": _("Texte trop long pour être analysé.")}, status=400
        )
    variant = None
    asked = request.POST.get("variant", "")
    if asked:
        variant_id = parse_int(asked)
        if variant_id is None:
            return JsonResponse({"error": _("Version inconnue.")}, status=400)
        variant = (
            Variant.objects.select_related("audience").filter(pk=variant_id).first()
        )
    report = figure_checks.check_texts(texts, variant=variant)
    count = figures.report_problems(report)
    return JsonResponse(
        {
            "count": count,
            "summary": ngettext(
                "%(n)s point à vérifier", "%(n)s points à vérifier", count
            )
            % {"n": count}
            if count
            else _("rien à signaler"),
            "sections": figure_checks.sections(report),
        }
    )
