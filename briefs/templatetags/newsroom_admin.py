"""Template tags of the back office."""

from django import template
from django.urls import NoReverseMatch, reverse

from ..editorial import desk

register = template.Library()


@register.simple_tag(takes_context=True)
def desk_of_request(context) -> desk.Desk:
    """The desk of the person signed in: the lists of each role they have."""
    return desk.desk_for(context["request"].user)


@register.simple_tag
def admin_url_if_any(name: str) -> str:
    """The address of an admin page that may not exist (yet) in this site."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register.simple_tag
def open_reports_count() -> int:
    """How many errors readers reported that nobody has taken in hand yet."""
    from ..models import ReaderFeedback

    return ReaderFeedback.objects.open_reports().count()
