"""What a public page tells a reader so they can judge it: who, when, from what."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ..models import Profile, Variant


def person(user) -> dict[str, str] | None:
    """A person as the public page names them: full name and title."""
    if user is None:
        return None
    try:
        title = user.profile.title or ""
    except Profile.DoesNotExist:
        title = ""
    return {"name": user.get_full_name() or user.get_username(), "title": title}


def is_review_overdue(variant: Variant, *, now: dt.datetime | None = None) -> bool:
    """Whether a published variant is past its review-due date."""
    due = variant.review_due_at
    return due is not None and due <= (now or timezone.now())


def trust_context(
    variant: Variant, revision=None, *, now: dt.datetime | None = None
) -> dict:
    """The trust block of ``revision`` (default: the live one) of ``variant``.

    Reads only the variant, its audience, author and the revision with its
    approver: ``VariantQuerySet.for_public_detail`` selects them all.
    """
    revision = revision or variant.live_revision
    live = revision.pk == variant.live_revision_id
    metrics = revision.metrics or {}
    audience = variant.audience
    return {
        "author": person(variant.author),
        "reviewer": person(revision.approved_by),
        "published_at": variant.first_published_at,
        # A preview of a pending revision speaks of that revision only.
        "reviewed_at": (
            (variant.last_reviewed_at or revision.approved_at)
            if live
            else revision.approved_at
        ),
        "review_due_at": variant.review_due_at if live else None,
        "review_overdue": live and is_review_overdue(variant, now=now),
        "sources_count": len(revision.sources or []),
        "disclaimer": audience.disclaimer if audience.is_patient else "",
        # The flag as it was when the live revision was made.
        "off_label": metrics.get("off_label", variant.off_label),
    }
