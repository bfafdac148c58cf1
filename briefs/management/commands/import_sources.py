"""python manage.py import_sources FILE [FILE ...]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from briefs.source_import import SourceImportError, import_sources_file


class Command(BaseCommand):
    help = gettext_lazy(
        "Importe des sources depuis un fichier BibTeX (.bib) ou RIS (.ris) ; "
        "doublons reconnus par DOI puis PMID ; un fichier mal formé n'importe rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--verbose-report",
            action="store_true",
            help=gettext_lazy("Liste les clés créées, mises à jour et inchangées."),
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("%(path)s : fichier illisible (%(reason)s).")
                % {"path": path, "reason": exc.strerror or exc}
            ) from exc
        try:
            report = import_sources_file(data=data, filename=path.name)
        except SourceImportError as exc:
            raise CommandError(
                _("%(path)s, %(error)s Rien n'a été importé.")
                % {"path": path, "error": exc}
            ) from exc
        if options["verbose_report"]:
            for label, keys in (
                (_("créées"), report.created),
                (_("mises à jour"), report.updated),
                (_("inchangées"), report.skipped),
            ):
                self.stdout.write(f"{label} : {', '.join(keys) or '-'}")
        self.stdout.write(
            self.style.SUCCESS(
                _("%(path)s : %(summary)s.")
                % {"path": path, "summary": report.summary()}
            )
        )
