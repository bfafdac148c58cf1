"""Published variants whose review date has come, and the reminders about them."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import Variant
from .notifications import _reviewers

logger = logging.getLogger(__name__)


def due_for_review(
    *, now: dt.datetime | None = None, within: dt.timedelta = dt.timedelta(0)
) -> QuerySet[Variant]:
    """Published variants due for review by ``now + within``, most overdue first."""
    now = now or timezone.now()
    return (
        Variant.objects.published()
        .filter(review_due_at__lte=now + within)
        .select_related("brief", "audience", "reviewer")
        .order_by("review_due_at", "pk")
    )


def _recipients(variant: Variant, everyone: list) -> list:
    reviewer = variant.reviewer
    if reviewer is not None and reviewer.is_active and reviewer.email:
        return [reviewer]
    return everyone


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail each reviewer the variants due for review; returns mails sent.

    A variant goes to the reviewer who approved it, or to every reviewer
    when that person can no longer be reached.
    """
    now = now or timezone.now()
    due = list(due_for_review(now=now))
    if not due:
        return 0
    everyone = list(_reviewers())
    per_person: dict = defaultdict(list)
    people = {}
    for variant in due:
        for user in _recipients(variant, everyone):
            per_person[user.pk].append(variant)
            people[user.pk] = user
    messages = []
    for pk, variants in per_person.items():
        lines = [
            _("« %(title)s » (%(audience)s) : relecture prévue le %(date)s\n  %(url)s")
            % {
                "title": v.title_fr,
                "audience": v.audience.code,
                "date": date_format(timezone.localtime(v.review_due_at), "DATE_FORMAT"),
                "url": reverse("admin:briefs_variant_change", args=[v.pk]),
            }
            for v in variants
        ]
        subject = _("%(count)s texte(s) à relire") % {"count": len(variants)}
        body = (
            _("Ces textes publiés ont dépassé leur date de relecture :")
            + "\n\n"
            + "\n".join(lines)
        )
        messages.append(
            (subject, body, settings.DEFAULT_FROM_EMAIL, [people[pk].email])
        )
    sent = send_mass_mail(messages, fail_silently=False)
    logger.info("review-due reminders: %s mail(s) for %s variant(s)", sent, len(due))
    return sent
