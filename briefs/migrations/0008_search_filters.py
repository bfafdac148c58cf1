"""SQLite search: language, audience and variant become indexed FTS5 columns.

Filtering on UNINDEXED columns reads every match's row (and finding a
variant's rows reads the whole table); as indexed columns they are filtered
in the MATCH expression, from the index alone. Rows are
copied in publication order, so that the rowid breaks ties newest first.
"""

from django.db import migrations

COLUMNS = "title, standfirst, body, variant_id, revision_id, lang, audience_id, published"

CREATE = """
CREATE VIRTUAL TABLE {name} USING fts5(
    title, standfirst, body, {filters},
    revision_id UNINDEXED, published UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""
INDEXED = "lang, audience_id, variant_id"
UNINDEXED = "lang UNINDEXED, audience_id UNINDEXED, variant_id UNINDEXED"


def _recreate(schema_editor, filters: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(CREATE.format(name="briefs_search_new", filters=filters))
    schema_editor.execute(
        f"INSERT INTO briefs_search_new ({COLUMNS})"
        f" SELECT {COLUMNS} FROM briefs_search ORDER BY published, rowid"
    )
    schema_editor.execute("DROP TABLE briefs_search")
    schema_editor.execute("ALTER TABLE briefs_search_new RENAME TO briefs_search")


def forwards(apps, schema_editor):
    _recreate(schema_editor, INDEXED)


def backwards(apps, schema_editor):
    _recreate(schema_editor, UNINDEXED)


class Migration(migrations.Migration):
    dependencies = [("briefs", "0007_rendered_pages")]

    operations = [migrations.RunPython(forwards, backwards)]
