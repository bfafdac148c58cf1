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
