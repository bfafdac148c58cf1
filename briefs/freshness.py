"""The one door for keeping public pages fresh after a change made in bulk.

Edits made one by one reach the pages through briefs.signals; writes that
skip the signals (a restore, bulk inserts, raw loads) call
:func:`invalidate_everything` once they are done.
"""

from __future__ import annotations

from django.db import transaction

from . import caching, pages


def invalidate_everything() -> None:
    """Every public page must be rendered again: stored pages now (in this
    transaction), the page cache and the values kept with it once committed."""
    pages.invalidate_all()
    transaction.on_commit(caching.invalidate_public_pages)
