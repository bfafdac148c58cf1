"""An archive on PostgreSQL: deep listing pages, sitemap pages and the admin's
indexed search give the same rows as the plain queries they replace.

A few thousand briefs are generated in bulk. Whether the plans use the
indexes of migration 0016 depends on the archive's size (at this size a
sequential scan is cheapest): they are read at 100,000 briefs by
``make bench-scale`` and shown in docs/performance.md.
"""

import pytest
from django.contrib import admin
from django.db import connection

from bench.data import generate
from briefs.models import Audience, Brief, Variant
from briefs.public import selectors

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's query plans"
    ),
]

BRIEFS = 3_000


@pytest.fixture
def archive(db):
    generate(BRIEFS, body_chars=300, batch=1_500)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE briefs_variant")
        cursor.execute("ANALYZE briefs_brief")
        cursor.execute("ANALYZE briefs_revision")
    return Audience.objects.get(code="afm")


def test_a_deep_listing_page_is_the_page_an_offset_gives(archive):
    listing = selectors.public_listing(lang="fr", audience=archive)
    page = listing[2000:2020]
    expected = list(
        selectors.public_list(lang="fr", audience=archive).values_list(
            "brief__slug", flat=True
        )[2000:2020]
    )
    assert len(expected) == 20
    assert [card.url.rstrip("/").rsplit("/", 1)[1] for card in page] == expected
    assert listing.count() == BRIEFS


def test_sitemap_pages_list_every_variant_once(archive):
    rows = selectors.sitemap_variants()
    listed = [(row.audience_code, row.slug) for row in rows[0 : BRIEFS * 2]]
    first_page = [(row.audience_code, row.slug) for row in rows[0:2000]]
    assert len(set(listed)) == len(listed) == BRIEFS * 2
    assert listed[:2000] == first_page


SEARCHES = [
    (Brief, "bench-1234-"),
    (Brief, "Brève 1234 "),
    (Brief, "BENCH-77-TACROLIMUS"),
    (Variant, "bench-1234-"),
    (Variant, "Brève 2345 : le"),
    (Variant, '"Brève 99 :"'),
    (Variant, "nothing-like-this"),
    # Words in every title or slug: the related ids stay a subquery.
    (Brief, "tacrolimus"),
    (Variant, "bench-"),
]


def test_the_admin_search_finds_what_djangos_search_finds(archive, rf, admin_user):
    for model, term in SEARCHES:
        model_admin = admin.site._registry[model]
        request = rf.get("/", {"q": term})
        request.user = admin_user
        base = model.objects.all()
        indexed, _ = model_admin.get_search_results(request, base, term)
        plain, _ = admin.ModelAdmin.get_search_results(model_admin, request, base, term)
        found = set(indexed.values_list("pk", flat=True))
        assert found == set(plain.distinct().values_list("pk", flat=True)), term
        assert found or term == "nothing-like-this", term
