"""Page metadata: canonical URL, hreflang alternates, Open Graph, JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from ..text.identifiers import doi_url

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB"}

# The characters that could end a <script> element or start a comment in it.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@dataclass(frozen=True)
class Alternate:
    """One language version of a page."""

    lang: str
    name: str
    url: str
    current: bool
    # Whether the page in this language says what the current page says
    # (hreflang); an outdated translation is linked, not presented as such.
    equivalent: bool = True

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.lang, self.lang)


@dataclass
class PageMeta:
    """What the <head> of a page says about it."""

    title: str
    lang: str
    description: str = ""
    canonical: str = ""
    alternates: list[Alternate] = field(default_factory=list)
    og_type: str = "website"
    robots: str = ""
    published: object = None
    modified: object = None
    tags: list[str] = field(default_factory=list)
    json_ld: SafeString | str = ""

    @property
    def og_locale(self) -> str:
        return OG_LOCALES.get(self.lang, self.lang)

    @property
    def other_alternates(self) -> list[Alternate]:
        return [a for a in self.alternates if not a.current]

    @property
    def hreflang_alternates(self) -> list[Alternate]:
        """The versions presented as this page in another language; none when
        a translation is outdated (the page stands alone)."""
        same = [a for a in self.alternates if a.equivalent]
        return same if len(same) > 1 else []


def site_name() -> str:
    """The name of the site, as readers see it."""
    return settings.NEWSROOM_SITE_NAME


def alternates(
    request: HttpRequest,
    *,
    lang: str,
    languages: Iterable[str] | None = None,
    equivalent: Iterable[str] | None = None,
) -> list[Alternate]:
    """The language versions of the current page (only ``languages`` if given;
    of which only ``equivalent``, if given, say the same thing)."""
    wanted = set(languages) if languages is not None else None
    same = set(equivalent) if equivalent is not None else None
    found = []
    for code, _name in settings.LANGUAGES:
        if wanted is not None and code not in wanted:
            continue
        path = translate_url(request.path, code)
        found.append(
            Alternate(
                lang=code,
                name=get_language_info(code)["name_local"].capitalize(),
                url=request.build_absolute_uri(path),
                current=code == lang,
                equivalent=same is None or code in same,
            )
        )
    return found


def canonical(request: HttpRequest, *, page: int = 1) -> str:
    """The canonical URL of the current page (its page number kept past 1)."""
    url = request.build_absolute_uri(request.path)
    return f"{url}?page={page}" if page > 1 else url


def json_ld(data: dict) -> SafeString:
    """A schema.org block: JSON data in a script element browsers never run."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_JSON_SCRIPT_ESCAPES)),  # noqa: S308
    )


def _person(user) -> dict | None:
    if user is None:
        return None
    return {"@type": "Person", "name": user.get_full_name() or user.get_username()}


def _citation(source: dict) -> dict:
    """A snapshot of a cited source as a schema.org CreativeWork."""
    kind = "ScholarlyArticle" if source.get("kind") == "article" else "CreativeWork"
    item: dict = {"@type": kind, "name": source.get("title", "")}
    authors = [
        a.get("literal") or " ".join(p for p in (a.get("given"), a.get("family")) if p)
        for a in source.get("authors") or []
        if not a.get("others")
    ]
    if authors:
        item["author"] = [{"@type": "Person", "name": name} for name in authors]
    if source.get("container_title"):
        item["isPartOf"] = {"@type": "Periodical", "name": source["container_title"]}
    if source.get("year"):
        item["datePublished"] = str(source["year"])
    if source.get("doi"):
        item["identifier"] = f"doi:{source['doi']}"
        item["url"] = doi_url(source["doi"])
    elif source.get("links"):
        item["url"] = source["links"][0]["url"]
    return item


def audience_json(audience) -> dict:
    """The schema.org audience of a channel."""
    data: dict = {"@type": audience.schema_type, "name": str(audience.name)}
    if audience.schema_type == audience.SchemaType.MEDICAL:
        data["audienceType"] = "Clinician"
    return data


def article_json_ld(
    *,
    variant,
    revision,
    lang: str,
    url: str,
    title: str,
    description: str,
    topics: Iterable,
    home_url: str,
) -> dict:
    """The schema.org MedicalWebPage of one published variant."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": url,
        "url": url,
        "name": title,
        "headline": title[:110],
        "inLanguage": lang,
        "audience": audience_json(variant.audience),
        "datePublished": variant.first_published_at,
        "dateModified": variant.last_published_at or variant.first_published_at,
        "publisher": {"@type": "Organization", "name": site_name(), "url": home_url},
        "isPartOf": {"@type": "WebSite", "name": site_name(), "url": home_url},
        "citation": [_citation(source) for source in revision.sources],
    }
    if description:
        data["description"] = description
    if revision.approved_at:
        data["lastReviewed"] = revision.approved_at.date()
    reviewer = _person(revision.approved_by)
    if reviewer:
        data["reviewedBy"] = reviewer
    author = _person(variant.author)
    if author:
        data["author"] = author
    about = [{"@type": "Thing", "name": str(topic.name)} for topic in topics]
    if about:
        data["about"] = about
        data["keywords"] = ", ".join(item["name"] for item in about)
    return data


def website_json_ld(*, home_url: str, search_url: str, lang: str) -> dict:
    """The schema.org WebSite of the home page, with its search action."""
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site_name(),
        "url": home_url,
        "inLanguage": lang,
        "potentialAction": {
            "@type": "SearchAction",
            "target": f"{search_url}?q={{search_term_string}}",
            "query-input": "required name=search_term_string",
        },
    }
