"""Who hears of a workflow event, and what: mail written to the outbox."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import MailKind, OutboxMail, ReviewEvent
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


def queue_for_event(*, event: ReviewEvent) -> list[OutboxMail]:
    """Write the mails ``event`` calls for to the outbox, in the caller's transaction."""
    variant = event.variant
    title = variant.title_fr
    if event.action == "submit":
        recipients = [u.email for u in reviewers() if u.pk != event.actor_id]
        subject = _("À relire : %(title)s") % {"title": title}
    elif event.action in {"request_changes", "approve", "publish"}:
        author = variant.author
        recipients = [author.email] if author and author.email else []
        subject = {
            "request_changes": _("Modifications demandées : %(title)s"),
            "approve": _("Approuvé : %(title)s"),
            "publish": _("Publié : %(title)s"),
        }[event.action] % {"title": title}
    else:
        return []
    if not recipients:
        return []
    body = _("%(actor)s : %(from)s → %(to)s\n\n%(comment)s\n\n%(url)s") % {
        "actor": event.actor.get_username() if event.actor else "-",
        "from": event.get_from_state_display(),
        "to": event.get_to_state_display(),
        "comment": event.comment,
        "url": variant_admin_url(variant.pk),
    }
    return outbox.queue(
        recipients=recipients,
        subject=subject,
        body=body,
        kind=MailKind.WORKFLOW,
        event=event,
    )
