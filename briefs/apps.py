"""The briefs application."""

from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """Configuration of the briefs application."""

    name = "briefs"
    verbose_name = _("Brèves")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the signals, register the integer lookups and URL converter."""
        from . import lookups, search, security, signals  # noqa: F401
        from .http import DatabaseIntConverter

        search.connect()
        register_converter(DatabaseIntConverter, "dbint")
