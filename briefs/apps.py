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
        """Connect the signals, register the integer lookups and URL converter."""
        from . import lookups, search, security, signals  # noqa: F401
        from .http import DatabaseIntConverter

        search.connect()
        register_converter(DatabaseIntConverter, "dbint")


# Not imported by name: Django picks an app's config among the classes of
# its apps module, and would find two.
class NewsroomAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the site of briefs.admin_site."""

    default = False
    default_site = "briefs.admin_site.NewsroomAdminSite"
