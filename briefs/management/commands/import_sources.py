"""python manage.py import_sources FILE [--dry-run] [--accept-conflicts]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...sources import importing as source_import
from ...sources.importing.plan import display


class Command(BaseCommand):
    help = gettext_lazy(
        "Importe des sources depuis un fichier BibTeX (.bib) ou RIS (.ris) : "
        "affiche le plan (nouvelles, mises à jour, conflits), puis l'applique en "
        "gardant les valeurs actuelles en conflit ; un fichier mal formé "
        "n'importe rien."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Affiche le plan sans rien enregistrer."),
        )
        parser.add_argument(
            "--accept-conflicts",
            action="store_true",
            help=gettext_lazy(
                "Prend aussi les valeurs du fichier en conflit (moins d'auteurs, "
                "identifiant remplacé, texte tronqué…)."
            ),
        )
        parser.add_argument(
            "--verbose-report",
            action="store_true",
            help=gettext_lazy(
                "Liste aussi les clés créées, mises à jour et inchangées."
            ),
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        data = _read(path)
        try:
            plan = source_import.plan_file(data=data, filename=path.name)
        except source_import.SourceImportError as exc:
            raise CommandError(
                _("%(path)s, %(error)s Rien n'a été importé.")
                % {"path": path, "error": exc}
            ) from exc
        self._write_plan(plan, path=path, verbose=options["verbose_report"])
        if options["dry_run"]:
            self.stdout.write(_("Simulation (--dry-run) : rien n'a été enregistré."))
            return
        try:
            report = source_import.apply_import(
                plan=plan, accept=options["accept_conflicts"]
            )
        except source_import.SourceImportError as exc:
            raise CommandError(
                _("%(path)s, %(error)s Rien n'a été importé.")
                % {"path": path, "error": exc}
            ) from exc
        for key, label in report.kept:
            self.stdout.write(
                self.style.WARNING(
                    _("gardé : %(key)s, %(field)s (conflit non accepté)")
                    % {"key": key, "field": label}
                )
            )
        if report.kept:
            self.stdout.write(
                _(
                    "Relancez avec --accept-conflicts pour prendre ces valeurs du fichier."
                )
            )
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

    def _write_plan(self, plan, *, path: Path, verbose: bool) -> None:
        self.stdout.write(
            _("Plan pour %(path)s : %(summary)s.")
            % {"path": path, "summary": plan.summary()}
        )
        for entry in plan.new:
            self.stdout.write(
                _("+ nouvelle : %(key)s (ligne %(line)d) %(title)s")
                % {"key": entry.key, "line": entry.line, "title": entry.title[:80]}
            )
        for entry in plan.updated:
            self.stdout.write(
                _("~ mise à jour : %(key)s (ligne %(line)d)")
                % {"key": entry.key, "line": entry.line}
            )
            for change in entry.changes:
                values = {
                    "field": change.label,
                    "old": _short(change.field, change.old),
                    "new": _short(change.field, change.new),
                    "why": change.conflict,
                }
                if change.conflict:
                    line = _("    ! conflit, %(field)s : %(old)s → %(new)s — %(why)s")
                    self.stdout.write(self.style.WARNING(line % values))
                else:
                    self.stdout.write(_("    %(field)s : %(old)s → %(new)s") % values)
        if verbose:
            for entry in plan.unchanged:
                self.stdout.write(
                    _("= inchangée : %(key)s (ligne %(line)d)")
                    % {"key": entry.key, "line": entry.line}
                )


def _short(field: str, value) -> str:
    text = display(field, value, names=4)
    return text if len(text) <= 160 else text[:159] + "…"


def _read(path: Path) -> bytes:
    """The file's bytes, refusing one larger than any import takes."""
    try:
        with path.open("rb") as handle:
            # One byte more than the limit is enough to know it is too big.
            return handle.read(source_import.MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            _("%(path)s : fichier illisible (%(reason)s).")
            % {"path": path, "reason": exc.strerror or exc}
        ) from exc
