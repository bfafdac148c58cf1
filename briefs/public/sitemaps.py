"""The sitemap: every published page, with its language alternates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import Audience, Variant
from . import selectors


class BriefSitemap(Sitemap):
    """One URL per published variant and language it is complete in."""

    i18n = True
    alternates = True
    changefreq = "monthly"

    def items(self) -> list[Variant]:
        return list(selectors.sitemap_variants())

    def get_languages_for_item(self, variant: Variant) -> list[str]:
        return variant.live_revision.languages

    def location(self, variant: Variant) -> str:
        return variant.get_absolute_url()

    def lastmod(self, variant: Variant):
        return variant.last_published_at or variant.first_published_at


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
