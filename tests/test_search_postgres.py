"""Search on PostgreSQL reads its indexes, whatever the word.

An archive of a few thousand search documents is written straight into the
search table (the SQL the app uses to index, in bulk), then analysed as
autovacuum would: the plans of the count and of a page must use the search
table's indexes, never read the whole table, for a word in every brief and
for a rare one.
"""

import pytest
from django.db import connection

from briefs.public import search
from briefs.public.search.postgres import PostgresSearch
from tests.factories import make_published

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's query plans"
    ),
]

ROWS = 20_000


@pytest.fixture
def archive(db):
    """ROWS documents: "tacrolimus" in each, "rarissime" in one in a thousand."""
    variant = make_published(title="Le tacrolimus")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO briefs_search (variant_id, revision_id, lang, audience_id,
                published, title, standfirst, body, document)
            SELECT %s, %s, 'fr', %s, now() - i * interval '1 hour',
                'Brève ' || i, '', body, to_tsvector('french_unaccent', body)
            FROM (
                SELECT i, 'Le tacrolimus dans la myosite, brève numéro ' || i
                    || CASE WHEN i %% 1000 = 0 THEN ' rarissime' ELSE '' END
                    || repeat(' texte clinique détaillé', 40) AS body
                FROM generate_series(1, %s) AS i
            ) AS generated
            """,
            [variant.pk, variant.live_revision_id, variant.audience_id, ROWS],
        )
        cursor.execute("ANALYZE briefs_search")
    return variant


def plan(sql: str, params: list) -> str:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("word", ["tacrolimus", "rarissime", "myosite tacrolimus"])
def test_the_count_and_a_page_use_the_search_indexes(archive, word):
    engine = PostgresSearch()
    count_plan = plan(
        *engine.count_query(word, lang="fr", audience_id=None, cap=search.window())
    )
    page_plan = plan(
        *engine.page_query(
            word,
            lang="fr",
            audience_id=None,
            window=search.window(),
            offset=0,
            limit=20,
        )
    )
    for shown in (count_plan, page_plan):
        assert "Seq Scan on briefs_search" not in shown, shown
        assert "briefs_search_document" in shown or "briefs_search_recent" in shown
    if word == "rarissime":  # few matches: found through the GIN index
        assert "Bitmap Index Scan on briefs_search_document" in page_plan, page_plan


def test_a_word_in_every_brief_is_counted_up_to_the_window(archive):
    results = search.search("tacrolimus", lang="fr")
    assert results.count() == search.window()
    assert results.capped
    hits = results[0:20]
    assert len(hits) == 20
    # The excerpt is the body's: a brief whose title alone matches shows its start.
    assert sum("<mark>" in str(hit.excerpt) for hit in hits) >= 19


def test_a_rare_word_is_counted_exactly(archive):
    results = search.search("rarissime", lang="fr")
    assert results.count() == ROWS // 1000
    assert not results.capped
