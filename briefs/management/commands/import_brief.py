"""python manage.py import_brief FILE [--sources FILE.bib]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ...editorial.brief_import import import_legacy_brief, slug_for, system_editor
from ...editorial.workflow import WorkflowError
from ...sources.importing import SourceImportError, import_bibtex
from ...text.legacy import LegacyFormatError


class Command(BaseCommand):
    help = "Importe une brève au format texte (parties « Brève AFM » et « Brève AIM »)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--sources", type=Path, help="Fichier BibTeX des sources.")
        parser.add_argument(
            "--slug", help="Slug de la brève (par défaut : nom du fichier)."
        )
        parser.add_argument(
            "--user",
            default=None,
            help="Identifiant de l'auteur (par défaut : un superutilisateur).",
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        text = _read(path)
        bib = _read(options["sources"]) if options["sources"] else None
        user = _user(options["user"])
        try:
            with transaction.atomic():
                if bib is not None:
                    report = import_bibtex(bib)
                    self.stdout.write(f"Sources : {report.summary()}")
                result = import_legacy_brief(
                    text=text, slug=options["slug"] or slug_for(path), user=user
                )
        except LegacyFormatError as exc:
            raise CommandError(f"{path}, {exc}") from exc
        except SourceImportError as exc:
            raise CommandError(f"{options['sources']}, {exc}") from exc
        except WorkflowError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Brève « {result.brief.slug} » : créées {result.created or '-'}, "
                f"mises à jour {result.updated or '-'}, inchangées {result.unchanged or '-'}."
            )
        )


# A legacy brief is a few pages; anything bigger is not one.
MAX_FILE_BYTES = 1024 * 1024


def _read(path) -> str:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(
                f"{path} : fichier trop volumineux ({path.stat().st_size} octets ; "
                f"maximum {MAX_FILE_BYTES})."
            )
        text = path.read_text(encoding="utf-8")
        if "\x00" in text:  # a binary file that happens to decode
            raise CommandError(
                f"{path} : ce n'est pas un texte (octet nul ligne "
                f"{text[: text.index(chr(0))].count(chr(10)) + 1})."
            )
        return text
    except FileNotFoundError as exc:
        raise CommandError(f"{path} : fichier introuvable.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"{path} : ce n'est pas un texte UTF-8 (octet {exc.start})."
        ) from exc
    except OSError as exc:
        raise CommandError(f"{path} : {exc.strerror}.") from exc


def _user(username: str | None):
    users = get_user_model().objects
    if username:
        try:
            return users.get(username=username)
        except users.model.DoesNotExist as exc:
            raise CommandError(f"Utilisateur inconnu : {username}.") from exc
    user = users.filter(is_superuser=True, is_active=True).order_by("pk").first()
    return user or system_editor()
