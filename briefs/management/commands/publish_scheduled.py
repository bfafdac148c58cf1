"""python manage.py publish_scheduled: publish approved variants whose time has come.

Meant for cron (e.g. every minute); safe to run twice at once.
"""

from django.core.management.base import BaseCommand

from ...editorial.workflow import publish_due


class Command(BaseCommand):
    help = "Publie les versions approuvées dont la date de publication programmée est passée."

    def handle(self, *args, **options):
        published = publish_due()
        for variant in published:
            self.stdout.write(f"Publiée : {variant}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(published)} version(s) publiée(s).")
        )
