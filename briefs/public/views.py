"""Public pages: thin views that read through briefs.public.selectors."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse, translate_url
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView, View

from ..http import parse_int
from ..models import Variant
from ..models.feedback import MESSAGE_MAX_LENGTH
from . import page_cache, selectors, seo
from . import search as search_engine
from .revision_page import DETAIL_TEMPLATE, render_revision, revision_context


def _language() -> str:
    return selectors.site_language(get_language())


def _page(request: HttpRequest, object_list) -> Page:
    """The requested page (the first if the number is malformed, the last if too big)."""
    paginator = Paginator(object_list, settings.NEWSROOM_PAGE_SIZE)
    return paginator.get_page(parse_int(request.GET.get("page")))


class HomeView(TemplateView):
    """The latest published briefs of every audience."""

    template_name = "briefs/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang, request = _language(), self.request
        home_url = request.build_absolute_uri(reverse("briefs:home"))
        context["sections"] = selectors.home_sections(lang=lang)
        context["meta"] = seo.PageMeta(
            title=seo.site_name(),
            lang=lang,
            description=_(
                "Brèves d'actualité médicale sur les maladies neuromusculaires, "
                "pour les patients et pour les professionnels de santé, relues par "
                "des médecins."
            ),
            canonical=seo.canonical(request),
            alternates=seo.alternates(request, lang=lang),
            json_ld=seo.json_ld(
                seo.website_json_ld(
                    home_url=home_url,
                    search_url=request.build_absolute_uri(reverse("briefs:search")),
                    lang=lang,
                )
            ),
        )
        return context


class AudienceListView(TemplateView):
    """Published briefs of one audience (optionally one topic), newest first."""

    template_name = "briefs/audience_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang, request = _language(), self.request
        audience = selectors.audience_or_404(self.kwargs["audience"])
        topic = None
        if "topic" in self.kwargs:
            topic = selectors.topic_or_404(self.kwargs["topic"])
        page = _page(
            request,
            selectors.public_listing(lang=lang, audience=audience, topic=topic),
        )
        title = str(audience.name)
        if topic is not None:
            title = _("%(topic)s · %(audience)s") % {
                "topic": topic.name,
                "audience": audience.name,
            }
        context.update(
            audience=audience,
            topic=topic,
            page_obj=page,
            variants=page.object_list,
            meta=seo.PageMeta(
                title=title,
                lang=lang,
                description=str(audience.description),
                canonical=seo.canonical(request, page=page.number),
                alternates=seo.alternates(request, lang=lang),
            ),
        )
        return context


class VariantDetailView(View):
    """One published variant, read from its live revision only."""

    template_name = DETAIL_TEMPLATE

    def get(self, request: HttpRequest, audience: str, slug: str) -> HttpResponse:
        lang = _language()
        live = selectors.brief_variants(slug)
        variant = next((v for v in live if v.audience.code == audience), None)
        if variant is None or not variant.is_live_in(lang):
            if variant is None:
                moved_to = selectors.renamed_slug(slug)
                if moved_to is not None:
                    return _moved(audience, moved_to)
                if selectors.is_withdrawn(slug=slug, audience=audience):
                    return render(request, "410.html", {"slug": slug}, status=410)
            raise Http404
        revision = variant.live_revision
        others = [v for v in live if v.pk != variant.pk and v.is_live_in(lang)]
        context = revision_context(
            variant, revision, lang, topics=selectors.brief_topics(variant.brief_id)
        )
        context["other_variants"] = others
        context["corrections"] = selectors.corrections(variant)
        context["reader_feedback"] = {"max_length": MESSAGE_MAX_LENGTH}
        if lang != "fr" and variant.live_translation_dated and variant.is_live_in("fr"):
            context["translation_notice"] = {
                "translated": variant.live_translation_dated,
                "updated": variant.last_published_at,
                "url": translate_url(request.path, "fr"),
            }
        context["meta"] = _detail_meta(request, variant, revision, context)
        response = render(request, self.template_name, context)
        # Once the review falls due the page carries a notice: kept until then.
        page_cache.fresh_until(response, variant.review_due_at)
        return response


def _moved(audience: str, slug: str) -> HttpResponsePermanentRedirect:
    """A brief's old address: a permanent redirect to its current one."""
    response = HttpResponsePermanentRedirect(
        reverse("briefs:detail", kwargs={"audience": audience, "slug": slug})
    )
    # Browsers keep a 301 for good unless told otherwise; a day, so that a
    # new brief taking the old slug reaches its readers soon after.
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def _detail_meta(
    request: HttpRequest, variant: Variant, revision, context
) -> seo.PageMeta:
    """Canonical URL, alternates, sharing cards and JSON-LD of a published variant."""
    lang, title, standfirst = context["lang"], context["title"], context["standfirst"]
    url = request.build_absolute_uri(variant.get_absolute_url())
    return seo.PageMeta(
        title=title,
        lang=lang,
        description=standfirst or title,
        canonical=url,
        alternates=seo.alternates(
            request,
            lang=lang,
            languages=variant.live_languages.split(),
            # An English text translated from an older French one is linked
            # to, never presented as the French page's equal.
            equivalent=[lang] if variant.live_translation_dated else None,
        ),
        og_type="article",
        published=variant.first_published_at,
        modified=variant.last_published_at,
        tags=[str(topic.name) for topic in context["topics"]],
        json_ld=seo.json_ld(
            seo.article_json_ld(
                variant=variant,
                revision=revision,
                lang=lang,
                url=url,
                title=title,
                description=standfirst,
                topics=context["topics"],
                home_url=request.build_absolute_uri(reverse("briefs:home")),
            )
        ),
    )


@require_safe
def preview(request: HttpRequest, token: str) -> HttpResponse:
    """A signed, expiring link showing one revision to someone without an account."""
    from ..editorial.preview_links import PreviewLinkError, revision_for

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


class SearchView(TemplateView):
    """Full-text search over published briefs, ranked, paginated."""

    template_name = "briefs/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lang, request = _language(), self.request
        query = search_engine.clean_query(request.GET.get("q"))
        audiences = selectors.audiences()
        audience = next(
            (a for a in audiences if a.code == request.GET.get("aud")), None
        )
        page = None
        if query:
            results = search_engine.search(
                query, lang=lang, audience=audience, audiences=audiences
            )
            page = _page(request, results)
        context.update(
            query=query,
            audiences=audiences,
            audience=audience,
            page_obj=page,
            hits=page.object_list if page else [],
            capped=bool(page) and page.paginator.object_list.capped,
            meta=seo.PageMeta(
                title=(
                    _("Recherche : %(query)s") % {"query": query}
                    if query
                    else _("Rechercher")
                ),
                lang=lang,
                robots="noindex, follow",
                alternates=seo.alternates(request, lang=lang),
            ),
        )
        return context


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """robots.txt: everything public may be crawled; the sitemap is named."""
    return render(
        request,
        "robots.txt",
        {
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
            "languages": [code for code, _name in settings.LANGUAGES],
        },
        content_type="text/plain; charset=utf-8",
    )


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: answers 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
