"""Template tags of the trust block (public detail pages)."""

from django import template

from ..trust import trust_context

register = template.Library()


@register.simple_tag
def trust_info(variant):
    """The trust block's context for ``variant`` (see briefs.trust)."""
    return trust_context(variant)
