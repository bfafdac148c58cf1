"""Reads of the source library that other capabilities need."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..models import Revision, Source
from ..text.markdown import citation_keys, render_markdown


def sources_by_key(keys: Iterable[str]) -> dict[str, Source]:
    """The sources with these citation keys, by key (unknown keys left out)."""
    keys = set(keys)
    if not keys:
        return {}
    return {source.key: source for source in Source.objects.filter(key__in=keys)}


def unknown_citation_keys(text: str) -> list[str]:
    """Keys cited in Markdown ``text`` (outside code) that match no source."""
    keys = citation_keys(text)
    if not keys:
        return []
    known = set(Source.objects.filter(key__in=keys).values_list("key", flat=True))
    return render_markdown(text, known_keys=known).unknown_keys


def deletion_blockers(sources: Iterable) -> list[str]:
    """The revisions that keep ``sources`` from being deleted, one line each."""
    revisions = (
        Revision.objects.filter(citations__source__in=list(sources))
        .select_related("variant__audience", "variant__brief")
        .order_by("variant__brief__slug", "variant__audience__code", "number")
        .distinct()
    )
    lines = []
    for revision in revisions:
        live = revision.variant.live_revision_id == revision.pk
        lines.append(
            (
                _("« %(title)s » (%(audience)s), révision %(number)d, en ligne")
                if live
                else _("« %(title)s » (%(audience)s), révision %(number)d")
            )
            % {
                "title": revision.title_fr,
                "audience": revision.variant.audience.code.upper(),
                "number": revision.number,
            }
        )
    return lines
