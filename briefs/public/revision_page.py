"""One revision rendered as its public page: the detail page, the staff
preview and the signed preview link all draw it the same way (neither the
back office nor a preview depends on the public views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from ..models import Variant
from . import seo
from .trust import trust_context

DETAIL_TEMPLATE = "briefs/detail.html"
TRUST_BLOCK = "briefs/includes/trust_block.html"


def _optional_template(name: str) -> str | None:
    """``name`` if that template exists, else None (for optional includes)."""
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


def revision_context(
    variant: Variant, revision, lang: str, *, topics: list | None = None
) -> dict:
    """What the detail template shows of one revision (public page and preview)."""
    if topics is None:
        topics = list(variant.brief.topics.all())
    return {
        "variant": variant,
        "revision": revision,
        "audience": variant.audience,
        "brief": variant.brief,
        "topics": topics,
        "other_variants": [],
        "title": revision.localized("title", lang),
        "standfirst": revision.localized("standfirst", lang),
        "body_html": revision.localized("body_html", lang),
        "references_html": revision.localized("references_html", lang),
        "lang": lang,
        "trust_block": _optional_template(TRUST_BLOCK),
        # Who, when, from what: read by the trust block and its notices.
        "trust": trust_context(variant, revision),
    }


def render_revision(
    request: HttpRequest, revision, lang: str, *, banner: str
) -> HttpResponse:
    """The exact public rendering of any revision, marked as a preview."""
    context = revision_context(revision.variant, revision, lang)
    context["preview_banner"] = banner
    context["meta"] = seo.PageMeta(
        title=context["title"], lang=lang, robots="noindex, nofollow"
    )
    response = render(request, DETAIL_TEMPLATE, context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
