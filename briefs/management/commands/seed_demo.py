"""python manage.py seed_demo: demo brief, sources, topics and accounts (DEBUG only)."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from ...ops import demo


class Command(BaseCommand):
    help = "Crée le contenu et les comptes de démonstration (refusé si DEBUG est désactivé)."

    def handle(self, *args, **options):
        fixtures = settings.NEWSROOM_FIXTURES_DIR
        if not (fixtures / demo.BRIEF_FILE).exists():
            raise CommandError(
                f"{fixtures / demo.BRIEF_FILE} introuvable : "
                "définissez NEWSROOM_FIXTURES_DIR."
            )
        try:
            # The demo's own review mails would only be noise in the terminal.
            # ... sent here and now, not by a thread after the command is done.
            with override_settings(
                EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
                NEWSROOM_MAIL_SEND_AFTER_COMMIT="inline",
            ):
                demo.seed(fixtures_dir=fixtures)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration prêt."))
        self.stdout.write("Comptes de démonstration (administration : /admin/) :")
        for account in demo.ACCOUNTS:
            self.stdout.write(
                f"  {account.role:<28} identifiant {account.username:<12} "
                f"mot de passe {account.password}"
            )
