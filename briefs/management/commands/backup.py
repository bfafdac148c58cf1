"""python manage.py backup [FILE.json.gz]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde toute la base dans un fichier JSON compressé (gzip)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            nargs="?",
            type=Path,
            help="Fichier .json.gz (par défaut : NEWSROOM_BACKUP_DIR/newsroom-DATE.json.gz).",
        )

    def handle(self, *args, **options):
        try:
            path = backup(options["file"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {path}"))
