"""Who hears of a workflow event, and what: mail written to the outbox."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import EventAction, MailKind, OutboxMail, ReviewEvent
from . import outbox


def reviewers():
    """Active users with an address who may review (superusers included)."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(groups__permissions__codename="review_variant")
        | Q(user_permissions__codename="review_variant")
        | Q(is_superuser=True)
    ).distinct()


def variant_admin_url(variant_pk: int) -> str:
    """The absolute address of a variant's page in the back office."""
    return outbox.site_url(reverse("admin:briefs_variant_change", args=[variant_pk]))


# What the author of a text hears of, by action.
AUTHOR_SUBJECTS = {
    EventAction.REQUEST_CHANGES: gettext_lazy("Modifications demandées : %(title)s"),
    EventAction.APPROVE: gettext_lazy("Approuvé : %(title)s"),
    EventAction.SCHEDULE: gettext_lazy("Publication programmée : %(title)s"),
    EventAction.PUBLISH: gettext_lazy("Publié : %(title)s"),
}


def queue_for_event(*, event: ReviewEvent) -> list[OutboxMail]:
    """Write the mails ``event`` calls for to the outbox, in the caller's transaction."""
    variant = event.variant
    title = variant.title_fr
    named = variant.assigned_to
    if event.action == EventAction.SUBMIT and named is not None:
        # Named for this text: the one reviewer asked hears of it.
        recipients = [named.email] if named.email and named.is_active else []
        subject = _("À relire, pour vous : %(title)s") % {"title": title}
    elif event.action == EventAction.SUBMIT:
        recipients = [u.email for u in reviewers() if u.pk != event.actor_id]
        subject = _("À relire : %(title)s") % {"title": title}
    elif event.action == EventAction.ASSIGN:
        if named is None or named.pk == event.actor_id or not named.email:
            return []
        recipients = [named.email]
        subject = _("À relire, pour vous : %(title)s") % {"title": title}
    elif event.action in AUTHOR_SUBJECTS:
        author = variant.author
        recipients = [author.email] if author and author.email else []
        subject = AUTHOR_SUBJECTS[event.action] % {"title": title}
    else:
        return []
    if not recipients:
        return []
    comment = event.comment
    if event.action in (EventAction.SUBMIT, EventAction.ASSIGN) and (
        variant.assignment_due
    ):
        due = _("Relecture attendue pour le %(date)s.") % {
            "date": variant.assignment_due.strftime("%d/%m/%Y")
        }
        comment = f"{due}\n{comment}".strip()
    body = _("%(actor)s : %(from)s → %(to)s\n\n%(comment)s\n\n%(url)s") % {
        "actor": event.actor.get_username() if event.actor else "-",
        "from": event.get_from_state_display(),
        "to": event.get_to_state_display(),
        "comment": comment,
        "url": variant_admin_url(variant.pk),
    }
    return outbox.queue(
        recipients=recipients,
        subject=subject,
        body=body,
        kind=MailKind.WORKFLOW,
        event=event,
    )
