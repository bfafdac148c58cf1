"""Template tags of the back office."""

from django import template

from ..editorial import workflow

register = template.Library()


@register.simple_tag
def awaiting_review_count(user) -> int:
    """How many variants wait for ``user``'s review."""
    return workflow.awaiting_review_by(user).count()
