"""Index every published variant again (SQLite's search table)."""

from django.core.management.base import BaseCommand

from ...public import search


class Command(BaseCommand):
    help = "Reconstruit l'index de recherche des brèves publiées (SQLite)."

    def handle(self, *args, **options) -> None:
        count = search.rebuild()
        if search.uses_index():
            self.stdout.write(f"{count} version(s) indexée(s).")
        else:
            self.stdout.write("PostgreSQL cherche directement dans les révisions.")
