"""E-mail notifications of workflow events, sent after the commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def _reviewers():
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(
        Q(groups__permissions__codename="review_variant")
        | Q(user_permissions__codename="review_variant")
        | Q(is_superuser=True)
    ).distinct()


def event_happened(event_id: int) -> int:
    """Send the mails of a review event; a mail failure never undoes the event."""
    try:
        return _send_for_event(event_id)
    except Exception:  # the transition is committed; mail must not turn it into a 500
        logger.exception("could not send the mails of review event %s", event_id)
        return 0


def _send_for_event(event_id: int) -> int:
    from .models import ReviewEvent

    event = ReviewEvent.objects.select_related(
        "variant__brief", "variant__audience", "variant__author", "actor"
    ).get(pk=event_id)
    variant = event.variant
    title = variant.title_fr
    if event.action == "submit":
        recipients = [u.email for u in _reviewers() if u.pk != event.actor_id]
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
        return 0
    if not recipients:
        return 0
    body = _("%(actor)s : %(from)s → %(to)s\n\n%(comment)s\n\n%(url)s") % {
        "actor": event.actor.get_username() if event.actor else "-",
        "from": event.get_from_state_display(),
        "to": event.get_to_state_display(),
        "comment": event.comment,
        "url": f"/admin/briefs/variant/{variant.pk}/change/",
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [r]) for r in recipients]
    sent = send_mass_mail(messages, fail_silently=False)
    logger.info("workflow mail %s for event %s: %s sent", event.action, event.pk, sent)
    return sent
