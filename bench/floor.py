"""The floor: a minimal Django view on the site's settings, serving one page from memory.

Same settings module, middleware and server as the site; only the URLconf
differs (one view returning the bytes of ``BENCH_FLOOR_HTML``). What the site
costs above this is the cost of its views, queries and templates.
"""

import os
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

HTML = Path(os.environ["BENCH_FLOOR_HTML"]).read_bytes()


def page(request):
    """Return the stored page as it is."""
    return HttpResponse(HTML)


django.setup(set_prefix=False)

# The site's own URLs beside the floor's: the middleware reverses some of
# them (the admin's prefix) on every request.
from newsroom.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns = [path("floor/", page), *site_urlpatterns]
settings.ROOT_URLCONF = __name__

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

application = WSGIHandler()
