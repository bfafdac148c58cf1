"""PostgreSQL's search table: one row per live variant and language, a GIN index.

SQLite keeps its FTS5 table (0004, 0008). What is already online is
indexed here, in SQL frozen with the migration (tags and citation numbers
taken out of the HTML as the app does).
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS briefs_search (
    id bigserial PRIMARY KEY,
    -- No foreign key: Django's flush truncates the variants without cascading;
    -- a live variant cannot be deleted, and withdrawing one removes its rows.
    variant_id bigint NOT NULL,
    revision_id bigint NOT NULL,
    lang varchar(5) NOT NULL,
    audience_id bigint NOT NULL,
    published timestamptz NOT NULL,
    title text NOT NULL,
    standfirst text NOT NULL,
    body text NOT NULL,
    document tsvector NOT NULL
);
CREATE INDEX IF NOT EXISTS briefs_search_document ON briefs_search USING gin (document);
CREATE INDEX IF NOT EXISTS briefs_search_recent
    ON briefs_search (lang, published DESC, variant_id DESC);
CREATE INDEX IF NOT EXISTS briefs_search_audience_recent
    ON briefs_search (lang, audience_id, published DESC, variant_id DESC);
CREATE INDEX IF NOT EXISTS briefs_search_variant ON briefs_search (variant_id);
"""

PLAIN = (
    "regexp_replace(regexp_replace(regexp_replace(r.body_html_{lang},"
    " '<sup class=\"cite\">.*?</sup>', '', 'g'),"
    " '<span class=\"gloss-def\"[^>]*>[^<]*</span>', '', 'g'), '<[^>]+>', ' ', 'g')"
)
BACKFILL = """
INSERT INTO briefs_search (variant_id, revision_id, lang, audience_id, published,
                           title, standfirst, body, document)
SELECT v.id, r.id, '{lang}', v.audience_id, v.first_published_at,
       r.title_{lang}, r.standfirst_{lang}, {plain},
       setweight(to_tsvector('{config}', r.title_{lang}), 'A')
       || setweight(to_tsvector('{config}', r.standfirst_{lang}), 'B')
       || setweight(to_tsvector('{config}', {plain}), 'C')
FROM briefs_variant v JOIN briefs_revision r ON r.id = v.live_revision_id
WHERE r.title_{lang} <> '' AND r.body_html_{lang} <> ''
"""
CONFIGS = {"fr": "french_unaccent", "en": "english_unaccent"}


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CREATE)
    for lang, config in CONFIGS.items():
        plain = PLAIN.format(lang=lang)
        schema_editor.execute(BACKFILL.format(lang=lang, config=config, plain=plain))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS briefs_search")


class Migration(migrations.Migration):
    dependencies = [("briefs", "0012_event_labels_and_edit_count")]

    operations = [migrations.RunPython(forwards, backwards)]
