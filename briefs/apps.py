"""The briefs application, and the admin site it configures."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class BriefsConfig(AppConfig):
    """Configuration of the briefs application."""

    name = "briefs"
    verbose_name = _("Brèves")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Connect the signals (freshness, search, security, two-factor
        attempts), register the outbox's system checks, the integer lookups
        and the URL converter."""
        from django.db.models.signals import post_migrate

        from .editorial import outbox  # noqa: F401
        from .http import DatabaseIntConverter
        from .models import lookups  # noqa: F401
        from .ops import security  # noqa: F401
        from .public import search, signals  # noqa: F401
        from .two_factor import attempts  # noqa: F401

        search.connect()
        register_converter(DatabaseIntConverter, "dbint")
        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """The database cache's table comes with ``migrate`` (tests, a restore's
    fresh database and ``make run`` alike); nothing happens for other caches."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


# Not imported by name: Django picks an app's config among the classes of
# its apps module, and would find two.
class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of briefs.admin_site."""

    default = False
    default_site = "briefs.admin_site.NewsroomAdminSite"
