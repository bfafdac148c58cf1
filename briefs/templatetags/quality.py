"""Template tags of the trust block (public detail pages)."""

from django import template

from ..public.trust import trust_context

register = template.Library()


@register.simple_tag
def trust_info(variant, revision=None):
    """The trust block's context for ``revision`` of ``variant`` (briefs.public.trust)."""
    return trust_context(variant, revision or None)
