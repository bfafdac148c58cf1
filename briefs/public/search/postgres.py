"""Search on PostgreSQL: a table of search documents with a GIN index.

One row per live variant and language, written in the transaction that
changes the live revision: the plain text, a weighted ``tsvector`` (title A,
standfirst B, body C) in the language's ``unaccent`` configuration, and what
a hit shows. A query reads the most recent matches up to the window (the
GIN index for a rare word, the publication-date index for a common one:
PostgreSQL picks from its statistics), ranks those with ``ts_rank`` and
limits at the database; headlines are made for the page's hits only, and
the count stops at the window.
"""

from __future__ import annotations

from django.db import connection, transaction

from ...text.plain import START, STOP, plain_text
from .types import Row

TABLE = "briefs_search"
CONFIGS = {"fr": "french_unaccent", "en": "english_unaccent"}
HEADLINE = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _document(config: str) -> str:
    return (
        f"setweight(to_tsvector('{config}', %s), 'A')"
        f" || setweight(to_tsvector('{config}', %s), 'B')"
        f" || setweight(to_tsvector('{config}', %s), 'C')"
    )


def _filters(lang: str, audience_id: int | None) -> tuple[str, list]:
    where = "lang = %s AND document @@ websearch_to_tsquery(%s, %s)"
    params: list = [lang, CONFIGS[lang]]
    if audience_id is not None:
        where += " AND audience_id = %s"
    return where, params


class PostgresSearch:
    """The search table on PostgreSQL."""

    name = "postgresql"

    def count_query(
        self, query: str, *, lang: str, audience_id: int | None, cap: int
    ) -> tuple[str, list]:
        """The SQL of :meth:`count` and its parameters (tests EXPLAIN it)."""
        where, params = _filters(lang, audience_id)
        params = [*params, query, *([audience_id] if audience_id else []), cap]
        # The most recent matches, as many as the window: early out of the
        # recency index for a common word, the GIN index for a rare one.
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {TABLE} WHERE {where}"  # noqa: S608
            " ORDER BY published DESC, variant_id DESC LIMIT %s) AS found"
        )
        return sql, params

    def count(self, query: str, *, lang: str, audience_id: int | None, cap: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                *self.count_query(query, lang=lang, audience_id=audience_id, cap=cap)
            )
            return cursor.fetchone()[0]

    def page_query(
        self,
        query: str,
        *,
        lang: str,
        audience_id: int | None,
        window: int,
        offset: int,
        limit: int,
    ) -> tuple[str, list]:
        """The SQL of :meth:`page` and its parameters (tests EXPLAIN it)."""
        config = CONFIGS[lang]
        where, params = _filters(lang, audience_id)
        params = [*params, query, *([audience_id] if audience_id else [])]
        # The window holds ids, dates and documents only: titles and bodies
        # are read for the page's hits.
        sql = f"""
            WITH q AS (SELECT websearch_to_tsquery(%s, %s) AS q),
            recent AS (
                SELECT id, variant_id, published, document FROM {TABLE}
                WHERE {where} ORDER BY published DESC, variant_id DESC LIMIT %s
            ),
            best AS (
                SELECT recent.id, ts_rank(recent.document, q.q) AS rank,
                       recent.published, recent.variant_id
                FROM recent, q
                ORDER BY rank DESC, recent.published DESC, recent.variant_id DESC
                LIMIT %s OFFSET %s
            )
            SELECT s.variant_id, b.slug, s.audience_id, s.title, s.published,
                   ts_headline(%s, s.body, q.q, %s)
            FROM best JOIN {TABLE} s ON s.id = best.id
            JOIN briefs_variant v ON v.id = s.variant_id
            JOIN briefs_brief b ON b.id = v.brief_id, q
            ORDER BY best.rank DESC, best.published DESC, best.variant_id DESC
        """  # noqa: S608 (names are constants; values are parameters)
        return sql, [config, query, *params, window, limit, offset, config, HEADLINE]

    def page(self, query: str, **options) -> list[Row]:
        with connection.cursor() as cursor:
            cursor.execute(*self.page_query(query, **options))
            return [Row(*row) for row in cursor.fetchall()]

    def index(self, variant) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT revision_id, audience_id FROM {TABLE}"  # noqa: S608
                " WHERE variant_id = %s LIMIT 1",
                [variant.pk],
            )
            found = cursor.fetchone()
            unchanged = [variant.live_revision_id, variant.audience_id]
            if (
                variant.live_revision_id is not None
                and found is not None
                and (list(found) == unchanged)
            ):
                return
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE variant_id = %s",  # noqa: S608
                [variant.pk],
            )
            if variant.live_revision_id is not None:
                _insert(cursor, [variant])

    def rebuild(self, variants) -> int:
        count = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {TABLE}")  # noqa: S608
            batch = []
            for variant in variants:
                batch.append(variant)
                if len(batch) == 500:
                    count += _insert(cursor, batch)
                    batch = []
            count += _insert(cursor, batch)
        with connection.cursor() as cursor:
            # Fresh statistics: the planner's choice of index depends on them.
            cursor.execute(f"ANALYZE {TABLE}")  # noqa: S608
        return count

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def _insert(cursor, variants) -> int:
    """Add the rows of these variants' live revisions, one per language."""
    rows = []
    for variant in variants:
        revision = variant.live_revision
        for lang in revision.languages:
            title = revision.localized("title", lang)
            standfirst = revision.localized("standfirst", lang)
            body = plain_text(revision.localized("body_html", lang))
            rows.append(
                (
                    [variant.pk, revision.pk, lang, variant.audience_id]
                    + [variant.first_published_at, title, standfirst, body]
                    + [title, standfirst, body],
                    CONFIGS[lang],
                )
            )
    for config in {config for _values, config in rows}:
        # One statement, many rows: psycopg sends them in one pipeline.
        cursor.executemany(
            f"INSERT INTO {TABLE} (variant_id, revision_id, lang, audience_id,"  # noqa: S608
            " published, title, standfirst, body, document)"
            f" VALUES (%s, %s, %s, %s, %s, %s, %s, %s, {_document(config)})",
            [values for values, c in rows if c == config],
        )
    return len({values[0] for values, _config in rows})
