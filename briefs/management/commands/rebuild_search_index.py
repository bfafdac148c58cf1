"""Index every published variant again (the search table of either database)."""

from django.core.management.base import BaseCommand

from ...public import search


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche des brèves publiées."

    def handle(self, *args, **options) -> None:
        count = search.rebuild()
        self.stdout.write(f"{count} version(s) indexée(s).")
