"""Queue for each reviewer a mail listing the published briefs due for review."""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ...editorial.review_due import due_for_review, queue_reminders


class Command(BaseCommand):
    help = "Envoie aux relecteurs la liste des textes publiés à relire."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche les textes à relire sans envoyer de courriel.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        due = list(due_for_review())
        for variant in due:
            self.stdout.write(
                f"{variant.brief.slug} [{variant.audience.code}] "
                f"{date_format(timezone.localtime(variant.review_due_at), 'Y-m-d')}"
            )
        if dry_run:
            self.stdout.write(
                _("%(count)s texte(s) à relire, aucun courriel envoyé.")
                % {"count": len(due)}
            )
            return
        queued = queue_reminders()
        self.stdout.write(
            _(
                "%(count)s texte(s) à relire, %(queued)s courriel(s) mis en file d'envoi."
            )
            % {"count": len(due), "queued": len(queued)}
        )
