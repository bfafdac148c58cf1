"""The editorial calendar's reads: what falls due between two dates, and the
private key of each person's calendar address."""

from __future__ import annotations

import datetime as dt
import enum
import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import Audience, Profile, State, Variant

# Who may read the calendar, in the back office and through the feed.
PERMISSION = "briefs.view_variant"
# secrets.token_urlsafe(32): 43 characters of the URL-safe alphabet.
KEY_BYTES = 32
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
# What a subscribed calendar holds: the recent past and the year to come.
FEED_PAST = dt.timedelta(days=90)
FEED_AHEAD = dt.timedelta(days=366)


class Kind(enum.StrEnum):
    """What falls due on a day."""

    PUBLICATION = "publication"
    REVIEW_DUE = "review_due"
    ASSIGNMENT_DUE = "assignment_due"


KIND_LABELS = {
    Kind.PUBLICATION: gettext_lazy("Publication programmée"),
    Kind.REVIEW_DUE: gettext_lazy("Relecture périodique"),
    Kind.ASSIGNMENT_DUE: gettext_lazy("Relecture attendue"),
}


@dataclass(frozen=True)
class Entry:
    """One date of one variant; ``at`` is the exact moment when there is one."""

    kind: Kind
    day: dt.date
    at: dt.datetime | None
    variant_id: int
    title: str
    audience_code: str
    slug: str
    reviewer: str
    updated_at: dt.datetime

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])


def today() -> dt.date:
    """Today's date in the newsroom."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


def person_name(user) -> str:
    return user.get_full_name() or user.get_username()


def people():
    """The people a calendar can be narrowed to: active staff, by name."""
    return (
        get_user_model()
        .objects.filter(is_active=True, is_staff=True)
        .order_by("last_name", "first_name", "username")
        .only("pk", "username", "first_name", "last_name")
    )


def entries(
    *,
    first: dt.date,
    last: dt.date,
    audience: Audience | None = None,
    person_id: int | None = None,
) -> list[Entry]:
    """What falls due from ``first`` to ``last`` (included), in date order.

    Scheduled publications of approved texts, periodic review dates of
    published ones, and the dates by which a named reviewer should have
    read a text in review. One query, whatever the number of entries.
    """
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    # Each arm matches one of the partial indexes of migration 0018.
    scheduled = Q(state=State.APPROVED, scheduled_at__gte=start, scheduled_at__lt=end)
    review_due = Q(
        live_revision__isnull=False, review_due_at__gte=start, review_due_at__lt=end
    )
    assignment_due = Q(
        state=State.IN_REVIEW, assignment_due__gte=first, assignment_due__lte=last
    )
    rows = Variant.objects.filter(scheduled | review_due | assignment_due)
    if audience is not None:
        rows = rows.filter(audience=audience)
    if person_id is not None:
        rows = rows.filter(
            Q(author_id=person_id)
            | Q(assigned_to_id=person_id)
            | Q(reviewer_id=person_id)
        )
    rows = (
        rows.select_related("brief", "audience", "assigned_to")
        .only(
            "pk",
            "state",
            "title",
            "title_fr",
            "title_en",
            "scheduled_at",
            "review_due_at",
            "assignment_due",
            "live_revision_id",
            "updated_at",
            "brief__slug",
            "audience__code",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
        )
        .order_by()
    )
    found = []
    for variant in rows:
        found += _entries_of(variant, start=start, end=end, first=first, last=last)
    found.sort(key=lambda e: (e.day, e.at is None, e.at or start, e.variant_id))
    return found


def _entries_of(variant: Variant, *, start, end, first, last) -> list[Entry]:
    zone = timezone.get_default_timezone()
    common = {
        "variant_id": variant.pk,
        "title": variant.title,
        "audience_code": variant.audience.code,
        "slug": variant.brief.slug,
        "updated_at": variant.updated_at,
    }
    found = []
    at = variant.scheduled_at
    if variant.state == State.APPROVED and at is not None and start <= at < end:
        day = at.astimezone(zone).date()
        found.append(
            Entry(kind=Kind.PUBLICATION, day=day, at=at, reviewer="", **common)
        )
    due = variant.review_due_at
    if variant.live_revision_id is not None and due is not None and start <= due < end:
        # A date to have read the text by: the day counts, not the hour.
        day = due.astimezone(zone).date()
        found.append(
            Entry(kind=Kind.REVIEW_DUE, day=day, at=None, reviewer="", **common)
        )
    expected = variant.assignment_due
    if (
        variant.state == State.IN_REVIEW
        and expected is not None
        and first <= expected <= last
    ):
        reviewer = variant.assigned_to
        found.append(
            Entry(
                kind=Kind.ASSIGNMENT_DUE,
                day=expected,
                at=None,
                reviewer=person_name(reviewer) if reviewer else "",
                **common,
            )
        )
    return found


def may_read(user) -> bool:
    """Whether ``user`` may read the calendar (page or feed)."""
    return user.is_active and user.is_staff and user.has_perm(PERMISSION)


def calendar_key(user) -> str:
    """The key of ``user``'s calendar address, made on first need."""
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.calendar_key:
        return profile.calendar_key
    # Two first requests at once agree on the key the first one wrote.
    Profile.objects.filter(pk=profile.pk, calendar_key="").update(
        calendar_key=secrets.token_urlsafe(KEY_BYTES)
    )
    return Profile.objects.values_list("calendar_key", flat=True).get(pk=profile.pk)


def new_calendar_key(user) -> str:
    """Give ``user`` a new calendar key: the old address stops working."""
    key = secrets.token_urlsafe(KEY_BYTES)
    profile, _created = Profile.objects.get_or_create(user=user)
    Profile.objects.filter(pk=profile.pk).update(calendar_key=key)
    return key


def user_for_key(key: str):
    """The person whose calendar address holds ``key``, if they may still read it."""
    if not KEY_PATTERN.fullmatch(key):
        return None  # an empty key, which every profile without one has, included
    profile = Profile.objects.select_related("user").filter(calendar_key=key).first()
    if profile is None or not secrets.compare_digest(profile.calendar_key, key):
        return None
    user = profile.user
    return user if may_read(user) else None
