"""Template tags of the trust block (public detail pages)."""

from django import template

from ..trust import trust_context

register = template.Library()


@register.simple_tag
def trust_info(variant, revision=None):
    """The trust block's context for ``revision`` of ``variant`` (briefs.trust)."""
    return trust_context(variant, revision or None)
