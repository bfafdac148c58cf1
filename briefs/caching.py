"""A per-page cache in front of the public pages, for anonymous readers.

``PublicPageCacheMiddleware`` sits right after the security and static-file
middleware. For a GET or HEAD without a session cookie it answers from the
cache before sessions, locale, CSRF or URL resolving run; otherwise it lets
the request through, and stores the response when it came from a public view
(the ``briefs`` URL namespace, previews excepted) and is a plain 200 that
neither sets cookies nor varies on them.

Every stored page carries the *generation* it was rendered in. Publishing,
unpublishing or editing what a public page shows starts a new generation
(:func:`invalidate_public_pages`, called from briefs.signals), so every page
rendered before is stale at once, without listing the pages. Page and
generation are read with a single ``get_many``: one round trip to Redis.

Conditional GET: each stored page has an ``ETag`` (a hash of its bytes) and a
``Last-Modified`` (when it was rendered); a matching ``If-None-Match`` or
``If-Modified-Since`` gets a 304 without a body. Uncached public responses
get the same headers.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

GENERATION_KEY = "public-pages:generation"
KEY_PREFIX = "public-pages:page:"
# URL namespaces whose views are public pages, and names in them never cached.
PUBLIC_NAMESPACES = frozenset({"briefs"})
# URL names outside those namespaces that are public pages too (sitemap, robots).
PUBLIC_URL_NAMES = frozenset(
    {"sitemap", "django.contrib.sitemaps.views.sitemap", "robots", "robots_txt"}
)
PUBLIC_PATHS = frozenset({"/sitemap.xml", "/robots.txt"})
NEVER_CACHED = frozenset({"preview"})
# Headers a stored page keeps; the others are set again on every answer.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Location",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Content-Type-Options",
    "Content-Security-Policy",
    "Vary",
)


def _cache():
    return caches[getattr(settings, "NEWSROOM_PAGE_CACHE_ALIAS", "default")]


def _timeout() -> int:
    return getattr(settings, "NEWSROOM_PAGE_CACHE_SECONDS", 600)


def _max_age() -> int:
    return getattr(settings, "NEWSROOM_PUBLIC_MAX_AGE", 60)


def invalidate_public_pages() -> None:
    """Make every cached public page stale (new generation)."""
    _cache().set(GENERATION_KEY, uuid.uuid4().hex, None)


def _current_generation(cache) -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


COUNT_SECONDS = 600


def remember(key: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept in the cache until the next publication.

    For what every public page of a kind recomputes identically, such as a
    listing's number of briefs: the value is stored with the current
    generation and recomputed once a publication starts a new one (or after
    ``COUNT_SECONDS``), whether or not the page cache is on. Inside a
    transaction the value is computed afresh: it may include writes that are
    not committed yet, and the new generation starts only at the commit.
    """
    if transaction.get_connection().in_atomic_block:
        return compute()
    cache = _cache()
    key = f"public-data:{key}"
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or _current_generation(cache)
    entry = found.get(key)
    if entry is not None and entry[0] == generation:
        return entry[1]
    value = compute()
    cache.set(key, (generation, value), COUNT_SECONDS)
    return value


def _is_anonymous(request) -> bool:
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


def _page_key(request) -> str:
    url = request.build_absolute_uri()
    return KEY_PREFIX + hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()


def _is_public_view(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None or match.url_name in NEVER_CACHED:
        return False
    return bool(PUBLIC_NAMESPACES.intersection(match.namespaces)) or (
        not match.namespaces and match.url_name in PUBLIC_URL_NAMES
    )


def _storable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    return "cookie" not in response.get("Vary", "").lower()


def etag_of(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _set_validators(response, etag: str, rendered_at: float) -> None:
    response.headers.setdefault("ETag", etag)
    response.headers.setdefault("Last-Modified", http_date(rendered_at))
    patch_cache_control(response, public=True, max_age=_max_age())


class PublicPageCacheMiddleware:
    """Serve public pages from the cache to anonymous readers; see the module."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Public pages live under a language prefix, or at a few fixed paths.
        self.prefixes = tuple(f"/{code}/" for code, _name in settings.LANGUAGES)

    def _may_be_public(self, request) -> bool:
        path = request.path_info
        return path.startswith(self.prefixes) or path in PUBLIC_PATHS

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or not self._may_be_public(request)
            or not _is_anonymous(request)
        ):
            return self.get_response(request)
        enabled = _timeout() > 0
        cache = _cache()
        if enabled:
            key = _page_key(request)
            found = cache.get_many([key, GENERATION_KEY])
            entry = found.get(key)
            if entry is not None and entry["generation"] == found.get(GENERATION_KEY):
                return self._answer(request, entry)
        response = self.get_response(request)
        if not (_is_public_view(request) and _storable(response)):
            return response
        # A stored detail page (briefs.pages) comes with its own validators.
        etag = response.get("ETag") or etag_of(response.content)
        rendered_at = parse_http_date_safe(response.get("Last-Modified", ""))
        if rendered_at is None:
            rendered_at = time.time()
        _set_validators(response, etag, rendered_at)
        if enabled:
            entry = {
                "generation": _current_generation(cache),
                "content": response.content,
                "headers": [
                    (name, response[name])
                    for name in STORED_HEADERS
                    if response.has_header(name)
                ],
                "etag": etag,
                "rendered_at": rendered_at,
            }
            cache.set(key, entry, _timeout())
        conditional = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(rendered_at),
            response=response,
        )
        return conditional

    def _answer(self, request, entry):
        head = request.method == "HEAD"
        response = HttpResponse(b"" if head else entry["content"])
        for name, value in entry["headers"]:
            response[name] = value
        if head:
            response["Content-Length"] = str(len(entry["content"]))
        _set_validators(response, entry["etag"], entry["rendered_at"])
        return get_conditional_response(
            request,
            etag=entry["etag"],
            last_modified=int(entry["rendered_at"]),
            response=response,
        )


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_page_cache(app_configs=None, **kwargs):
    """Warn when the page cache lives in each process (invalidation stays local)."""
    backend = settings.CACHES.get(
        getattr(settings, "NEWSROOM_PAGE_CACHE_ALIAS", "default"), {}
    ).get("BACKEND", "")
    if _timeout() > 0 and backend.endswith("LocMemCache"):
        return [
            checks.Warning(
                "The public page cache is in local memory: with several "
                "processes, a publication refreshes only the process that made it.",
                hint="Set REDIS_URL, or NEWSROOM_PAGE_CACHE_SECONDS=0.",
                id="briefs.W001",
            )
        ]
    return []
