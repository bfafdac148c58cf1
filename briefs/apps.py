"""The briefs application."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """Configuration of the briefs application."""

    name = "briefs"
    verbose_name = _("Brèves")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the cache, search-indexing and security-logging signals."""
        from . import search, security, signals  # noqa: F401
        from .two_factor import attempts  # noqa: F401

        search.connect()
