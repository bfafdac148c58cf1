"""Template filters of the public pages."""

from django import template
from django.utils.translation import get_language

from ..public.selectors import site_language

register = template.Library()


@register.filter
def localized(revision, field: str) -> str:
    """``field`` of a revision in the language of the page (no fallback)."""
    if revision is None:
        return ""
    return revision.localized(field, site_language(get_language()))


@register.filter
def person(user) -> str:
    """A person's name as readers see it."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
