"""The editorial calendar as iCalendar (RFC 5545), for calendar applications."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from ..editorial.calendar import Entry, Kind
from ..editorial.outbox import site_url

# A scheduled publication is a moment; calendars show it this long.
PUBLICATION_LENGTH = dt.timedelta(minutes=30)


def _host() -> str:
    return urlsplit(settings.NEWSROOM_SITE_URL).hostname or "newsroom"


def uid(entry: Entry) -> str:
    """The event's UID: the same for one variant's date of one kind, moved or not."""
    return f"{entry.kind}-{entry.variant_id}@{_host()}"


def summary(entry: Entry) -> str:
    return _("%(kind)s : %(title)s (%(audience)s)") % {
        "kind": entry.label,
        "title": entry.title,
        "audience": entry.audience_code.upper(),
    }


def event(entry: Entry, *, stamp: dt.datetime) -> Event:
    """One VEVENT: a moment in UTC for a publication, a whole day for a due date."""
    url = site_url(reverse("admin:briefs_variant_change", args=[entry.variant_id]))
    item = Event()
    item.add("uid", uid(entry))
    item.add("dtstamp", stamp)
    item.add("last-modified", entry.updated_at.astimezone(dt.UTC))
    if entry.kind == Kind.PUBLICATION and entry.at is not None:
        start = entry.at.astimezone(dt.UTC)
        item.add("dtstart", start)
        item.add("dtend", start + PUBLICATION_LENGTH)
    else:
        item.add("dtstart", entry.day)
        item.add("dtend", entry.day + dt.timedelta(days=1))
        item.add("transp", "TRANSPARENT")
    item.add("summary", summary(entry))
    item.add("url", url)
    lines = [entry.label, entry.title, f"{entry.audience_code.upper()} · {entry.slug}"]
    if entry.reviewer:
        lines.append(_("Relecteur désigné : %(name)s") % {"name": entry.reviewer})
    lines.append(url)
    item.add("description", "\n".join(lines))
    item.add("categories", [entry.label])
    return item


def feed_bytes(found: list[Entry], *, mine: bool) -> bytes:
    """The calendar holding ``found``, as the bytes of an .ics file."""
    cal = Calendar()
    cal.add("prodid", f"-//{settings.NEWSROOM_SITE_NAME}//Calendrier éditorial//FR")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = _("Calendrier éditorial")
    if mine:
        name = _("Calendrier éditorial : mes textes")
    cal.add("x-wr-calname", f"{name} · {settings.NEWSROOM_SITE_NAME}")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    # Calendar applications read it again about every hour.
    cal.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    stamp = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
    for entry in found:
        cal.add_component(event(entry, stamp=stamp))
    return cal.to_ical()
