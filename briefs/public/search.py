"""Full-text search over published variants, behind one interface.

PostgreSQL searches the live revisions directly (``unaccent`` text search
configurations, ranked, with ``ts_headline`` excerpts); SQLite keeps an FTS5
table (``unicode61 remove_diacritics``) of the live revisions, updated when a
variant is saved. Either way only live revisions are searchable: a draft's
text is never indexed nor read.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F, Func, TextField, Value
from django.db.models.signals import post_save
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Audience, Variant
from ..text.plain import CITATION_PATTERN, GLOSSARY_PATTERN, START, STOP, plain_text
from . import freshness
from .selectors import in_language, site_language

TABLE = "briefs_search"
MAX_QUERY_LENGTH = 200
EXCERPT_WORDS = 30
PG_CONFIGS = {"fr": "french_unaccent", "en": "english_unaccent"}

_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True)
class Hit:
    """One result: the variant, its title and an excerpt with the matches marked."""

    variant: Variant
    title: str
    excerpt: SafeString


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


def clean_query(query: str | None) -> str:
    """The query as searched: stripped, bounded, without control characters."""
    text = "".join(ch for ch in (query or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY_LENGTH]


def search(query: str, *, lang: str, audience: Audience | None = None) -> Results:
    """Published variants readable in ``lang`` that match ``query``, best first."""
    query, lang = clean_query(query), site_language(lang)
    if not _WORD_RE.search(query):
        return Results(lambda: 0, lambda offset, limit: [])
    if connection.vendor == "postgresql":
        results = _postgres_search(query, lang=lang, audience=audience)
    else:
        results = _sqlite_search(query, lang=lang, audience=audience)
    # The number of hits is kept until the next publication.
    key = hashlib.sha256(
        ("{}\0{}\0{}".format(query, lang, audience.pk if audience else "")).encode()
    ).hexdigest()
    return Results(
        lambda: freshness.remember("search:" + key, results._count), results._fetch
    )


def _fold(word: str) -> str:
    """A word as the index compares it: without accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def marked_excerpt(texts, words: list[str], *, size: int = EXCERPT_WORDS) -> str:
    """About ``size`` words of the first of ``texts`` that holds a match of
    ``words`` (folded word prefixes), the matches between START and STOP."""
    for text in texts:
        parts = _WORD_RE.split(text or "")
        spans = _WORD_RE.findall(text or "")
        hits = [
            i for i, token in enumerate(spans) if _fold(token).startswith(tuple(words))
        ]
        if hits:
            break
    else:
        text = next((t for t in texts if t), "")
        parts, spans, hits = _WORD_RE.split(text), _WORD_RE.findall(text), []
    first = max(0, (hits[0] if hits else 0) - min(5, size // 3))
    last = min(len(spans), first + size)
    hit_set = set(hits)
    out = ["… "] if first > 0 else [parts[0]]
    for i in range(first, last):
        if i > first:
            out.append(parts[i])
        word = spans[i]
        out.append(f"{START}{word}{STOP}" if i in hit_set else word)
    out.append(" …" if last < len(spans) else parts[last])
    return "".join(out).strip()


def _excerpt(marked: str) -> SafeString:
    """Escape an excerpt whose matches are between START and STOP; mark them."""
    text = escape(" ".join(html.unescape(marked or "").split()))
    return mark_safe(  # noqa: S308 (escaped just above; only <mark> is added)
        text.replace(START, "<mark>").replace(STOP, "</mark>")
    )


# -- PostgreSQL ---------------------------------------------------------------


def _pg_plain(field: str) -> Func:
    """SQL for the plain text of an HTML field (citations and tags removed)."""
    without_cites = F(field)
    for pattern in (CITATION_PATTERN, GLOSSARY_PATTERN):
        without_cites = Func(
            without_cites,
            Value(pattern),
            Value(""),
            Value("g"),
            function="regexp_replace",
            output_field=TextField(),
        )
    return Func(
        without_cites,
        Value("<[^>]+>"),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=TextField(),
    )


def _postgres_search(query: str, *, lang: str, audience: Audience | None) -> Results:
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    config = PG_CONFIGS[lang]
    body = _pg_plain(f"live_revision__body_html_{lang}")
    vector = (
        SearchVector(f"live_revision__title_{lang}", weight="A", config=config)
        + SearchVector(f"live_revision__standfirst_{lang}", weight="B", config=config)
        + SearchVector(body, weight="C", config=config)
    )
    search_query = SearchQuery(query, config=config, search_type="websearch")
    queryset = in_language(Variant.objects.for_public_list(), lang)
    if audience is not None:
        queryset = queryset.filter(audience=audience)
    matches = queryset.alias(document=vector).filter(document=search_query)

    def fetch(offset: int, limit: int) -> list[Hit]:
        rows = matches.annotate(
            rank=SearchRank(vector, search_query),
            headline=SearchHeadline(
                body,
                search_query,
                config=config,
                start_sel=START,
                stop_sel=STOP,
                max_words=EXCERPT_WORDS,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        ).order_by("-rank", "-first_published_at", "-pk")[offset : offset + limit]
        return [
            Hit(
                variant=v,
                title=v.live_revision.localized("title", lang),
                excerpt=_excerpt(v.headline),
            )
            for v in rows
        ]

    return Results(matches.count, fetch)


# -- SQLite FTS5 ----------------------------------------------------------------


def _fts_query(query: str, *, lang: str, audience: Audience | None) -> str:
    """An FTS5 expression: every word must match the text, as a word prefix,
    in rows of ``lang`` (and ``audience``), filtered from the index alone."""
    words = " ".join(f'"{word}"*' for word in _WORD_RE.findall(query)[:20])
    expression = f'lang : "{lang}" AND {{title standfirst body}} : ({words})'
    if audience is not None:
        expression = f'audience_id : "{int(audience.pk)}" AND {expression}'
    return expression


def _sqlite_search(query: str, *, lang: str, audience: Audience | None) -> Results:
    where = f"{TABLE} MATCH %s"
    params: list = [_fts_query(query, lang=lang, audience=audience)]

    def count() -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)  # noqa: S608
            return cursor.fetchone()[0]

    def fetch(offset: int, limit: int) -> list[Hit]:
        # Rank in the index, then read the page's rows by rowid. Ties go to
        # the row indexed last (the latest publication): sorting on a column
        # would read it for every match. snippet() is not used: each row it
        # is asked for evaluates the whole query again.
        sql = (
            f"SELECT t.variant_id, t.title, t.standfirst, t.body"  # noqa: S608
            f" FROM {TABLE} AS t JOIN ("
            f"SELECT rowid AS id, bm25({TABLE}, 10.0, 4.0, 1.0, 0.0, 0.0, 0.0)"
            f" AS score FROM {TABLE} WHERE {where}"
            f" ORDER BY score, rowid DESC LIMIT %s OFFSET %s"
            f") AS best ON t.rowid = best.id ORDER BY best.score, best.id DESC"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
        variants = Variant.objects.for_public_list().in_bulk([r[0] for r in rows])
        words = [_fold(word) for word in _WORD_RE.findall(query)[:20]]
        return [
            Hit(
                variant=variants[int(variant_id)],
                title=variants[int(variant_id)].live_revision.localized("title", lang),
                excerpt=_excerpt(marked_excerpt((body, standfirst, title), words)),
            )
            for variant_id, title, standfirst, body in rows
            # A variant withdrawn since the index was read is simply left out.
            if int(variant_id) in variants
        ]

    return Results(count, fetch)


def uses_index() -> bool:
    """Whether this database keeps a search table (SQLite) to maintain."""
    return connection.vendor == "sqlite"


def index_variant(variant: Variant) -> None:
    """Make the search table hold exactly ``variant``'s live revision."""
    if not uses_index():
        return
    # The variant's rows, found from the index (variant_id is an FTS5 column).
    rows = f"{TABLE} MATCH 'variant_id : \"{int(variant.pk)}\"'"
    delete = (
        f"DELETE FROM {TABLE} WHERE rowid IN (SELECT rowid FROM {TABLE} WHERE {rows})"  # noqa: S608
    )
    with connection.cursor() as cursor:
        if variant.live_revision_id is None:
            cursor.execute(delete)
            return
        cursor.execute(
            f"SELECT revision_id, audience_id FROM {TABLE} WHERE {rows} LIMIT 1"  # noqa: S608
        )
        found = cursor.fetchone()
        if found is not None and [int(v) for v in found] == [
            variant.live_revision_id,
            variant.audience_id,
        ]:
            return
        cursor.execute(delete)
        _insert(cursor, variant)


def _insert(cursor, variant: Variant) -> None:
    """Add the rows of ``variant``'s live revision, one per language."""
    revision = variant.live_revision
    for lang in revision.languages:
        cursor.execute(
            f"INSERT INTO {TABLE} (title, standfirst, body, variant_id,"  # noqa: S608
            " revision_id, lang, audience_id, published)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            [
                revision.localized("title", lang),
                revision.localized("standfirst", lang),
                plain_text(revision.localized("body_html", lang)),
                variant.pk,
                revision.pk,
                lang,
                variant.audience_id,
                variant.first_published_at.isoformat(),
            ],
        )


def clear() -> None:
    """Empty the search table (nothing is searchable until the next rebuild)."""
    if uses_index():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def rebuild() -> int:
    """Index every published variant again; return how many are indexed."""
    if not uses_index():
        return 0
    variants = Variant.objects.published().select_related("live_revision")
    count = 0
    # All or nothing; once cleared, no row of a variant needs looking up or
    # deleting first (FTS5 finds rows by variant only by reading them all).
    with transaction.atomic(), connection.cursor() as cursor:
        clear()
        # In publication order: the rowid then breaks ranking ties newest first.
        ordered = variants.order_by("first_published_at", "pk")
        for variant in ordered.iterator(chunk_size=500):
            _insert(cursor, variant)
            count += 1
    return count


def variant_saved(sender, instance: Variant, raw: bool = False, **kwargs) -> None:
    """Signal receiver: keep the search table in step with what is online."""
    if not raw:
        index_variant(instance)


def connect() -> None:
    """Connect the indexing receiver (called from the app's ``ready()``)."""
    post_save.connect(variant_saved, sender=Variant, dispatch_uid="briefs.search")
