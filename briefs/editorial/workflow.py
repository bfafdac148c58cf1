"""The editorial workflow: the one door every state change goes through.

``perform`` runs an action (briefs.editorial.actions): it checks who may do
it, locks the variant's row, checks its current state, changes it, writes a
review event, and queues the notifications in the same transaction. Saving
the text goes through ``save_content`` (briefs.editorial.editing). The admin,
the management commands and the tests all call these; nothing else assigns a
variant's state.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import EventAction, ReviewEvent, State, Variant
from . import actions, publishing, reader_feedback, review_actions
from .actions import Action, Outcome
from .editing import (
    EDITABLE_STATES,
    awaiting_review_by,
    can_edit,
    check_can_edit,
    content_field_names,
    content_problems,
    save_content,
    text_authors,
)
from .errors import ConfirmationNeeded, ContentRefused, EditConflict, WorkflowError
from .publishing import go_live, unpublish_consequences

# Every workflow action, by name: what the doors may ask for.
ACTIONS: dict[str, Action] = {
    **actions.ACTIONS,
    **{
        a.name: a
        for a in (
            publishing.Publish(),
            publishing.Unpublish(),
            publishing.Certify(),
            publishing.WithdrawTranslation(),
        )
    },
    **review_actions.ACTIONS,
    **reader_feedback.ACTIONS,
}

__all__ = [
    "ACTIONS",
    "EDITABLE_STATES",
    "Action",
    "ConfirmationNeeded",
    "ContentRefused",
    "EditConflict",
    "Outcome",
    "WorkflowError",
    "allowed_actions",
    "approve",
    "awaiting_review_by",
    "can_edit",
    "check_can_edit",
    "content_field_names",
    "content_problems",
    "perform",
    "publish",
    "publish_due",
    "request_changes",
    "save_content",
    "submit",
    "text_authors",
    "unpublish",
    "unpublish_consequences",
]


def perform(
    name: str,
    *,
    variant: Variant,
    user,
    comment: str = "",
    revision: int | None = None,
    **options,
) -> Outcome:
    """Run the workflow action called ``name``: every door's one entry point.

    ``revision`` is the number of the revision the person saw when they
    decided (a decision on a revision replaced meanwhile is refused);
    ``options`` are the action's own (``at`` to schedule a publication,
    ``confirm`` for an unpublication that leaves pending work).
    """
    action = ACTIONS.get(name)
    if action is None:
        raise WorkflowError(_("Action inconnue."))
    return action.run(
        variant=variant, user=user, comment=comment, revision=revision, **options
    )


def allowed_actions(*, variant: Variant, user) -> list[Action]:
    """The actions to offer ``user`` on ``variant`` now (comments aside)."""
    return [a for a in ACTIONS.values() if a.offered(variant=variant, user=user)]


def submit(
    *,
    variant: Variant,
    user,
    comment: str = "",
    change_kind: str = "",
    change_note: str = "",
    reviewer=None,
    due: dt.date | None = None,
    translation: str = "",
) -> Outcome:
    """Snapshot the working copy as a revision and send it to review (to
    ``reviewer`` by ``due``, if named); a text published before says its
    ``change_kind`` (substance, with a public ``change_note``, or minor), a
    French change what becomes of the English (``translation``)."""
    return perform(
        EventAction.SUBMIT,
        variant=variant,
        user=user,
        comment=comment,
        change_kind=change_kind,
        change_note=change_note,
        reviewer=reviewer,
        due=due,
        translation=translation,
    )


def request_changes(*, variant: Variant, user, comment: str) -> Outcome:
    """Send the revision under review back to its author, saying why."""
    return perform(
        EventAction.REQUEST_CHANGES, variant=variant, user=user, comment=comment
    )


def approve(*, variant: Variant, user, comment: str = "") -> Outcome:
    """Approve exactly the revision under review."""
    return perform(EventAction.APPROVE, variant=variant, user=user, comment=comment)


def publish(
    *, variant: Variant, user, comment: str = "", at: dt.datetime | None = None
) -> Outcome:
    """Put the approved revision online now, or schedule it for ``at``."""
    return perform(
        EventAction.PUBLISH, variant=variant, user=user, comment=comment, at=at
    )


def unpublish(
    *, variant: Variant, user, comment: str = "", confirm: bool = False
) -> Outcome:
    """Take the live revision offline (confirming what becomes of pending work)."""
    return perform(
        EventAction.UNPUBLISH,
        variant=variant,
        user=user,
        comment=comment,
        confirm=confirm,
    )


def publish_due(*, now: dt.datetime | None = None) -> list[Variant]:
    """Publish every approved variant whose scheduled time has come.

    Safe to run twice at once: each variant is published in its own
    transaction under a row lock (rows already locked are skipped), and the
    state is checked again once locked.
    """
    now = now or timezone.now()
    published = []
    due = Variant.objects.filter(state=State.APPROVED, scheduled_at__lte=now)
    for pk in list(due.values_list("pk", flat=True)):
        try:
            with transaction.atomic():
                variant = (
                    Variant.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("audience", "latest_revision")
                    .filter(pk=pk, state=State.APPROVED, scheduled_at__lte=now)
                    .first()
                )
                if variant is None:
                    continue  # published meanwhile, or being published by another run
                scheduler = (
                    ReviewEvent.objects.filter(
                        variant=variant, action=EventAction.SCHEDULE
                    )
                    .select_related("actor")
                    .first()
                )
                go_live(
                    variant=variant,
                    user=scheduler.actor if scheduler else None,
                    comment=_("Publication programmée."),
                    now=now,
                )
        except WorkflowError:
            continue  # another run changed it first: nothing is lost, nothing doubled
        published.append(variant)
    return published
