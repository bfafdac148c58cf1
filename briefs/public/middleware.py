"""Locale middleware that does not redirect unknown language prefixes."""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


def foreign_language_prefix(path: str) -> bool:
    """Whether ``path`` starts with a language code the site does not offer."""
    first = path.lstrip("/").split("/", 1)[0].lower()
    offered = {code.lower() for code, _name in settings.LANGUAGES}
    return first in LANG_INFO and first not in offered


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware, except that /de/... stays a plain 404.

    Django would "add the missing prefix" and redirect /de/x/ to /fr/de/x/,
    which the ``<audience>`` patterns accept before answering 404 there.
    """

    def process_response(self, request, response):
        if response.status_code == 404 and foreign_language_prefix(request.path_info):
            response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
            return response
        return super().process_response(request, response)
