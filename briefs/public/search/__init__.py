"""Full-text search over published variants, behind one interface.

A backend per database keeps a table of what is online, one row per live
variant and language, in the transaction that changes the live revision
(the signal below): PostgreSQL a ``tsvector`` table with a GIN index
(briefs.public.search.postgres), SQLite an FTS5 table (.sqlite). A draft's
text is never indexed nor read. Another engine (OpenSearch, Meilisearch…)
would be one more backend with the same five methods: ``count``, ``page``,
``index``, ``rebuild``, ``clear``.

Results are the most recent matches up to ``NEWSROOM_SEARCH_WINDOW``
(500), ranked by relevance: a word found in every brief costs what a rare
one does. Past the window a reader is told to add a word.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ...models import Audience, Variant
from .. import freshness, selectors
from ..selectors import site_language
from .excerpts import WORD_RE, as_html
from .postgres import PostgresSearch
from .sqlite import SQLiteSearch

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Hit:
    """One result as the page shows it."""

    variant_id: int
    url: str
    audience: Audience | None
    title: str
    excerpt: SafeString
    published: dt.datetime | None


def backend():
    """The search backend of the default database."""
    return PostgresSearch() if connection.vendor == "postgresql" else SQLiteSearch()


def window() -> int:
    """How many of the most recent matches a search ranks and shows at most."""
    return getattr(settings, "NEWSROOM_SEARCH_WINDOW", 500)


class Results:
    """Lazy, paginable search results (``count()`` and slicing, like a queryset)."""

    def __init__(self, count: Callable[[], int], fetch: Callable[[int, int], list]):
        self._count, self._fetch = count, fetch
        self._total: int | None = None

    def count(self) -> int:
        if self._total is None:
            self._total = self._count()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Results only support slices.")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        return self._fetch(start, max(stop - start, 0)) if stop > start else []

    @property
    def capped(self) -> bool:
        """Whether more briefs match than the window shows."""
        return self.count() >= window()


def clean_query(query: str | None) -> str:
    """The query as searched: stripped, bounded, without control characters."""
    text = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(
    query: str,
    *,
    lang: str,
    audience: Audience | None = None,
    audiences: Iterable[Audience] | None = None,
) -> Results:
    """Published variants readable in ``lang`` that match ``query``, best first.

    ``audiences`` are the channels the page already read, to name each hit's
    (read here when not given).
    """
    query, lang = clean_query(query), site_language(lang)
    if not WORD_RE.search(query):
        return Results(lambda: 0, lambda offset, limit: [])
    engine = backend()
    audience_id = audience.pk if audience is not None else None
    if audiences is None:
        audiences = selectors.audiences()
    by_id = {a.pk: a for a in audiences}
    size = window()

    def count() -> int:
        # Kept until the next publication; bounded by the window.
        key = hashlib.sha256(
            f"{engine.name}\0{query}\0{lang}\0{audience_id or ''}\0{size}".encode()
        ).hexdigest()
        return freshness.remember(
            "search:" + key,
            lambda: engine.count(query, lang=lang, audience_id=audience_id, cap=size),
        )

    def fetch(offset: int, limit: int) -> list[Hit]:
        limit = min(limit, max(size - offset, 0))
        if limit <= 0:
            return []
        rows = engine.page(
            query,
            lang=lang,
            audience_id=audience_id,
            window=size,
            offset=offset,
            limit=limit,
        )
        return [_hit(row, by_id) for row in rows]

    return Results(count, fetch)


def _hit(row, audiences: dict[int, Audience]) -> Hit:
    audience = audiences.get(row.audience_id)
    code = audience.code if audience else ""
    published = row.published
    if isinstance(published, str):
        published = parse_datetime(published)
    return Hit(
        variant_id=row.variant_id,
        url=f"{_listing_url(code, get_language())}{row.slug}/",
        audience=audience,
        title=row.title,
        excerpt=as_html(row.excerpt),
        published=published,
    )


@functools.lru_cache(maxsize=64)
def _listing_url(code: str, lang: str) -> str:
    """An audience's listing URL under ``lang``'s prefix (the hit's URL is it
    followed by the slug, the detail pattern), reversed once per process."""
    return reverse("briefs:audience", args=[code])


def index_variant(variant: Variant) -> None:
    """Make the search table hold exactly ``variant``'s live revision."""
    backend().index(variant)


def rebuild() -> int:
    """Index every published variant again; return how many are indexed."""
    variants = (
        Variant.objects.published()
        .select_related("live_revision")
        # In publication order: on SQLite the rowid is then the recency.
        .order_by("first_published_at", "pk")
        .iterator(chunk_size=500)
    )
    return backend().rebuild(variants)


def clear() -> None:
    """Empty the search table (nothing is searchable until the next rebuild)."""
    backend().clear()


def variant_saved(sender, instance: Variant, raw: bool = False, **kwargs) -> None:
    """Signal receiver: keep the search table in step with what is online."""
    if not raw:
        index_variant(instance)


def connect() -> None:
    """Connect the indexing receiver (called from the app's ``ready()``)."""
    post_save.connect(variant_saved, sender=Variant, dispatch_uid="briefs.search")
