"""Compressed public pages: gzip for what anonymous readers are served.

Only the pages the public page cache serves are compressed: they hold no
secret (no session, no CSRF token, no personal data), so reflecting a
search query beside them gives a BREACH attacker nothing to guess. Staff
pages, forms and signed previews are sent as they are.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

from .page_cache import public_page_scopes


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for public pages read anonymously only."""

    def process_response(self, request, response):
        if public_page_scopes(request) is None:
            return response
        return super().process_response(request, response)
