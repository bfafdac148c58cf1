"""Template filters of the public pages."""

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..public.selectors import site_language

register = template.Library()

# Rendered chrome, by what alone it depends on (see ``fragment``).
_FRAGMENTS: dict[tuple, str] = {}


@register.simple_tag
def fragment(template_name: str, current: str = ""):
    """A piece of the page's chrome (navigation, search form, footer),
    rendered once per process and language.

    It shows no content, only the code's own links and words: it depends
    on the template, the language, the URLs, the site's name and
    ``current`` (the audience whose link is marked current), all in its key.
    Every page would otherwise reverse and translate the same dozen strings.
    With DEBUG on it is rendered every time, so that an edited template shows.
    """
    key = (
        template_name,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        settings.NEWSROOM_SITE_NAME,
        current or "",
    )
    html = _FRAGMENTS.get(key)
    if html is None:
        html = render_to_string(
            template_name,
            {"current": current or "", "site_name": settings.NEWSROOM_SITE_NAME},
        )
        if not settings.DEBUG:
            _FRAGMENTS[key] = html
    return mark_safe(html)  # noqa: S308 (our own template's output)


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
