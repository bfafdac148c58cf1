"""Search on SQLite: an FTS5 table of the live revisions.

``unicode61 remove_diacritics`` tokens; language, audience and variant are
indexed columns filtered in the MATCH. A query takes the most recently
indexed matches up to the window (FTS5 walks its lists by rowid, newest
first, and stops), ranks those with ``bm25()``, and reads the page's rows by
rowid; excerpts are marked in Python.
"""

from __future__ import annotations

from django.db import connection, transaction

from ...text.plain import plain_text
from .excerpts import WORD_RE, fold, marked_excerpt
from .types import Row

TABLE = "briefs_search"
BM25 = f"bm25({TABLE}, 10.0, 4.0, 1.0, 0.0, 0.0, 0.0)"


def fts_query(query: str, *, lang: str, audience_id: int | None) -> str:
    """An FTS5 expression: every word must match the text, as a word prefix,
    in rows of ``lang`` (and the audience), filtered from the index alone."""
    words = " ".join(f'"{word}"*' for word in WORD_RE.findall(query)[:20])
    expression = f'lang : "{lang}" AND {{title standfirst body}} : ({words})'
    if audience_id is not None:
        expression = f'audience_id : "{int(audience_id)}" AND {expression}'
    return expression


class SQLiteSearch:
    """The FTS5 table on SQLite."""

    name = "sqlite"

    def count(self, query: str, *, lang: str, audience_id: int | None, cap: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM (SELECT rowid FROM {TABLE}"  # noqa: S608
                f" WHERE {TABLE} MATCH %s LIMIT %s)",
                [fts_query(query, lang=lang, audience_id=audience_id), cap],
            )
            return cursor.fetchone()[0]

    def page(
        self,
        query: str,
        *,
        lang: str,
        audience_id: int | None,
        window: int,
        offset: int,
        limit: int,
    ) -> list[Row]:
        # snippet() is not used: each row it is asked for evaluates the whole
        # query again.
        sql = (
            f"SELECT t.variant_id, b.slug, t.audience_id, t.title, t.published,"  # noqa: S608
            f" t.standfirst, t.body FROM {TABLE} AS t JOIN ("
            f"SELECT id, score FROM (SELECT rowid AS id, {BM25} AS score"
            f" FROM {TABLE} WHERE {TABLE} MATCH %s ORDER BY rowid DESC LIMIT %s)"
            f" ORDER BY score, id DESC LIMIT %s OFFSET %s"
            f") AS best ON t.rowid = best.id"
            f" JOIN briefs_variant v ON v.id = t.variant_id"
            f" JOIN briefs_brief b ON b.id = v.brief_id"
            f" ORDER BY best.score, best.id DESC"
        )
        match = fts_query(query, lang=lang, audience_id=audience_id)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match, window, limit, offset])
            rows = cursor.fetchall()
        words = [fold(word) for word in WORD_RE.findall(query)[:20]]
        return [
            Row(
                int(variant_id),
                slug,
                int(audience_id),
                title,
                published,
                marked_excerpt((body, standfirst, title), words),
            )
            for variant_id, slug, audience_id, title, published, standfirst, body in rows
        ]

    def index(self, variant) -> None:
        # The variant's rows, found from the index (variant_id is an FTS5 column).
        rows = f"{TABLE} MATCH 'variant_id : \"{int(variant.pk)}\"'"
        delete = (
            f"DELETE FROM {TABLE} WHERE rowid IN"  # noqa: S608
            f" (SELECT rowid FROM {TABLE} WHERE {rows})"
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

    def rebuild(self, variants) -> int:
        count = 0
        # All or nothing; once cleared, no row of a variant needs looking up or
        # deleting first (FTS5 finds rows by variant only by reading them all).
        with transaction.atomic(), connection.cursor() as cursor:
            self.clear()
            for variant in variants:
                _insert(cursor, variant)
                count += 1
        return count

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def _insert(cursor, variant) -> None:
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
