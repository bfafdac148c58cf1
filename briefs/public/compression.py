"""Compressed public pages: gzip for what anonymous readers are served.

Only what the public page cache would keep is compressed: an anonymous
read of a public page that sets no cookie and varies on none. Such a page
holds no secret (no session, no CSRF token, no personal data), so reflecting
a search query in it gives a BREACH attacker nothing to guess. Staff pages,
signed previews and any page carrying a form's CSRF token (it sets the
token's cookie) are sent as they are.
"""

from __future__ import annotations

from django.middleware.gzip import GZipMiddleware

from .page_cache import public_page_scopes, storable


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware, for public pages read anonymously only."""

    def process_response(self, request, response):
        if public_page_scopes(request) is None or not storable(response):
            return response
        return super().process_response(request, response)
