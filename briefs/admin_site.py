"""The admin site: every model admin, ours or an app's, reads request values
as strictly as briefs.http does.

Outside the briefs.admin package on purpose: Django imports the default
site's module before it discovers the admins, and importing that package
would register every admin on a site not made yet.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .http import parse_int

# PostgreSQL text cannot hold it, and psycopg refuses to send it (a 500).
NUL = "\x00"


def valid_key(field: models.Field, value: str) -> bool:
    """Whether ``value``, as read from a request, can be a value of ``field``."""
    if isinstance(field, models.IntegerField):
        # int() would take "١٢" for 12 and a 30-digit number no column holds.
        return parse_int(value) is not None
    if NUL in value:
        return False
    try:
        field.to_python(value)
    except (ValidationError, ValueError):
        return False
    return True


class StrictRequestValuesMixin:
    """Ids, selected rows, filter values and search terms no row can match
    find nothing, instead of reaching the database as they came."""

    def get_object(self, request, object_id, from_field=None):
        opts = self.model._meta
        field = opts.pk if from_field is None else opts.get_field(from_field)
        if not valid_key(field, object_id):
            return None
        return super().get_object(request, object_id, from_field)

    def response_action(self, request, queryset):
        # Django filters pk__in on the posted values as they come: "²" or
        # "1,2" raise ValueError there, a 500.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(valid_key(self.model._meta.pk, value) for value in selected):
            self.message_user(
                request,
                _("Sélection invalide : cochez les lignes dans la liste."),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)

    def lookup_allowed(self, lookup, value, request=None):
        if NUL in lookup or NUL in str(value):
            # Answered as the admin answers any filter value it cannot use:
            # back to the list, unfiltered.
            raise IncorrectLookupParameters(lookup)
        return super().lookup_allowed(lookup, value, request)

    def get_search_results(self, request, queryset, search_term):
        # The list's search form refuses NUL; the autocomplete's term comes
        # here unchecked.
        if NUL in search_term:
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)


class NewsroomAdminSite(admin.AdminSite):
    """The default admin site, named after the newsroom, whose model admins
    all read values strictly."""

    index_title = _("Espace de rédaction")

    # Read on each request: settings are not read at import time.
    @property
    def site_header(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    @property
    def site_title(self) -> str:
        return settings.NEWSROOM_SITE_NAME

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, StrictRequestValuesMixin):
            # One door for every registration, django.contrib.auth's and
            # django-axes' included, and for any admin added later.
            admin_class = type(
                admin_class.__name__,
                (StrictRequestValuesMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def get_urls(self):
        # Imported here: the calendar's views belong to briefs.admin, which
        # cannot be imported while this module is (see the docstring).
        from django.urls import path

        from .admin import calendar

        return [
            path(
                "calendar/",
                self.admin_view(calendar.calendar_view),
                {"admin_site": self},
                name="calendar",
            ),
            path(
                "calendar/new-address/",
                self.admin_view(calendar.new_key_view),
                name="calendar_new_key",
            ),
            # Without admin_view: calendar applications have no session.
            path(
                "calendar/<str:key>.ics",
                calendar.feed_view,
                name="calendar_feed",
            ),
            *super().get_urls(),
        ]
