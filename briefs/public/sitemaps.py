"""The sitemap: an index of sections, each in pages of one narrow query.

``/sitemap.xml`` is the index; ``/sitemap-briefs.xml?p=N`` lists a page of
published variants, one URL per language each is complete in, with its
language alternates; ``/sitemap-sections.xml`` the home page and listings.
A page never reads more rows than it lists (no list of every item, no
count per request), and is kept in the page cache like other pages.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from ..http import parse_int
from ..models import Audience
from . import selectors


@functools.lru_cache(maxsize=64)
def _listing_path(lang: str, code: str) -> str:
    with translation.override(lang):
        return reverse("briefs:audience", args=[code])


class BriefSitemap(Sitemap):
    """One URL per published variant and language it is complete in."""

    changefreq = "monthly"

    @property
    def limit(self) -> int:
        return getattr(settings, "NEWSROOM_SITEMAP_PAGE_SIZE", 2000)

    def items(self) -> selectors.SitemapRows:
        return selectors.sitemap_variants()

    @property
    def paginator(self) -> Paginator:
        return Paginator(self.items(), self.limit)

    def get_latest_lastmod(self):
        return selectors.latest_publication()

    def get_urls(self, page=1, site=None, protocol=None) -> list[dict]:
        protocol = self.get_protocol(protocol)
        base = f"{protocol}://{self.get_domain(site)}"
        urls, latest = [], None
        for row in self.paginator.page(page).object_list:
            alternates = [
                {
                    "lang_code": lang,
                    "location": f"{base}{_listing_path(lang, row.audience_code)}"
                    f"{row.slug}/",
                }
                for lang in row.languages
            ]
            for alternate in alternates:
                urls.append(
                    {
                        "item": row,
                        "location": alternate["location"],
                        "lastmod": row.lastmod,
                        "changefreq": self.changefreq,
                        "priority": "",
                        # An outdated translation is no alternate of the French.
                        "alternates": alternates if row.equivalent else [],
                    }
                )
            if row.lastmod and (latest is None or row.lastmod > latest):
                latest = row.lastmod
        if latest is not None:
            self.latest_lastmod = latest
        return urls


class SectionSitemap(Sitemap):
    """The home page and the audience listings, in every language."""

    i18n = True
    alternates = True
    changefreq = "daily"

    def items(self) -> list[str | Audience]:
        return ["home", *selectors.audiences()]

    def location(self, item) -> str:
        if item == "home":
            return reverse("briefs:home")
        return item.get_absolute_url()

    def get_languages_for_item(self, item) -> list[str]:
        return [code for code, _name in settings.LANGUAGES]


SITEMAPS = {"sections": SectionSitemap, "briefs": BriefSitemap}

URLSET = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml">'
)


@require_safe
def section(request: HttpRequest, section: str) -> HttpResponse:
    """One page of one section, as Django's sitemap view writes it.

    The same items and pages as django.contrib.sitemaps, written as strings:
    the template engine took nine tenths of a 2,000-URL page's time.
    """
    sitemap_class = SITEMAPS.get(section)
    if sitemap_class is None:
        raise Http404
    page = parse_int(request.GET.get("p", "1"), minimum=1)
    if page is None:
        raise Http404
    sitemap = sitemap_class()
    try:
        urls = sitemap.get_urls(
            page=page, site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404 from None
    parts = [URLSET]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{url['lastmod']:%Y-%m-%d}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
        for alternate in url["alternates"]:
            parts.append(
                '<xhtml:link rel="alternate" hreflang="'
                f'{alternate["lang_code"]}" href="{escape(alternate["location"])}"/>'
            )
        parts.append("</url>")
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    latest = getattr(sitemap, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    return response
