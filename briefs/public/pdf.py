"""A published page as an A4 PDF that a reader can print or bring to a consultation.

Made with WeasyPrint from the live revision, in the page's language, on the
first request after a change, then kept in the shared cache with the tokens
of the scopes the page itself shows (``site`` and ``brief:<slug>``, see
briefs.public.freshness): a publication, an unpublication or any change the
page shows makes it stale, and the next request makes it again. As for the
pages, the tokens are read *before* the data, so a PDF made while a change
commits is stored with old tokens and never served. Keys carry the release
and the stylesheet, so a deployment never serves what the previous one made.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..models import Variant
from . import freshness, page_cache, selectors
from .revision_page import revision_context

logger = logging.getLogger(__name__)

PDF_PREFIX = "fresh:pdf:"
PDF_TEMPLATE = "briefs/printable.html"
STYLESHEET = "css/printable.css"
# How long a PDF is kept at most; tokens make it stale sooner on any change.
PDF_SECONDS = 7 * 24 * 3600


@functools.cache
def _stylesheet() -> tuple[str, str]:
    """The PDF stylesheet's path and a digest of it (part of every key)."""
    path = finders.find(STYLESHEET)
    with open(path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()[:12]
    return path, digest


def _key(url: str) -> str:
    _path, digest = _stylesheet()
    name = hashlib.md5(f"{digest}:{url}".encode(), usedforsecurity=False).hexdigest()
    return PDF_PREFIX + name


def _scopes(slug: str) -> tuple[str, str]:
    return (freshness.SITE, freshness.brief_scope(slug))


def _live_variant(audience: str, slug: str, lang: str) -> Variant:
    """The variant published at this address in ``lang``, or 404."""
    variant = next(
        (v for v in selectors.brief_variants(slug) if v.audience.code == audience),
        None,
    )
    if variant is None or not variant.is_live_in(lang):
        raise Http404
    return variant


def _seconds_to_keep(variant: Variant) -> int:
    """Until the review falls due (the PDF then says so), a week at most."""
    due = variant.review_due_at
    if due is not None and due > timezone.now():
        return max(1, min(PDF_SECONDS, int((due - timezone.now()).total_seconds())))
    return PDF_SECONDS


def filename(variant: Variant, lang: str) -> str:
    """The file's name: the brief's slug, its audience and language."""
    return f"{variant.brief.slug}-{variant.audience.code}-{lang}.pdf"


def document_html(request: HttpRequest, variant: Variant, lang: str) -> str:
    """The HTML the PDF is made from: the live revision, in ``lang``."""
    context = revision_context(variant, variant.live_revision, lang, topics=[])
    context["page_url"] = request.build_absolute_uri(variant.get_absolute_url())
    if lang != "fr" and variant.live_translation_dated and variant.is_live_in("fr"):
        context["translation_notice"] = {
            "translated": variant.live_translation_dated,
            "updated": variant.last_published_at,
            "url": request.build_absolute_uri(
                translate_url(variant.get_absolute_url(), "fr")
            ),
        }
    return render_to_string(PDF_TEMPLATE, context, request=request)


def write_pdf(html: str, *, base_url: str, media_url: str) -> bytes:
    """``html`` as PDF bytes, with the PDF stylesheet and uploaded images only."""
    import weasyprint  # loads Pango: only where PDFs are made
    from weasyprint.urls import URLFetcherResponse

    class LocalFetcher(weasyprint.URLFetcher):
        """Uploaded images from the media storage; never the network."""

        def fetch(self, url, headers=None):
            if not url.startswith(media_url):
                raise ValueError(f"not an uploaded file: {url}")
            name = unquote(urlsplit(url).path)[len(urlsplit(media_url).path) :]
            with default_storage.open(name) as handle:
                return URLFetcherResponse(url, handle.read())

    path, _digest = _stylesheet()
    return weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=LocalFetcher()
    ).write_pdf(stylesheets=[weasyprint.CSS(filename=path)])


def _make(request: HttpRequest, variant: Variant, lang: str, tokens) -> dict:
    page_url = request.build_absolute_uri(variant.get_absolute_url())
    pdf = write_pdf(
        document_html(request, variant, lang),
        base_url=page_url,
        media_url=request.build_absolute_uri(settings.MEDIA_URL),
    )
    return {
        "tokens": tokens,
        "pdf": pdf,
        "etag": page_cache.etag_of(pdf),
        "rendered_at": time.time(),
        "filename": filename(variant, lang),
        "page_url": page_url,
        "revision": variant.live_revision_id,
    }


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    pdf = entry["pdf"]
    response = HttpResponse(
        b"" if request.method == "HEAD" else pdf, content_type="application/pdf"
    )
    response["Content-Length"] = str(len(pdf))
    response["Content-Disposition"] = content_disposition_header(
        True, entry["filename"]
    )
    # The page is the document search engines should show, not its PDF.
    response["Link"] = f'<{entry["page_url"]}>; rel="canonical"'
    response["X-Robots-Tag"] = "noindex"
    page_cache.set_validators(response, entry["etag"], entry["rendered_at"])
    return get_conditional_response(
        request,
        etag=entry["etag"],
        last_modified=int(entry["rendered_at"]),
        response=response,
    )


@require_safe
def variant_pdf(request: HttpRequest, audience: str, slug: str) -> HttpResponse:
    """The PDF of one published page, made once per change of what it shows."""
    lang = selectors.site_language(get_language())
    store = freshness.cache()
    # The query string is ignored: no parameter makes another PDF.
    key = _key(request.build_absolute_uri(request.path))
    scopes = _scopes(slug)
    found = store.get_many([key, *freshness.token_keys(scopes)])
    entry = found.get(key)
    if entry is not None and freshness.still_current(entry["tokens"], found):
        return _answer(request, entry)
    tokens = freshness.current_tokens(scopes, found)  # before the data
    variant = _live_variant(audience, slug, lang)
    try:
        entry = _make(request, variant, lang, tokens)
    except OSError:
        # WeasyPrint without its system libraries (see the README).
        logger.exception("PDF of %s could not be made", request.path)
        return HttpResponse(
            _("Le PDF n'est pas disponible pour le moment ; la page reste lisible."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    store.set(key, entry, _seconds_to_keep(variant))
    return _answer(request, entry)
