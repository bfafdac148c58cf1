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
    at 100,000 briefs). Here each word must match one of the admin's
    ``search_subqueries`` (ids, each query answered by a trigram index of
    migration 0016), the union of which filters the changelist: the same
    results, no join, no DISTINCT. Other databases keep Django's search.
    """

    def search_subqueries(self, word: str) -> list:
        raise NotImplementedError

    def get_search_results(self, request, queryset, search_term):
        from django.db import connections
        from django.utils.text import smart_split, unescape_string_literal

        if not search_term or connections[queryset.db].vendor != "postgresql":
            return super().get_search_results(request, queryset, search_term)
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            # Unordered: a model's default ordering would join its tables.
            first, *others = (ids.order_by() for ids in self.search_subqueries(bit))
            queryset = queryset.filter(pk__in=first.union(*others))
        return queryset, False
