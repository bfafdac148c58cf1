"""Keeping public pages fresh: one shared cache, scoped tokens, one ``invalidate``.

Every public page, and every value the pages compute alike (a listing's
count), is kept in Django's cache (the database's table on the embedded
default, Redis in production: every process reads the same one) together
with the *tokens* of the scopes it shows:

- ``site``: everything public (an audience renamed, a restore, bulk loads);
- ``listings``: the home page, audience and topic listings, feeds, search,
  the sitemap, and their counts;
- ``brief:<slug>``: the detail pages of one brief (both audiences, both
  languages), which show its variants, topics and people.

A token is a random value kept in the cache. A page is served only while
every token it was stored with is still current. A page reads its tokens
*before* it reads its data, so a change committed while it renders leaves it
stored with the old tokens: never served. :func:`invalidate` is the one door
every change goes through (signals, restore, imports, commands): it gives
the scopes concerned new tokens once the transaction commits. A missing
token (evicted, flushed) is replaced by a new one, which only means misses.

The cache's keys carry the release (``cache_key``, Django's KEY_FUNCTION):
a deployment never serves the pages of the previous one.
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

SITE = "site"
LISTINGS = "listings"
SCOPE_PREFIX = "fresh:scope:"
DATA_PREFIX = "fresh:data:"
# Settings that change what a page says without any data changing.
RENDER_SETTINGS = (
    "NEWSROOM_SITE_NAME",
    "LANGUAGES",
    "LANGUAGE_CODE",
    "TIME_ZONE",
    "STATIC_URL",
)
DATA_SECONDS = 24 * 3600
# Longer slugs (no brief has one: 120 at most) are hashed into keys.
SLUG_KEY_LENGTH = 120


def brief_scope(slug: str) -> str:
    """The scope of one brief's detail pages (any URL's slug gives a short key)."""
    if len(slug) > SLUG_KEY_LENGTH:
        slug = hashlib.sha256(slug.encode()).hexdigest()
    return f"brief:{slug}"


def cache():
    """The cache every process shares, where pages and tokens live."""
    return caches[getattr(settings, "NEWSROOM_PAGE_CACHE_ALIAS", "default")]


# -- Release ------------------------------------------------------------------


@functools.cache
def release() -> str:
    """The running release: NEWSROOM_RELEASE if the deployment names it, else
    a hash of everything besides data that shapes a page (code, templates,
    translations, the static files' manifest, a few settings)."""
    named = getattr(settings, "NEWSROOM_RELEASE", "")
    if named:
        return named
    import django

    base = Path(settings.BASE_DIR)
    app = Path(__file__).resolve().parent.parent  # the whole briefs package
    files = [
        *sorted((base / "templates").rglob("*.html")),
        *sorted((base / "locale").rglob("*.mo")),
        *sorted(app.rglob("*.py")),
        *sorted(app.rglob("*.html")),
    ]
    manifest = Path(settings.STATIC_ROOT or base / "staticfiles") / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    digest = hashlib.sha256(django.get_version().encode())
    for path in files:
        # The static root, or the package when installed, may lie elsewhere.
        name = path.relative_to(base) if path.is_relative_to(base) else path
        digest.update(name.as_posix().encode())
        digest.update(path.read_bytes())
    for name in RENDER_SETTINGS:
        digest.update(repr(getattr(settings, name, None)).encode())
    return digest.hexdigest()[:16]


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """Django's KEY_FUNCTION: every key carries the release."""
    return f"{key_prefix}:{release()}:{version}:{key}"


# -- Tokens -----------------------------------------------------------------


def token_keys(scopes: Iterable[str]) -> list[str]:
    return [SCOPE_PREFIX + scope for scope in scopes]


def current_tokens(scopes: Iterable[str], found: dict | None = None) -> dict[str, str]:
    """The current token of each scope, made for the scopes that have none.

    ``found`` is what a ``get_many`` of :func:`token_keys` already returned.
    Read before the data a page shows: see the module.
    """
    scopes = list(scopes)
    store = cache()
    found = dict(found) if found is not None else store.get_many(token_keys(scopes))
    missing = [key for key in token_keys(scopes) if key not in found]
    if missing:
        for key in missing:
            store.add(key, uuid.uuid4().hex, None)  # the first process wins
        found.update(store.get_many(missing))
    return {scope: found.get(SCOPE_PREFIX + scope, "") for scope in scopes}


def still_current(stored: dict[str, str], found: dict) -> bool:
    """Whether every token ``stored`` with an entry is the one ``found`` now."""
    return bool(stored) and all(
        value and found.get(SCOPE_PREFIX + scope) == value
        for scope, value in stored.items()
    )


def _bump(scopes: Iterable[str]) -> None:
    cache().set_many({key: uuid.uuid4().hex for key in token_keys(scopes)}, None)


def invalidate(
    *,
    briefs: Iterable[int] = (),
    slugs: Iterable[str] = (),
    listings: bool = False,
    everything: bool = False,
) -> None:
    """Make stale, once the transaction commits, the pages of these briefs
    (by id, or by slug for a slug that is going away), the listings, or
    everything public. The one door: signals, restore, imports and commands
    all call it."""
    from ..models import Brief

    scopes: set[str] = set()
    if everything:
        scopes.add(SITE)
    if listings:
        scopes.add(LISTINGS)
    ids = {pk for pk in briefs if pk is not None}
    names = {slug for slug in slugs if slug}
    if ids:
        # Read now, in the transaction: the slugs the pages are stored under.
        names.update(Brief.objects.filter(pk__in=ids).values_list("slug", flat=True))
    scopes.update(brief_scope(slug) for slug in names)
    if scopes:
        # Outside a transaction, on_commit runs at once.
        transaction.on_commit(lambda: _bump(scopes), robust=True)


def invalidate_everything() -> None:
    """Every public page and every kept value is stale once committed.

    For writes that bypass the per-object signals (a restore, bulk inserts,
    raw fixture loads); registered once per transaction however often called.
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        func is _bump_everything for _sids, func, _robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(_bump_everything, robust=True)


def _bump_everything() -> None:
    _bump([SITE, LISTINGS])


# -- Values kept with the pages ---------------------------------------------


def remember(
    key: str, compute: Callable[[], Any], *, scopes: Iterable[str] = (LISTINGS,)
) -> Any:
    """``compute()``, kept until one of ``scopes`` (and ``site``) changes.

    For what every public page of a kind recomputes identically, such as a
    listing's number of briefs. Inside a transaction the value is computed
    afresh: it may include writes not committed yet, which no token marks.
    """
    if transaction.get_connection().in_atomic_block:
        return compute()
    scopes = [SITE, *scopes]
    store = cache()
    data_key = DATA_PREFIX + key
    found = store.get_many([data_key, *token_keys(scopes)])
    entry = found.get(data_key)
    if entry is not None and still_current(entry[0], found):
        return entry[1]
    tokens = current_tokens(scopes, found)
    value = compute()
    store.set(data_key, (tokens, value), DATA_SECONDS)
    return value
