"""Public pages rendered once per change, then served as stored HTML.

A detail page, the home page or an audience listing is rendered by its view
the first time it is read after a change, and the HTML is kept in
:class:`~briefs.models.RenderedPage`. Later reads fetch it with one indexed
query and render nothing. Search results depend on what is typed, and topic
pages cost a query more: those are rendered on every read, behind the page
cache. Unlike the page cache (briefs.caching), which every publication
empties at once, a stored detail page is replaced only when something *it*
shows changes, and stored pages outlive cache flushes and restarts.

When is a stored page still right? Three checks, all in the serving query:

- its ``token`` is current. A detail page's must equal its brief's
  ``page_token``: every change to what a brief's pages show (a variant going
  live or offline, a new live revision, the brief's slug or topics, a
  topic's or audience's name, an author's or reviewer's name or title) gives
  the brief a new token *in the same transaction* (:func:`invalidate_briefs`,
  called from briefs.signals). A listing's must equal the ``listings``
  :class:`~briefs.models.PageToken`, replaced the same way by every change a
  listing shows (:func:`invalidate_listings`). A render reads the token with
  or before the data it shows, so a page rendered from data that changed
  meanwhile is stored with the old token and never served;
- its ``render_key`` is the running code's: a hash of the templates, the
  translations, the public modules and the static files' manifest, so a
  deployment never serves pages rendered by the previous one;
- a detail page's ``valid_until`` has not passed: a page whose review falls
  due would now carry the "not reviewed since" notice.

Anything else (another host name, an English page that does not exist, a
withdrawn brief, a query string other than ``?page=N``) finds no row and
goes to the view as before.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from .caching import etag_of
from .models import Brief, PageToken, RenderedPage

logger = logging.getLogger(__name__)

# Settings that change what a rendered page says.
_RENDER_SETTINGS = (
    "NEWSROOM_SITE_NAME",
    "LANGUAGES",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
)


def enabled() -> bool:
    """Whether detail pages are stored (never while developing, where
    templates change under a running server)."""
    return getattr(settings, "NEWSROOM_RENDERED_PAGES", True) and not settings.DEBUG


@functools.cache
def render_key() -> str:
    """A hash of everything besides the data that shapes a page's HTML."""
    import django

    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    app = Path(__file__).resolve().parent
    files = [
        *sorted((base / "templates").rglob("*.html")),
        *sorted((base / "locale").rglob("*.mo")),
        *sorted(app.rglob("*.py")),
    ]
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    for path in files:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    digest.update(django.get_version().encode())
    for name in _RENDER_SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()


def origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@functools.cache
def _detail_sql(vendor: str) -> str:
    """The detail lookup: the stored page if its brief's token still matches.

    Written once per process: building and compiling the same ORM query cost
    several times what running it does, and it is a stored page's whole cost.
    """
    qn = connection.ops.quote_name
    stored, briefs = qn(RenderedPage._meta.db_table), qn(Brief._meta.db_table)
    return (
        f"SELECT p.{qn('html')}, p.{qn('etag')}, p.{qn('rendered_at')}"  # noqa: S608
        f" FROM {stored} p INNER JOIN {briefs} b ON b.{qn('id')} = p.{qn('brief_id')}"
        f" AND b.{qn('page_token')} = p.{qn('token')}"
        f" WHERE p.{qn('origin')} = %s AND p.{qn('path')} = %s"
        f" AND p.{qn('render_key')} = %s"
        f" AND (p.{qn('valid_until')} IS NULL OR p.{qn('valid_until')} > %s)"
    )


def _as_datetime(value) -> datetime:
    """A datetime column as read by a plain cursor (SQLite gives text, in UTC)."""
    if isinstance(value, datetime):
        return value
    return parse_datetime(value).replace(tzinfo=UTC)


def stored_response(request: HttpRequest) -> HttpResponse | None:
    """The stored page for this URL, if it is still right; else None."""
    if not enabled():
        return None
    now = RenderedPage._meta.get_field("valid_until").get_db_prep_value(
        timezone.now(), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            _detail_sql(connection.vendor),
            [origin(request), request.path, render_key(), now],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return _stored(*row)


# -- Listings ---------------------------------------------------------------

LISTINGS = "listings"
_PAGE_QUERY = re.compile(r"page=[1-9][0-9]{0,5}")


def listing_path(request: HttpRequest) -> str | None:
    """Where a listing URL is stored: its path, with ``?page=N`` if given.

    Any other query string (tracking parameters, a malformed page number)
    is rendered, never stored: the table holds only pages that exist.
    """
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return request.path
    if _PAGE_QUERY.fullmatch(query):
        return f"{request.path}?{query}"
    return None


@functools.cache
def _listing_sql(vendor: str) -> str:
    """The listing lookup: the current token, and the stored page if it matches."""
    qn = connection.ops.quote_name
    tokens, stored = qn(PageToken._meta.db_table), qn(RenderedPage._meta.db_table)
    return (
        f"SELECT t.{qn('token')}, p.{qn('html')}, p.{qn('etag')},"  # noqa: S608
        f" p.{qn('rendered_at')} FROM {tokens} t LEFT JOIN {stored} p"
        f" ON p.{qn('token')} = t.{qn('token')} AND p.{qn('brief_id')} IS NULL"
        f" AND p.{qn('origin')} = %s AND p.{qn('path')} = %s"
        f" AND p.{qn('render_key')} = %s WHERE t.{qn('name')} = %s"
    )


def stored_listing(
    request: HttpRequest, path: str
) -> tuple[uuid.UUID | None, HttpResponse | None]:
    """The listings' current token, and the stored page at ``path`` if right.

    One query gives both: a page rendered after it is stored with the token
    read before its data, so a publication in between is never served.
    """
    if not enabled():
        return None, None
    with connection.cursor() as cursor:
        cursor.execute(
            _listing_sql(connection.vendor),
            [origin(request), path, render_key(), LISTINGS],
        )
        row = cursor.fetchone()
    if row is None:  # a database emptied without its migrations' rows
        return PageToken.objects.get_or_create(name=LISTINGS)[0].token, None
    token, html, etag, rendered_at = row
    token = token if isinstance(token, uuid.UUID) else uuid.UUID(token)
    if html is None:
        return token, None
    return token, _stored(html, etag, rendered_at)


def _stored(html: str, etag: str, rendered_at) -> HttpResponse:
    response = HttpResponse(html)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(_as_datetime(rendered_at).timestamp())
    return response


def store(
    request: HttpRequest,
    response: HttpResponse,
    *,
    token: uuid.UUID,
    brief_id: int | None = None,
    path: str | None = None,
    valid_until: datetime | None = None,
) -> None:
    """Keep ``response`` (a rendered public page) for the next reads.

    ``token`` is the brief's ``page_token`` (a detail page) or the listings'
    token (``brief_id`` None), as read with or before the data the page
    shows. A failed write (a read-only replica, a locked SQLite file) costs
    the next reader a render, never this reader's page.
    """
    if not enabled() or response.status_code != 200:
        return
    content = response.content
    etag = etag_of(content)
    rendered_at = timezone.now()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(rendered_at.timestamp())
    row = RenderedPage(
        brief_id=brief_id,
        origin=origin(request),
        path=path or request.path,
        token=token,
        render_key=render_key(),
        html=content.decode(response.charset),
        etag=etag,
        rendered_at=rendered_at,
        valid_until=valid_until,
    )
    # One statement; a savepoint only inside a transaction, whose failure
    # would otherwise break it.
    guard = (
        transaction.atomic()
        if transaction.get_connection().in_atomic_block
        else contextlib.nullcontext()
    )
    try:
        with guard:
            RenderedPage.objects.bulk_create(
                [row],
                update_conflicts=True,
                unique_fields=["origin", "path"],
                update_fields=[
                    "brief",
                    "token",
                    "render_key",
                    "html",
                    "etag",
                    "rendered_at",
                    "valid_until",
                ],
            )
    except DatabaseError:
        logger.warning("Could not store the rendered page %s", request.path)


def invalidate_briefs(brief_ids) -> None:
    """The pages of these briefs must be rendered again (in this transaction)."""
    ids = {pk for pk in brief_ids if pk is not None}
    if not ids:
        return
    Brief.objects.filter(pk__in=ids).update(page_token=uuid.uuid4())
    RenderedPage.objects.filter(brief_id__in=ids).delete()


def invalidate_listings() -> None:
    """The home page and the listings must be rendered again (in this transaction)."""
    if not PageToken.objects.filter(name=LISTINGS).update(token=uuid.uuid4()):
        PageToken.objects.create(name=LISTINGS)
    RenderedPage.objects.filter(brief__isnull=True).delete()


def invalidate_all() -> None:
    """Every stored page must be rendered again (an audience renamed)."""
    Brief.objects.update(page_token=uuid.uuid4())
    invalidate_listings()
    RenderedPage.objects.filter(brief__isnull=False).delete()
