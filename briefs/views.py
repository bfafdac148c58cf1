"""Public pages: thin views that read through the published() queryset."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView, View

from .models import Audience, Variant


class GoneError(Exception):
    """The page existed and was withdrawn: answer 410."""


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _in_language(variants, lang: str) -> list[Variant]:
    return [v for v in variants if v.live_revision.has_language(lang)]


class HomeView(TemplateView):
    """The latest published briefs of every audience."""

    template_name = "briefs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang = _language()
        latest = Variant.objects.for_public_list()[: settings.NEWSROOM_PAGE_SIZE * 2]
        context["variants"] = _in_language(latest, lang)
        return context


class AudienceListView(ListView):
    """Published briefs of one audience, newest first, paginated."""

    template_name = "briefs/audience_list.html"
    context_object_name = "variants"

    def get_paginate_by(self, queryset) -> int:
        return settings.NEWSROOM_PAGE_SIZE

    def get_queryset(self):
        self.audience = get_object_or_404(Audience, code=self.kwargs["audience"])
        queryset = Variant.objects.for_public_list().filter(audience=self.audience)
        if _language() != "fr":
            queryset = queryset.exclude(live_revision__title_en="").exclude(
                live_revision__body_html_en=""
            )
        return queryset

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audience"] = self.audience
        return context


class VariantDetailView(View):
    """One published variant, read from its live revision only."""

    template_name = "briefs/detail.html"

    def get(self, request: HttpRequest, audience: str, slug: str) -> HttpResponse:
        lang = _language()
        live = list(Variant.objects.for_public_detail().filter(brief__slug=slug))
        variant = next((v for v in live if v.audience.code == audience), None)
        if variant is None or not variant.live_revision.has_language(lang):
            withdrawn = Variant.objects.filter(
                brief__slug=slug,
                audience__code=audience,
                live_revision__isnull=True,
                withdrawn_at__isnull=False,
            ).exists()
            if withdrawn and variant is None:
                response = render(request, "410.html", {"slug": slug}, status=410)
                return response
            raise Http404
        others = [
            v for v in live if v.pk != variant.pk and v.live_revision.has_language(lang)
        ]
        context = revision_context(variant, variant.live_revision, lang)
        context["other_variants"] = others
        return render(request, self.template_name, context)


def revision_context(variant: Variant, revision, lang: str) -> dict:
    """What the detail template shows of one revision (public page and preview)."""
    return {
        "variant": variant,
        "revision": revision,
        "audience": variant.audience,
        "brief": variant.brief,
        "topics": list(variant.brief.topics.all()),
        "other_variants": [],
        "title": revision.localized("title", lang),
        "standfirst": revision.localized("standfirst", lang),
        "body_html": revision.localized("body_html", lang),
        "references_html": revision.localized("references_html", lang),
        "lang": lang,
    }


def render_revision(
    request: HttpRequest, revision, lang: str, *, banner: str
) -> HttpResponse:
    """The exact public rendering of any revision, marked as a preview."""
    context = revision_context(revision.variant, revision, lang)
    context["preview_banner"] = banner
    response = render(request, VariantDetailView.template_name, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def preview(request: HttpRequest, token: str) -> HttpResponse:
    """A signed, expiring link showing one revision to someone without an account."""
    from .preview import PreviewLinkError, revision_for

    try:
        revision = revision_for(token)
    except PreviewLinkError as exc:
        response = render(
            request, "briefs/preview_refused.html", {"message": exc.message}, status=403
        )
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    lang = _language()
    if not revision.has_language(lang):
        raise Http404
    return render_revision(
        request,
        revision,
        lang,
        banner=_(
            "Prévisualisation de la révision %(n)s : cette page n'est pas publiée."
        )
        % {"n": revision.number},
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: answers 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
