"""The briefs application."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """Configuration of the briefs application."""

    name = "briefs"
    verbose_name = _("Brèves")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the signals (freshness, search, security, two-factor
        attempts) and register the outbox's system checks."""
        from django.db.models.signals import post_migrate

        from . import security  # noqa: F401
        from .editorial import outbox  # noqa: F401
        from .public import search, signals  # noqa: F401
        from .two_factor import attempts  # noqa: F401

        search.connect()
        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """The database cache's table comes with ``migrate`` (tests, a restore's
    fresh database and ``make run`` alike); nothing happens for other caches."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
