"""The naive anchor: the detail page as a plain Django tutorial would write it.

Three queries (the variant with its brief and audience, its live revision,
the sources it cites), Python-Markdown on the body and a template rendered
on every request: no cache, no precomputed HTML. Same settings, middleware
and server as the site; only the URLconf differs. It gives each ratio of
``make bench`` a neighbour that anyone can rebuild without our code.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")

import django  # noqa: E402

django.setup(set_prefix=False)

import markdown  # noqa: E402
from django.conf import settings  # noqa: E402
from django.shortcuts import get_object_or_404  # noqa: E402
from django.template import engines  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.urls import path  # noqa: E402

from briefs.models import Citation, Revision, Variant  # noqa: E402

TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="fr"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ revision.title_fr }}</title></head>
<body><main><article>
<p>{{ variant.audience.name }}</p>
<h1>{{ revision.title_fr }}</h1>
<p>{{ revision.standfirst_fr }}</p>
<p>Publié le {{ variant.last_published_at|date:"j F Y" }}</p>
{{ body|safe }}
<h2>Références</h2>
<ol>{% for citation in citations %}
<li>{{ citation.source.title }}. <em>{{ citation.source.container_title }}</em>
{{ citation.source.year }};{{ citation.source.volume }}:{{ citation.source.pages }}.
{% if citation.source.doi %}<a href="https://doi.org/{{ citation.source.doi }}">
doi:{{ citation.source.doi }}</a>{% endif %}</li>{% endfor %}
</ol></article></main></body></html>"""
)


def detail(request, audience, slug):
    """Three queries, Markdown and a template, every time."""
    variant = get_object_or_404(
        Variant.objects.select_related("brief", "audience"),
        audience__code=audience,
        brief__slug=slug,
        live_revision__isnull=False,
    )
    revision = Revision.objects.get(pk=variant.live_revision_id)
    citations = list(
        Citation.objects.filter(revision=revision)
        .select_related("source")
        .order_by("number")
    )
    body = markdown.markdown(revision.body_fr, extensions=["extra"])
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "variant": variant,
            "revision": revision,
            "body": body,
            "citations": citations,
        },
    )


from newsroom.urls import urlpatterns as site_urlpatterns  # noqa: E402

# The site's own URLs beside the anchor's: the middleware reverses some of
# them (the admin's prefix) on every request.
urlpatterns = [path("naive/<slug:audience>/<slug:slug>/", detail), *site_urlpatterns]

settings.ROOT_URLCONF = __name__

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

application = WSGIHandler()
