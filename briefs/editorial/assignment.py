"""Who reviews a text: the reviewer named on submission, and by when.

The editor may name a reviewer (someone with the review right who did not
write the text) and a due date on submitting; a chief editor can name
another one since; any reviewer can take a text nobody was named for. Only
the named reviewer decides on a text named for them. These are the rules;
the actions that apply them are in briefs.editorial.review_actions.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Variant
from .editing import text_authors
from .errors import WorkflowError

REVIEW_PERMISSION = "review_variant"


def reviewers_to_name() -> QuerySet:
    """Active people who hold the review right, by name (superusers included)."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__permissions__codename=REVIEW_PERMISSION)
            | Q(user_permissions__codename=REVIEW_PERMISSION)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def problems(
    *, variant: Variant, reviewer, due: dt.date | None, submitter=None
) -> list[str]:
    """What is wrong with naming ``reviewer`` for ``variant`` by ``due``."""
    found = []
    if reviewer is not None:
        writers = text_authors(variant)
        if submitter is not None:
            writers.add(submitter.pk)
        if not (reviewer.is_active and reviewer.has_perm("briefs.review_variant")):
            found.append(
                _("%(name)s ne peut pas relire : choisissez un relecteur.")
                % {"name": reviewer.get_full_name() or reviewer.get_username()}
            )
        elif reviewer.pk in writers:
            found.append(
                _(
                    "%(name)s a écrit ou modifié ce texte : choisissez un autre "
                    "relecteur."
                )
                % {"name": reviewer.get_full_name() or reviewer.get_username()}
            )
    if due is not None and due < timezone.localdate():
        found.append(_("La date de relecture attendue est déjà passée."))
    return found


def check_may_decide(*, variant: Variant, user) -> None:
    """Refuse a decision by another reviewer than the one named for the text."""
    named = variant.assigned_to
    if named is not None and named.pk != user.pk:
        raise WorkflowError(
            _(
                "Ce texte est confié à %(name)s : un rédacteur en chef peut le "
                "confier à quelqu'un d'autre."
            )
            % {"name": named.get_full_name() or named.get_username()}
        )


def is_overdue(variant: Variant, *, today: dt.date | None = None) -> bool:
    """Whether the review expected by a date is late."""
    today = today or timezone.localdate()
    return variant.assignment_due is not None and variant.assignment_due < today
