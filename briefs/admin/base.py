"""What the back office's model admins share."""

from __future__ import annotations


class FrenchFirst:
    """Translated fields open on their French tab, the source language."""

    class Media:
        js = ("admin/js/french_first.js",)


class UserFormMixin:
    """Hands the request's user to forms so their checks can name it."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form


class IndexedSearch:
    """The changelist's search box answered from indexes on PostgreSQL.

    Django's search ORs ``icontains`` over every field, across joins, with a
    DISTINCT: PostgreSQL then reads every row of the archive (half a second
    at 100,000 briefs). Here each word becomes one condition on the
    changelist's own table: ``search_own_fields`` (trigram indexes of
    migration 0016) ORed with the ids that ``search_related_ids`` finds in
    other tables, read first and given as a list. The planner then combines
    the indexes when the word is rare, and reads the table once when it is
    everywhere: the same results as Django's, no join, no DISTINCT. Other
    databases keep Django's search.
    """

    # Beyond this many related ids, they stay a subquery (the word is common).
    RELATED_IDS_AS_LIST = 1000
    search_own_fields: tuple[str, ...] = ()

    def search_related_ids(self, word: str) -> list[tuple[str, object]]:
        """(field of this model, a values_list query of its ids) per relation."""
        return []

    def get_search_results(self, request, queryset, search_term):
        from django.db import connections
        from django.db.models import Q
        from django.utils.text import smart_split, unescape_string_literal

        if not search_term or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            condition = Q()
            for field in self.search_own_fields:
                condition |= Q(**{f"{field}__icontains": bit})
            for field, ids in self.search_related_ids(bit):
                # Unordered: a model's default ordering would join its tables.
                ids = ids.order_by()
                found = list(ids[: self.RELATED_IDS_AS_LIST + 1])
                if len(found) > self.RELATED_IDS_AS_LIST:
                    condition |= Q(**{f"{field}__in": ids})
                elif found:
                    condition |= Q(**{f"{field}__in": found})
            queryset = queryset.filter(condition)
        return queryset, False
