"""The desk: what each role has to do next, as short lists of texts.

Reads only: each function returns at most ``limit`` lines, in the order a
person works through them, and says whether there are more. Every list is
one query whatever its length (the latest request for changes and the open
comments come as subqueries), so that the admin's home page costs the same
with 3 texts or 3,000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone

from ..models import EventAction, ReviewComment, ReviewEvent, State, Variant
from . import assignment
from .editing import awaiting_review_by
from .review_due import due_for_review

LIMIT = 20
RECENT_LIMIT = 10
# Published pages shown to reviewers once their review date is this close.
REVIEW_SOON = dt.timedelta(days=30)

# What a desk line shows of a variant (and of the people named on it).
SHOWN = (
    "pk",
    "title_fr",
    "state",
    "brief_id",
    "brief__slug",
    "audience_id",
    "audience__code",
    "audience__name",
    "updated_at",
    "submitted_at",
    "assignment_due",
    "scheduled_at",
    "review_due_at",
    "first_published_at",
    "last_published_at",
    "live_translation_dated",
    "latest_revision_id",
    "live_revision_id",
)
PERSON = ("first_name", "last_name", "username")


class Late:
    """What is late on a line of the chief editor's overdue list."""

    ASSIGNMENT = "assignment"
    PERIODIC_REVIEW = "periodic_review"
    SCHEDULE = "schedule"


@dataclass(frozen=True)
class Line:
    """One text on the desk, with what the list says about it."""

    variant: Variant
    # When the text entered this list (submitted, sent back, approved...).
    since: dt.datetime | None = None
    # By when something must happen: a date (a review asked for) or a time.
    due: dt.date | dt.datetime | None = None
    overdue: bool = False
    # Open paragraph comments; None where the list does not count them.
    open_comments: int | None = None
    # The person the line names: the reviewer asked, or who asked for changes.
    person: str = ""
    comment: str = ""
    late: str = ""


@dataclass(frozen=True)
class Listing:
    """At most ``limit`` lines, and whether more texts are in the same list."""

    lines: list[Line] = field(default_factory=list)
    more: bool = False

    def __bool__(self) -> bool:
        return bool(self.lines)

    def __iter__(self):
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.lines)


def person_name(first: str | None, last: str | None, username: str | None) -> str:
    """A person as the back office names them: full name, else username."""
    full = f"{first or ''} {last or ''}".strip()
    return full or (username or "")


def _name(user) -> str:
    if user is None:
        return ""
    return person_name(user.first_name, user.last_name, user.username)


def _base(*related: str) -> QuerySet[Variant]:
    only = list(SHOWN)
    for name in related:
        only += [f"{name}__{part}" for part in PERSON]
    return (
        Variant.objects.select_related("brief", "audience", *related)
        .only(*only)
        .order_by()
    )


def _with_open_comments(queryset: QuerySet[Variant]) -> QuerySet[Variant]:
    counts = (
        ReviewComment.objects.open()
        .filter(variant=OuterRef("pk"))
        .order_by()
        .values("variant")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        desk_open_comments=Coalesce(
            Subquery(counts, output_field=IntegerField()), Value(0)
        )
    )


def _with_last_request(queryset: QuerySet[Variant]) -> QuerySet[Variant]:
    requests = ReviewEvent.objects.filter(
        variant=OuterRef("pk"), action=EventAction.REQUEST_CHANGES
    ).order_by("-pk")
    return queryset.annotate(
        desk_requested_at=Subquery(
            requests.values("created_at")[:1], output_field=DateTimeField()
        ),
        desk_request=Subquery(
            requests.values(
                data=JSONObject(
                    comment="comment",
                    first="actor__first_name",
                    last="actor__last_name",
                    username="actor__username",
                )
            )[:1],
            output_field=JSONField(),
        ),
    )


def _listing(rows: list, limit: int, make) -> Listing:
    return Listing(lines=[make(row) for row in rows[:limit]], more=len(rows) > limit)


def _today(now: dt.datetime) -> dt.date:
    return timezone.localtime(now, timezone.get_default_timezone()).date()


def _week_end(now: dt.datetime) -> dt.datetime:
    """Next Monday at midnight, in the newsroom's time zone."""
    local = timezone.localtime(now, timezone.get_default_timezone())
    monday = local.date() + dt.timedelta(days=7 - local.weekday())
    return dt.datetime.combine(
        monday, dt.time.min, tzinfo=timezone.get_default_timezone()
    )


# Editors: their own texts (the ones they are the author of).


def my_drafts(user, *, limit: int = LIMIT) -> Listing:
    """The drafts ``user`` wrote, the most recently edited first."""
    queryset = _with_open_comments(
        _base().filter(author=user, state=State.DRAFT).order_by("-updated_at", "-pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(
            variant=v, since=v.updated_at, open_comments=v.desk_open_comments
        ),
    )


def changes_requested_of_me(user, *, limit: int = LIMIT) -> Listing:
    """``user``'s texts sent back to them, the longest waiting first, each
    with the reviewer's latest request and who wrote it."""
    queryset = _with_last_request(
        _with_open_comments(_base().filter(author=user, state=State.CHANGES_REQUESTED))
    ).order_by(F("desk_requested_at").asc(nulls_first=True), "pk")

    def line(variant):
        request = variant.desk_request or {}
        return Line(
            variant=variant,
            since=variant.desk_requested_at,
            open_comments=variant.desk_open_comments,
            person=person_name(
                request.get("first"), request.get("last"), request.get("username")
            ),
            comment=request.get("comment") or "",
        )

    return _listing(list(queryset[: limit + 1]), limit, line)


def my_texts_in_review(
    user, *, now: dt.datetime | None = None, limit: int = LIMIT
) -> Listing:
    """``user``'s texts in review, the longest waiting first, with the
    reviewer asked (none: any reviewer) and the date asked for."""
    today = _today(now or timezone.now())
    queryset = _with_open_comments(
        _base("assigned_to")
        .filter(author=user, state=State.IN_REVIEW)
        .order_by("submitted_at", "pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(
            variant=v,
            since=v.submitted_at,
            due=v.assignment_due,
            overdue=assignment.is_overdue(v, today=today),
            open_comments=v.desk_open_comments,
            person=_name(v.assigned_to),
        ),
    )


# Reviewers: texts in review they may decide on, and published pages to re-read.


def _in_review_line(today: dt.date):
    return lambda v: Line(
        variant=v,
        since=v.submitted_at,
        due=v.assignment_due,
        overdue=assignment.is_overdue(v, today=today),
        open_comments=v.desk_open_comments,
        person=_name(v.assigned_to),
    )


def assigned_to_me(
    user, *, now: dt.datetime | None = None, limit: int = LIMIT
) -> Listing:
    """Texts in review whose reviewer named is ``user``, the soonest due first
    (texts without a date after), then the longest waiting."""
    today = _today(now or timezone.now())
    queryset = _with_open_comments(
        awaiting_review_by(user, _base("assigned_to"))
        .filter(assigned_to=user)
        .order_by(F("assignment_due").asc(nulls_last=True), "submitted_at", "pk")
    )
    return _listing(list(queryset[: limit + 1]), limit, _in_review_line(today))


def waiting_for_any_reviewer(
    user, *, now: dt.datetime | None = None, limit: int = LIMIT
) -> Listing:
    """Texts in review that name no reviewer and ``user`` may decide on,
    the longest waiting first."""
    today = _today(now or timezone.now())
    queryset = _with_open_comments(
        # assigned_to is empty here: its join costs nothing and keeps the
        # lines' shape the same as the reviewer's own list.
        awaiting_review_by(user, _base("assigned_to"))
        .filter(assigned_to__isnull=True)
        .order_by("submitted_at", "pk")
    )
    return _listing(list(queryset[: limit + 1]), limit, _in_review_line(today))


def periodic_reviews(*, now: dt.datetime | None = None, limit: int = LIMIT) -> Listing:
    """Published pages whose review date is past or within 30 days, the most
    overdue first; ``person`` is the reviewer who approved them."""
    now = now or timezone.now()
    only = [*SHOWN, *(f"reviewer__{part}" for part in PERSON)]
    queryset = (
        due_for_review(now=now, within=REVIEW_SOON)
        .filter(review_due_at__lte=now + REVIEW_SOON)
        .only(*only)
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(
            variant=v,
            since=v.last_published_at,
            due=v.review_due_at,
            overdue=v.review_due_at <= now,
            person=_name(v.reviewer),
        ),
    )


def outdated_translations(*, limit: int = LIMIT) -> Listing:
    """Live pages whose English translates an older French text, the oldest
    first: ``since`` is when the French changed, ``due`` the French the
    English translates."""
    queryset = (
        _base()
        .filter(live_revision__isnull=False, live_translation_dated__isnull=False)
        .order_by("last_published_at", "pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(
            variant=v, since=v.last_published_at, due=v.live_translation_dated
        ),
    )


# Chief editors: what waits to be published, what is planned, what is late.


def approved_unscheduled(*, limit: int = LIMIT) -> Listing:
    """Approved texts with no publication planned, the longest waiting first;
    ``person`` is the reviewer who approved them."""
    queryset = (
        _base("reviewer")
        .filter(state=State.APPROVED, scheduled_at__isnull=True)
        .annotate(desk_approved_at=F("latest_revision__approved_at"))
        .order_by(F("desk_approved_at").asc(nulls_first=True), "pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(variant=v, since=v.desk_approved_at, person=_name(v.reviewer)),
    )


def scheduled_this_week(
    *, now: dt.datetime | None = None, limit: int = LIMIT
) -> Listing:
    """Publications planned from now to the end of the week (Sunday night in
    the newsroom's time zone), soonest first; those past are overdue."""
    now = now or timezone.now()
    queryset = (
        _base("reviewer")
        .filter(
            state=State.APPROVED, scheduled_at__gte=now, scheduled_at__lt=_week_end(now)
        )
        .order_by("scheduled_at", "pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(variant=v, due=v.scheduled_at, person=_name(v.reviewer)),
    )


def overdue(*, now: dt.datetime | None = None, limit: int = LIMIT) -> Listing:
    """Everything late, the latest for longest first: reviews asked for by a
    date now past, published pages past their review date, and planned
    publications whose time has passed without them going online."""
    now = now or timezone.now()
    zone = timezone.get_default_timezone()
    today = _today(now)
    assignments = (
        _base("assigned_to")
        .filter(state=State.IN_REVIEW, assignment_due__lt=today)
        .order_by("assignment_due", "pk")
    )
    reviews = due_for_review(now=now).only(
        *SHOWN, *(f"reviewer__{part}" for part in PERSON)
    )
    schedules = (
        _base("reviewer")
        .filter(state=State.APPROVED, scheduled_at__lt=now)
        .order_by("scheduled_at", "pk")
    )
    lines = []
    rows = 0
    for variant in assignments[: limit + 1]:
        rows += 1
        # Late from the first minute of the day after the date asked for.
        late_since = dt.datetime.combine(
            variant.assignment_due + dt.timedelta(days=1), dt.time.min, tzinfo=zone
        )
        lines.append(
            (
                late_since,
                Line(
                    variant=variant,
                    since=variant.submitted_at,
                    due=variant.assignment_due,
                    overdue=True,
                    person=_name(variant.assigned_to),
                    late=Late.ASSIGNMENT,
                ),
            )
        )
    for variant in reviews[: limit + 1]:
        rows += 1
        lines.append(
            (
                variant.review_due_at,
                Line(
                    variant=variant,
                    since=variant.last_published_at,
                    due=variant.review_due_at,
                    overdue=True,
                    person=_name(variant.reviewer),
                    late=Late.PERIODIC_REVIEW,
                ),
            )
        )
    for variant in schedules[: limit + 1]:
        rows += 1
        lines.append(
            (
                variant.scheduled_at,
                Line(
                    variant=variant,
                    due=variant.scheduled_at,
                    overdue=True,
                    person=_name(variant.reviewer),
                    late=Late.SCHEDULE,
                ),
            )
        )
    lines.sort(key=lambda pair: (pair[0], pair[1].variant.pk))
    return Listing(lines=[line for _at, line in lines[:limit]], more=rows > limit)


# Everyone.


def recently_published(*, limit: int = RECENT_LIMIT) -> Listing:
    """The pages put online last (a first publication or a new version)."""
    queryset = (
        _base("reviewer")
        .filter(live_revision__isnull=False)
        .order_by("-last_published_at", "-pk")
    )
    return _listing(
        list(queryset[: limit + 1]),
        limit,
        lambda v: Line(variant=v, since=v.last_published_at, person=_name(v.reviewer)),
    )


# The whole desk of one person.


@dataclass(frozen=True)
class Desk:
    """The lists of each role ``user`` has (None for a role they lack).

    Roles are read from permissions, as the workflow checks them: a chief
    editor may also write and review, and has those lists too.
    """

    editor: dict[str, Listing] | None
    reviewer: dict[str, Listing] | None
    chief: dict[str, Listing] | None
    # For whoever may see the variants at all.
    published: Listing | None


def desk_for(user, *, now: dt.datetime | None = None) -> Desk:
    """Every list of the roles ``user`` has (several roles: each one's lists)."""
    now = now or timezone.now()
    editor = reviewer = chief = None
    translations = None
    if user.has_perm("briefs.submit_variant") or user.has_perm(
        "briefs.publish_variant"
    ):
        translations = outdated_translations()
    if user.has_perm("briefs.submit_variant"):
        editor = {
            "changes_requested": changes_requested_of_me(user),
            "drafts": my_drafts(user),
            "in_review": my_texts_in_review(user, now=now),
            "translations": translations,
        }
    if user.has_perm("briefs.review_variant"):
        reviewer = {
            "assigned": assigned_to_me(user, now=now),
            "waiting": waiting_for_any_reviewer(user, now=now),
            "periodic": periodic_reviews(now=now),
        }
    if user.has_perm("briefs.publish_variant"):
        chief = {
            "overdue": overdue(now=now),
            "approved": approved_unscheduled(),
            "scheduled": scheduled_this_week(now=now),
            "translations": translations,
        }
    return Desk(
        editor=editor,
        reviewer=reviewer,
        chief=chief,
        published=(
            recently_published() if user.has_perm("briefs.view_variant") else None
        ),
    )
