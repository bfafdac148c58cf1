"""Reads of the public site: every public page starts from one of these."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.http import Http404
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language

from ..models import Audience, Brief, SlugRedirect, Topic, Variant
from ..models.content import LANGUAGE_CODES, VariantQuerySet
from ..models.prepared import ID_MARKER, PreparedQuery
from . import freshness


def site_language(lang: str | None) -> str:
    """The content language of a request: a known code, French otherwise."""
    code = (lang or settings.LANGUAGE_CODE)[:2]
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def in_language(queryset: VariantQuerySet, lang: str) -> VariantQuerySet:
    """Keep the variants whose live revision is complete in ``lang`` (read
    from the variant: the revision's large columns stay unread)."""
    return queryset.filter(live_languages__contains=site_language(lang))


def public_list(
    *, lang: str, audience: Audience | None = None, topic: Topic | None = None
) -> VariantQuerySet:
    """Published variants readable in ``lang``, newest first, for a listing."""
    queryset = in_language(Variant.objects.for_public_list(), lang)
    if audience is not None:
        queryset = queryset.filter(audience=audience)
    if topic is not None:
        # A semi-join on the topic's briefs: no join through the brief.
        tagged = Brief.topics.through.objects.filter(topic=topic).values("brief_id")
        queryset = queryset.filter(brief_id__in=tagged)
    return queryset


def page_of(queryset, index: slice, *, ids_from=None):
    """``queryset[index]`` with its joins on the page's rows only.

    The page's ids are read first from ``ids_from`` (``queryset`` itself by
    default), a query without joins that an index answers alone; an OFFSET
    on the joined query would join every row it skips (half a second for
    page 1,000 of an audience at 100,000 briefs).
    """
    base = queryset if ids_from is None else ids_from
    ids = base.order_by(*base.query.order_by).values("pk")[index]
    return queryset.filter(pk__in=ids)


@dataclass(frozen=True, slots=True)
class Card:
    """What a listing shows of one published variant."""

    url: str
    title: str
    standfirst: str
    first_published_at: datetime

    @property
    def published_iso(self) -> str:
        """The publication time as a ``datetime`` attribute reads it."""
        return timezone.localtime(self.first_published_at).isoformat()

    @property
    def published_label(self) -> str:
        """The publication day as readers of the page's language read it."""
        day = timezone.localtime(self.first_published_at).date()
        return _day_label(day, get_language())


@functools.lru_cache(maxsize=512)
def _day_label(day, language: str) -> str:
    # A page of cards shows a handful of days: formatting each day once per
    # language and process saves a sixth of a listing's time. The label is a
    # pure function of the day and the language.
    return formats.date_format(day, "DATE_FORMAT")


def cards(queryset: VariantQuerySet, lang: str) -> list[Card]:
    """The cards of ``queryset``'s variants in ``lang``: five columns, no models.

    Building model instances (with their translated fields) for a page of
    cards costs more than the query; the URL of each card is its audience's
    listing URL followed by the brief's slug (the detail pattern), reversed
    once per audience.
    """
    lang = site_language(lang)
    rows = queryset.values_list(
        "audience__code",
        "brief__slug",
        f"live_revision__title_{lang}",
        f"live_revision__standfirst_{lang}",
        "first_published_at",
    )
    prefixes: dict[str, str] = {}
    result = []
    for code, slug, title, standfirst, published in rows:
        prefix = prefixes.get(code)
        if prefix is None:
            prefix = prefixes[code] = reverse("briefs:audience", args=[code])
        result.append(Card(f"{prefix}{slug}/", title, standfirst or "", published))
    return result


class PublicListing:
    """A listing's variants, paginable; its count is kept until the next publication.

    Counting the published variants readable in a language joins every one of
    them to its live revision (tens of milliseconds at 10,000 briefs); every
    page of the listing would count them again.
    """

    def __init__(self, queryset: VariantQuerySet, key: str, lang: str):
        self.queryset, self.key, self.lang = queryset, key, lang

    def count(self) -> int:
        return freshness.remember(self.key, self.queryset.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[Card]:
        return cards(page_of(self.queryset, index), self.lang)


def public_listing(
    *, lang: str, audience: Audience | None = None, topic: Topic | None = None
) -> PublicListing:
    """``public_list`` for a paginated page."""
    lang = site_language(lang)
    key = "listing:{}:{}:{}".format(
        lang,
        audience.pk if audience else "",
        topic.pk if topic else "",
    )
    return PublicListing(
        public_list(lang=lang, audience=audience, topic=topic), key, lang
    )


def home_sections(*, lang: str, per_audience: int = 5) -> list[tuple[Audience, list]]:
    """The latest variants of each audience: one query per audience.

    Each query walks the ``variant_public_audience`` index and stops after
    ``per_audience`` rows; a single query ranking every published variant with
    a window function sorts them all (hundreds of milliseconds at 20,000).
    """
    sections = []
    for audience in audiences():
        variants = cards(public_list(lang=lang, audience=audience)[:per_audience], lang)
        if variants:
            sections.append((audience, variants))
    return sections


def audiences() -> list[Audience]:
    """Every publication channel, in display order."""
    return list(Audience.objects.all())


def audience_or_404(code: str) -> Audience:
    """The audience of a URL, or 404."""
    found = _AUDIENCE(code)
    if not found:
        raise Http404
    return found[0]


def topic_or_404(slug: str) -> Topic:
    """The topic of a URL, or 404."""
    found = _TOPIC(slug)
    if not found:
        raise Http404
    return found[0]


# Every listing reads its audience (and topic) by the URL's code first.
_AUDIENCE = PreparedQuery(Audience, lambda code: Audience.objects.filter(code=code))
_TOPIC = PreparedQuery(Topic, lambda slug: Topic.objects.filter(slug=slug))


def brief_variants(slug: str) -> list[Variant]:
    """Every published variant of one brief, with what a detail page shows.

    (Measured: ``.only()`` of the columns a page reads costs more than it
    saves, deferred fields being slower to build than read.)
    """
    return _BRIEF_VARIANTS(slug)


# Compiled once per process: compiling this query cost as much as running it.
_BRIEF_VARIANTS = PreparedQuery(
    Variant, lambda slug: Variant.objects.for_public_detail().filter(brief__slug=slug)
)


def brief_topics(brief_id: int) -> list[Topic]:
    """The topics of one brief, in display order (a plain query: cheaper than a
    prefetch through the brief)."""
    return _BRIEF_TOPICS(brief_id)


_BRIEF_TOPICS = PreparedQuery(
    Topic, lambda brief_id: Topic.objects.filter(briefs__id=brief_id), ID_MARKER
)


def is_withdrawn(*, slug: str, audience: str) -> bool:
    """Whether this variant was online once and has been withdrawn."""
    return Variant.objects.filter(
        brief__slug=slug,
        audience__code=audience,
        live_revision__isnull=True,
        withdrawn_at__isnull=False,
    ).exists()


def renamed_slug(slug: str) -> str | None:
    """The current slug of the brief that had ``slug`` before, if any."""
    return (
        SlugRedirect.objects.filter(old_slug=slug)
        .values_list("brief__slug", flat=True)
        .first()
    )


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction of substance, as the page shows it."""

    date: datetime
    note: str


def corrections(variant: Variant) -> list[Correction]:
    """The page's record of corrections, newest first (read from the variant)."""
    return [
        Correction(datetime.fromisoformat(item["date"]), item["note_fr"])
        for item in variant.corrections or []
        if item.get("date") and item.get("note_fr")
    ]


@dataclass(frozen=True, slots=True)
class FeedItem:
    """What a feed shows of one published variant."""

    url: str
    slug: str
    audience_code: str
    title: str
    standfirst: str
    body_html: str
    first_published_at: datetime
    last_published_at: datetime | None
    author_name: str | None
    categories: list[str]


def feed_items(*, audience: Audience, lang: str, limit: int) -> list[FeedItem]:
    """The latest variants of one audience for a feed, topics included.

    Two queries of plain values: building the variants, their briefs,
    revisions and authors as models costs most of a feed's time.
    """
    lang = site_language(lang)
    rows = list(
        public_list(lang=lang, audience=audience).values_list(
            "brief_id",
            "brief__slug",
            f"live_revision__title_{lang}",
            f"live_revision__standfirst_{lang}",
            f"live_revision__body_html_{lang}",
            "first_published_at",
            "last_published_at",
            "author__first_name",
            "author__last_name",
            "author__username",
        )[:limit]
    )
    categories: dict[int, list[str]] = {}
    topics = Topic.objects.filter(briefs__id__in={row[0] for row in rows})
    for brief_id, name in topics.values_list("briefs__id", "name"):
        categories.setdefault(brief_id, []).append(str(name))
    prefix = reverse("briefs:audience", args=[audience.code])
    items = []
    for (
        brief_id,
        slug,
        title,
        standfirst,
        body_html,
        first_published,
        last_published,
        first_name,
        last_name,
        username,
    ) in rows:
        author = None
        if username is not None:
            author = f"{first_name} {last_name}".strip() or username
        items.append(
            FeedItem(
                url=f"{prefix}{slug}/",
                slug=slug,
                audience_code=audience.code,
                title=title,
                standfirst=standfirst or "",
                body_html=body_html or "",
                first_published_at=first_published,
                last_published_at=last_published,
                author_name=author,
                categories=categories.get(brief_id, []),
            )
        )
    return items


@dataclass(frozen=True, slots=True)
class SitemapRow:
    """What the sitemap shows of one published variant."""

    audience_code: str
    slug: str
    languages: tuple[str, ...]
    lastmod: datetime
    # The languages say the same thing (no outdated translation among them).
    equivalent: bool = True


class SitemapRows:
    """Every published variant in a stable order, paginable without reading
    all of them: a page is one narrow query, the count is kept like a
    listing's."""

    def __init__(self):
        self.base = Variant.objects.published().order_by("pk")
        self.queryset = self.base.values_list(
            "audience__code",
            "brief__slug",
            "live_languages",
            "last_published_at",
            "first_published_at",
            "live_translation_dated",
        )

    def count(self) -> int:
        return freshness.remember("sitemap:variants", self.base.count)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[SitemapRow]:
        return [
            SitemapRow(
                code, slug, tuple(languages.split()), last or first, dated is None
            )
            for code, slug, languages, last, first, dated in page_of(
                self.queryset, index, ids_from=self.base
            )
        ]


def sitemap_variants() -> SitemapRows:
    """Every published variant, for the sitemap's pages."""
    return SitemapRows()


def latest_publication() -> datetime | None:
    """When a variant was last published (the sitemap's modification date)."""
    return freshness.remember(
        "sitemap:latest",
        lambda: (
            Variant.objects.published()
            .order_by("-last_published_at")
            .values_list("last_published_at", flat=True)
            .first()
        ),
    )
