"""Template context shared by every public page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """The site's name, as readers see it."""
    return {"site_name": settings.NEWSROOM_SITE_NAME}
