"""The editorial calendar in the back office: a month or a week of what falls
due, and each person's private iCalendar address."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ..editorial import calendar
from ..editorial.outbox import site_url
from ..http import parse_int
from ..models import Audience
from .calendar_feed import feed_bytes

# Far enough for any newsroom, near enough for date arithmetic never to overflow.
MIN_YEAR, MAX_YEAR = 2000, 2100
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")
WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
# How much of an unreadable value a message repeats.
ECHO = 20


@dataclass
class Period:
    """The days a page shows: a calendar month or an ISO week."""

    kind: str  # "month" or "week"
    first: dt.date
    last: dt.date

    @property
    def param(self) -> dict[str, str]:
        if self.kind == "week":
            year, week, _day = self.first.isocalendar()
            return {"week": f"{year}-W{week:02d}"}
        return {"month": f"{self.first:%Y-%m}"}

    def shifted(self, step: int) -> Period | None:
        """The period ``step`` weeks or months away, if within the years shown."""
        if self.kind == "week":
            first = self.first + dt.timedelta(weeks=step)
            if first.year < MIN_YEAR or first.year > MAX_YEAR:
                return None
            return week_of(first)
        index = self.first.year * 12 + self.first.month - 1 + step
        year, month = divmod(index, 12)
        if not MIN_YEAR <= year <= MAX_YEAR:
            return None
        return month_of(year, month + 1)

    @property
    def title(self) -> str:
        if self.kind == "week":
            return _("Semaine du %(first)s au %(last)s") % {
                "first": date_format(self.first, "j F"),
                "last": date_format(self.last, "j F Y"),
            }
        return date_format(self.first, "F Y").capitalize()


def month_of(year: int, month: int) -> Period:
    days = month_calendar.monthrange(year, month)[1]
    return Period("month", dt.date(year, month, 1), dt.date(year, month, days))


def week_of(day: dt.date) -> Period:
    monday = day - dt.timedelta(days=day.weekday())
    return Period("week", monday, monday + dt.timedelta(days=6))


def _echo(value: str) -> str:
    return value if len(value) <= ECHO else value[:ECHO] + "…"


def read_period(params, notices: list[str]) -> Period:
    """The period asked for, or the current month or week with a notice."""
    today = calendar.today()
    if "week" in params:
        value = params["week"]
        match = WEEK.fullmatch(value)
        if match:
            year, week = int(match[1]), int(match[2])
            if MIN_YEAR <= year <= MAX_YEAR:
                try:
                    return week_of(dt.date.fromisocalendar(year, week, 1))
                except ValueError:
                    pass
        notices.append(
            _(
                "Semaine illisible : « %(value)s » (attendu : 2026-W05). "
                "Voici la semaine en cours."
            )
            % {"value": _echo(value)}
        )
        return week_of(today)
    if "month" in params:
        value = params["month"]
        match = MONTH.fullmatch(value)
        if match:
            year, month = int(match[1]), int(match[2])
            if MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12:
                return month_of(year, month)
        notices.append(
            _(
                "Mois illisible : « %(value)s » (attendu : 2026-05). "
                "Voici le mois en cours."
            )
            % {"value": _echo(value)}
        )
    if params.get("view") == "week":
        return week_of(today)
    return month_of(today.year, today.month)


@dataclass
class Filters:
    audience: Audience | None = None
    person: object | None = None
    audiences: list = field(default_factory=list)
    people: list = field(default_factory=list)

    @property
    def params(self) -> dict[str, str]:
        found = {}
        if self.audience is not None:
            found["audience"] = self.audience.code
        if self.person is not None:
            found["person"] = str(self.person.pk)
        return found


def read_filters(params, notices: list[str]) -> Filters:
    """The audience and person asked for; an unknown one is left out, with a notice."""
    filters = Filters(
        audiences=list(Audience.objects.order_by("position", "code")),
        people=[(person, calendar.person_name(person)) for person in calendar.people()],
    )
    code = params.get("audience", "")
    if code:
        filters.audience = next((a for a in filters.audiences if a.code == code), None)
        if filters.audience is None:
            notices.append(
                _("Public inconnu : « %(value)s ». Tous les publics sont affichés.")
                % {"value": _echo(code)}
            )
    value = params.get("person", "")
    if value:
        pk = parse_int(value)
        filters.person = next((p for p, _n in filters.people if p.pk == pk), None)
        if filters.person is None:
            notices.append(
                _(
                    "Personne inconnue : « %(value)s ». Les textes de toute la "
                    "rédaction sont affichés."
                )
                % {"value": _echo(value)}
            )
    return filters


@dataclass(frozen=True)
class Item:
    """An entry as the page shows it, with the address of its variant's page."""

    entry: calendar.Entry
    url: str

    @property
    def time(self) -> dt.datetime | None:
        """The moment, as the newsroom's clocks read it."""
        at = self.entry.at
        return at.astimezone(timezone.get_default_timezone()) if at else None


@dataclass
class Day:
    date: dt.date
    in_period: bool
    is_today: bool
    entries: list


@dataclass
class Week:
    number: int
    url: str
    days: list


def _days(period: Period, found: list, today: dt.date) -> list[Day]:
    by_day: dict = {}
    for item in found:
        by_day.setdefault(item.entry.day, []).append(item)
    # A month's grid runs from the Monday before its first day to the Sunday
    # after its last one; the days outside the month stay empty.
    first = period.first - dt.timedelta(days=period.first.weekday())
    last = period.last + dt.timedelta(days=6 - period.last.weekday())
    days = []
    day = first
    while day <= last:
        inside = period.first <= day <= period.last
        days.append(
            Day(day, inside, day == today, by_day.get(day, []) if inside else [])
        )
        day += dt.timedelta(days=1)
    return days


def _url(**params) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return reverse("admin:calendar") + (f"?{query}" if query else "")


def _entry_url(entry) -> str:
    return reverse("admin:briefs_variant_change", args=[entry.variant_id])


@require_safe
def calendar_view(request: HttpRequest, *, admin_site) -> HttpResponse:
    """The month (default) or week of what falls due, with its filters."""
    if not calendar.may_read(request.user):
        raise PermissionDenied
    notices: list[str] = []
    period = read_period(request.GET, notices)
    filters = read_filters(request.GET, notices)
    today = calendar.today()
    found = [
        Item(entry, _entry_url(entry))
        for entry in calendar.entries(
            first=period.first,
            last=period.last,
            audience=filters.audience,
            person_id=filters.person.pk if filters.person is not None else None,
        )
    ]
    days = _days(period, found, today)

    def around(step: int) -> str:
        other = period.shifted(step)
        return _url(**other.param, **filters.params) if other else ""

    key = calendar.calendar_key(request.user)
    feed = site_url(reverse("admin:calendar_feed", args=[key]))
    context = {
        **admin_site.each_context(request),
        "title": _("Calendrier éditorial"),
        "subtitle": period.title,
        "period": period,
        "weeks": [
            Week(
                days[i].date.isocalendar()[1],
                _url(**week_of(days[i].date).param, **filters.params),
                days[i : i + 7],
            )
            for i in range(0, len(days), 7)
        ],
        "days": [d for d in days if d.in_period],
        "entries": found,
        "notices": notices,
        "filters": filters,
        "previous_url": around(-1),
        "next_url": around(1),
        "today_url": _url(
            **({"view": "week"} if period.kind == "week" else {}), **filters.params
        ),
        "month_url": _url(
            **month_of(period.first.year, period.first.month).param, **filters.params
        ),
        "week_url": _url(
            **week_of(
                today if period.first <= today <= period.last else period.first
            ).param,
            **filters.params,
        ),
        "clear_url": _url(**period.param),
        "feed_url": feed,
        "feed_mine_url": f"{feed}?{urlencode({'mine': '1'})}",
        "today": today,
    }
    return TemplateResponse(request, "admin/briefs/calendar.html", context)


@require_POST
def new_key_view(request: HttpRequest) -> HttpResponse:
    """Replace the person's calendar key; the address they had stops working."""
    if not calendar.may_read(request.user):
        raise PermissionDenied
    calendar.new_calendar_key(request.user)
    messages.success(
        request,
        _(
            "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez votre "
            "application de calendrier à la nouvelle."
        ),
    )
    return redirect("admin:calendar")


@require_safe
def feed_view(request: HttpRequest, key: str) -> HttpResponse:
    """The person's calendar as iCalendar, read with the key in its address.

    No session: calendar applications cannot sign in, the key stands for it.
    """
    user = calendar.user_for_key(key)
    if user is None:
        raise Http404
    mine = request.GET.get("mine") == "1"
    today = calendar.today()
    found = calendar.entries(
        first=today - calendar.FEED_PAST,
        last=today + calendar.FEED_AHEAD,
        person_id=user.pk if mine else None,
    )
    response = HttpResponse(
        feed_bytes(found, mine=mine), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="calendrier.ics"'
    return response
