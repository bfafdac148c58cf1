"""Public pages served from the shared cache to anonymous readers.

``PublicPageCacheMiddleware`` sits right after the security and static-file
middleware. For a GET or HEAD without a session cookie on a public URL it
reads, in one ``get_many``, the page stored for the URL and the tokens of
the scopes the URL shows (briefs.public.freshness); the page is served if it was
stored with those very tokens. Otherwise the tokens just read are kept, the
view renders, and a plain 200 that sets no cookie and does not vary on them
is stored with those tokens: if what it shows changed while it rendered, its
tokens are already old and it is never served.

Conditional GET: each page has an ``ETag`` (a hash of its bytes) and a
``Last-Modified`` (when it was rendered); a matching ``If-None-Match`` or
``If-Modified-Since`` gets a 304 without a body.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import time

from django.conf import settings
from django.core import checks
from django.http import HttpResponse
from django.urls import Resolver404, get_resolver, get_urlconf
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from . import freshness

PAGE_PREFIX = "fresh:page:"
# URL names answered by public pages and never cached here: a signed preview,
# the answer to a reader's feedback, and a page's PDF, which its view keeps
# (briefs.public.pdf).
NEVER_CACHED = frozenset({"preview", "feedback", "pdf"})
# Public pages outside the language prefixes.
PUBLIC_PATHS = frozenset({"/sitemap.xml", "/robots.txt"})
SITEMAP_PAGE = re.compile(r"/sitemap-[a-z]+\.xml")
# Headers a stored page keeps; the others are set again on every answer.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Vary",
)
VALIDATOR_HEADERS = ("ETag", "Last-Modified", "Cache-Control")


def _timeout() -> int:
    return getattr(settings, "NEWSROOM_PAGE_CACHE_SECONDS", 24 * 3600)


def _max_age() -> int:
    return getattr(settings, "NEWSROOM_PUBLIC_MAX_AGE", 60)


def etag_of(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def fresh_until(response: HttpResponse, moment: dt.datetime | None) -> None:
    """Tell the cache that ``response`` reads differently from ``moment`` on
    (a review falling due) even if nothing is changed."""
    if moment is not None:
        response.fresh_until = moment


def page_scopes(path: str, query=()) -> tuple[str, ...] | None:
    """The scopes a public URL shows, or None if it is not a cached page.

    ``query`` holds the names of its query parameters.
    """
    return _scopes(path, frozenset(query), get_urlconf())


# Resolving a URL costs a fifth of serving a cached page: the answer depends
# only on the path, the parameters' names and the URLs, all in the key.
@functools.lru_cache(maxsize=4096)
def _scopes(path: str, query: frozenset, urlconf) -> tuple[str, ...] | None:
    if path in PUBLIC_PATHS and not query:
        return (freshness.SITE, freshness.LISTINGS)
    if SITEMAP_PAGE.fullmatch(path) and set(query) <= {"p"}:
        return (freshness.SITE, freshness.LISTINGS)
    first = path.lstrip("/").split("/", 1)[0]
    if first not in {code for code, _name in settings.LANGUAGES}:
        return None
    try:
        # i18n_patterns match the active language's prefix.
        with translation.override(first):
            match = get_resolver().resolve(path)
    except Resolver404:
        return (freshness.SITE, freshness.LISTINGS)  # a 404 is not stored
    if match.url_name in NEVER_CACHED or "briefs" not in match.namespaces:
        return None
    if not set(query) <= PAGE_PARAMETERS.get(match.url_name, LISTING_PARAMETERS):
        return None
    if match.url_name == "detail":
        if query:
            return None
        return (freshness.SITE, freshness.brief_scope(match.kwargs["slug"]))
    return (freshness.SITE, freshness.LISTINGS)


# The query parameters a page answers to: a URL with any other is rendered,
# never kept (tracking parameters would fill the cache with copies).
PAGE_PARAMETERS = {"search": {"q", "aud", "page"}}
LISTING_PARAMETERS = {"page"}


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _page_key(request) -> str:
    url = request.build_absolute_uri()
    return PAGE_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return "cookie" not in response.get("Vary", "").lower()


def set_validators(response, etag: str, rendered_at: float) -> None:
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(rendered_at))
    patch_cache_control(response, public=True, max_age=_max_age())


def _seconds_to_keep(response) -> int:
    until = getattr(response, "fresh_until", None)
    timeout = _timeout()
    if until is not None:
        timeout = min(timeout, int((until - timezone.now()).total_seconds()))
    return timeout


class PublicPageCacheMiddleware:
    """Serve public pages from the shared cache to anonymous readers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scopes = None
        if request.method in ("GET", "HEAD") and _is_anonymous(request):
            scopes = page_scopes(request.path_info, request.GET.keys())
        if scopes is None:
            return self.get_response(request)
        enabled = _timeout() > 0
        tokens = None
        if enabled:
            store = freshness.cache()
            key = _page_key(request)
            found = store.get_many([key, *freshness.token_keys(scopes)])
            entry = found.get(key)
            if entry is not None and freshness.still_current(entry["tokens"], found):
                return self._answer(request, entry)
            # Read before rendering: see the module.
            tokens = freshness.current_tokens(scopes, found)
        response = self.get_response(request)
        if not _storable(response):
            return response
        etag = etag_of(response.content)
        rendered_at = time.time()
        set_validators(response, etag, rendered_at)
        keep = _seconds_to_keep(response)
        if enabled and keep > 0:
            entry = {
                "tokens": tokens,
                "content": response.content,
                # With its validators and Cache-Control, as answered now.
                "headers": [
                    (name, response[name])
                    for name in (*STORED_HEADERS, *VALIDATOR_HEADERS)
                    if response.has_header(name)
                ],
                "etag": etag,
                "rendered_at": rendered_at,
            }
            store.set(key, entry, keep)
        return get_conditional_response(
            request, etag=etag, last_modified=int(rendered_at), response=response
        )

    def _answer(self, request, entry):
        head = request.method == "HEAD"
        response = HttpResponse(b"" if head else entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        if head:
            response["Content-Length"] = str(len(entry["content"]))
        if not (
            "HTTP_IF_NONE_MATCH" in request.META
            or "HTTP_IF_MODIFIED_SINCE" in request.META
        ):
            return response
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["rendered_at"]),
            response=response,
        )


@checks.register(checks.Tags.caches)
def check_shared_page_cache(app_configs=None, **kwargs):
    """Public pages are never kept in one process's memory."""
    backend = settings.CACHES.get(
        getattr(settings, "NEWSROOM_PAGE_CACHE_ALIAS", "default"), {}
    ).get("BACKEND", "")
    if (
        _timeout() > 0
        and backend.endswith("LocMemCache")
        and not getattr(settings, "NEWSROOM_SINGLE_PROCESS", False)
    ):
        return [
            checks.Error(
                "The public page cache is in one process's memory: a change made "
                "by another process (cron, a shell, another worker) would not "
                "be seen there.",
                hint="Use the database cache (the default) or Redis (REDIS_URL).",
                id="briefs.E003",
            )
        ]
    return []
