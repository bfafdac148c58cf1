"""python manage.py restore FILE.json.gz [--flush]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ...ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restaure une sauvegarde faite par « backup » dans une base migrée et vide."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Efface d'abord tout le contenu de la base (irréversible).",
        )

    def handle(self, *args, **options):
        try:
            count = restore(options["file"], flush=options["flush"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{count} objets restaurés."))
