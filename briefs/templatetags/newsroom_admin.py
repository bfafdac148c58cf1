"""Template tags of the back office."""

from django import template

from ..editorial import workflow

register = template.Library()


@register.simple_tag
def awaiting_review_count(user) -> int:
    """How many variants wait for ``user``'s review."""
    return workflow.awaiting_review_by(user).count()


@register.simple_tag
def open_reports_count() -> int:
    """How many errors readers reported that nobody has taken in hand yet."""
    from ..models import ReaderFeedback

    return ReaderFeedback.objects.open_reports().count()
