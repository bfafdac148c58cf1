"""python manage.py send_queued_mail: send the queued mail whose time has come.

Meant for cron, every minute; safe to run twice at once (each mail is
claimed before it is sent).
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ...editorial import outbox
from ...models import MailStatus


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente dont l'heure est venue et réessaie les échecs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=100,
            help="Nombre maximal de courriels envoyés par passage (100).",
        )
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Redonne d'abord une tentative aux courriels abandonnés.",
        )

    def handle(self, *args, limit: int = 100, retry_failed: bool = False, **options):
        if limit < 1:
            raise CommandError(_("--limit doit être un nombre positif."))
        if retry_failed:
            self.stdout.write(
                _("%(count)s courriel(s) abandonné(s) remis en attente.")
                % {"count": outbox.retry_failed()}
            )
        outcomes = outbox.send_due(limit=limit)
        for outcome in outcomes:
            mail = outcome.mail
            if outcome.status == MailStatus.SENT:
                line = _("Envoyé : n° %(pk)s à %(to)s, « %(subject)s »")
            elif outcome.status == MailStatus.FAILED:
                line = _("Abandonné : n° %(pk)s à %(to)s, « %(subject)s » : %(error)s")
            else:
                line = _(
                    "À réessayer : n° %(pk)s à %(to)s, « %(subject)s » : %(error)s"
                )
            self.stdout.write(
                line
                % {
                    "pk": mail.pk,
                    "to": mail.recipient,
                    "subject": mail.subject,
                    "error": outcome.error,
                }
            )
        counts = Counter(outcome.status for outcome in outcomes)
        self.stdout.write(
            _(
                "%(sent)s courriel(s) envoyé(s), %(retry)s à réessayer, "
                "%(failed)s abandonné(s)."
            )
            % {
                "sent": counts[MailStatus.SENT],
                "retry": counts[MailStatus.PENDING],
                "failed": counts[MailStatus.FAILED],
            }
        )
        if outcomes and outcomes[-1].server_error:
            self.stdout.write(
                _(
                    "Serveur de courriel injoignable : la suite attend le prochain passage."
                )
            )
