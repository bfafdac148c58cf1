"""Backups: the whole database as gzip-compressed JSON, and its restore.

The dump uses natural keys (users, groups, permissions by name) so it loads
into any freshly migrated database, SQLite or PostgreSQL. Transient tables
(sessions, login attempts) are left out.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "axes",
]
# Tables whose rows mean "this database already holds content".
CONTENT_MODELS = ["briefs.Brief", "briefs.Variant", "briefs.Source", "auth.User"]


class BackupError(Exception):
    """A backup or restore could not be done; the message says why."""


def default_path() -> Path:
    """Where a backup goes when no file is named: a dated file in the backup dir."""
    folder = Path(
        getattr(settings, "NEWSROOM_BACKUP_DIR", settings.BASE_DIR / "backups")
    )
    return folder / f"newsroom-{timezone.now():%Y%m%d-%H%M%S}.json.gz"


def backup(path: Path | None = None) -> Path:
    """Write a consistent compressed dump of the database to ``path``.

    The file appears complete or not at all (written aside, then renamed).
    """
    path = Path(path or default_path())
    if not path.name.endswith(".json.gz"):
        raise BackupError(_("Le fichier de sauvegarde doit finir par .json.gz."))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".json.gz.part")
    os.close(fd)
    try:
        # Inside a caller's transaction the snapshot is the caller's business.
        own_snapshot = connection.vendor == "postgresql" and not (
            connection.in_atomic_block
        )
        with transaction.atomic():
            if own_snapshot:
                # One snapshot for every table, even while editors work.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    )
            with gzip.open(tmp, "wt", encoding="utf-8") as out:
                call_command(
                    "dumpdata",
                    natural_foreign=True,
                    natural_primary=True,
                    exclude=EXCLUDED,
                    stdout=out,
                    verbosity=0,
                )
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def read_dump(path: Path) -> list[dict]:
    """Read and check a dump; raise :class:`BackupError` if it is not one."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            data = json.load(f)
    except FileNotFoundError as exc:
        raise BackupError(
            _("%(path)s : fichier introuvable.") % {"path": path}
        ) from exc
    except (OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        raise BackupError(
            _("%(path)s n'est pas une sauvegarde lisible (JSON compressé gzip).")
            % {"path": path}
        ) from exc
    if not isinstance(data, list) or not all(
        isinstance(o, dict) and "model" in o and "fields" in o for o in data
    ):
        raise BackupError(
            _("%(path)s n'est pas une sauvegarde de ce site.") % {"path": path}
        )
    return data


def rebuild_derived() -> None:
    """Rebuild every table derived from the content and make every cached
    page stale: the search index, stored pages and the page cache."""
    from ..public import freshness, search

    search.rebuild()
    freshness.invalidate_everything()


def database_has_content() -> bool:
    from django.apps import apps

    return any(apps.get_model(name).objects.exists() for name in CONTENT_MODELS)


def restore(path: Path, *, flush: bool = False) -> int:
    """Load the dump at ``path``; return how many objects it held.

    The database must be migrated and hold no content, unless ``flush`` is
    given: then everything in it is erased first. All or nothing; the site
    searches and serves the restored content as soon as it returns.
    """
    path = Path(path)
    count = len(read_dump(path))
    if database_has_content() and not flush:
        raise BackupError(
            _(
                "La base contient déjà des données : restaurez dans une base neuve "
                "(migrate) ou ajoutez --flush pour tout effacer d'abord."
            )
        )
    try:
        with transaction.atomic():
            if flush:
                if connection.vendor == "postgresql":
                    # TRUNCATE refuses tables with deferred checks still pending.
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                call_command("flush", interactive=False, verbosity=0)
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            call_command("loaddata", str(path), verbosity=0)
            # Loaded rows skip the signals: rebuild what derives from them.
            rebuild_derived()
    except (DeserializationError, IntegrityError, DatabaseError) as exc:
        raise BackupError(
            _("Restauration impossible, rien n'a été changé : %(error)s")
            % {"error": exc}
        ) from exc
    return count
