"""Full-text search: an FTS5 table on SQLite; unaccent configurations on PostgreSQL."""

import html
import re

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS briefs_search USING fts5(
    title, standfirst, body,
    variant_id UNINDEXED, revision_id UNINDEXED, lang UNINDEXED,
    audience_id UNINDEXED, published UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
)
"""

# Text search configurations that ignore accents, stemming as the language does.
POSTGRES_CONFIGS = """
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{name}') THEN
        CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base});
        ALTER TEXT SEARCH CONFIGURATION {name}
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {base}_stem;
    END IF;
END
$$;
"""
CONFIGS = (("french_unaccent", "french"), ("english_unaccent", "english"))


_CITE_RE = re.compile(r'<sup class="cite">.*?</sup>', re.DOTALL)
_TAG_RE = re.compile(r"<[^>]+>")


def plain_text(body_html: str) -> str:
    """The readable text of rendered HTML, as it was when this migration ran
    (frozen here: a migration does not follow the app's code)."""
    text = _TAG_RE.sub(" ", _CITE_RE.sub("", body_html or ""))
    return " ".join(html.unescape(text).split())


def index_published(apps, schema_editor):
    """Index what is already online (databases made before this migration)."""
    Variant = apps.get_model("briefs", "Variant")
    live = Variant.objects.filter(live_revision__isnull=False).select_related(
        "live_revision"
    )
    for variant in live:
        revision = variant.live_revision
        for lang in ("fr", "en"):
            title = getattr(revision, f"title_{lang}")
            body_html = getattr(revision, f"body_html_{lang}")
            if not (title and body_html):
                continue
            schema_editor.execute(
                "INSERT INTO briefs_search (title, standfirst, body, variant_id,"
                " revision_id, lang, audience_id, published)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    title,
                    getattr(revision, f"standfirst_{lang}"),
                    plain_text(body_html),
                    variant.pk,
                    revision.pk,
                    lang,
                    variant.audience_id,
                    variant.first_published_at.isoformat(),
                ],
            )


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
        index_published(apps, schema_editor)
    elif connection.vendor == "postgresql":
        for name, base in CONFIGS:
            schema_editor.execute(POSTGRES_CONFIGS.format(name=name, base=base))


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS briefs_search")
    elif connection.vendor == "postgresql":
        for name, _base in CONFIGS:
            schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


class Unaccent(UnaccentExtension):
    """The unaccent extension on PostgreSQL; nothing elsewhere, either way."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("briefs", "0003_quality")]

    operations = [
        Unaccent(),
        migrations.RunPython(forwards, backwards),
    ]
