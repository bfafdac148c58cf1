"""Published variants whose review date has come, and the reminders about them."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import MailKind, OutboxMail, Variant
from . import outbox
from .notifications import reviewers, variant_admin_url

logger = logging.getLogger(__name__)


def due_for_review(
    *, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(0)
) -> QuerySet[Variant]:
    """Published variants due for review by ``now + within`` or whose live
    English translates an older French text, most overdue first."""
    now = now or timezone.now()
    return (
        Variant.objects.published()
        .filter(
            Q(review_due_at__lte=now + within) | Q(live_translation_dated__isnull=False)
        )
        .select_related("brief", "audience", "reviewer")
        .order_by("review_due_at", "pk")
    )


def _recipients(variant: Variant, everyone: list) -> list:
    reviewer = variant.reviewer
    if reviewer is not None and reviewer.is_active and reviewer.email:
        return [reviewer]
    return everyone


@transaction.atomic
def queue_reminders(*, now: dt.datetime | None = None) -> list[OutboxMail]:
    """Write to the outbox one reminder per reviewer of the variants due.

    A variant goes to the reviewer who approved it, or to every reviewer
    when that person can no longer be reached. The mails are sent after the
    commit, and retried by send_queued_mail.
    """
    now = now or timezone.now()
    due = list(due_for_review(now=now))
    if not due:
        return []
    everyone = list(reviewers())
    per_person: dict = defaultdict(list)
    people = {}
    for variant in due:
        for user in _recipients(variant, everyone):
            per_person[user.pk].append(variant)
            people[user.pk] = user
    mails = []
    for pk, variants in per_person.items():
        lines = [
            _("« %(title)s » (%(audience)s) : relecture prévue le %(date)s\n  %(url)s")
            % {
                "title": v.title_fr,
                "audience": v.audience.code,
                "date": date_format(timezone.localtime(v.review_due_at), "DATE_FORMAT"),
                "url": variant_admin_url(v.pk),
            }
            for v in variants
        ]
        subject = _("%(count)s texte(s) à relire") % {"count": len(variants)}
        body = (
            _("Ces textes publiés ont dépassé leur date de relecture :")
            + "\n\n"
            + "\n".join(lines)
        )
        mails += outbox.queue(
            recipients=[people[pk].email],
            subject=subject,
            body=body,
            kind=MailKind.REVIEW_DUE,
        )
    logger.info(
        "review-due reminders: %s mail(s) for %s variant(s)", len(mails), len(due)
    )
    return mails
