"""Public pages cost a fixed number of queries, whatever the number of briefs.

Pages are listed in PUBLIC_LISTINGS; a page whose URL does not exist yet (it
falls through to the audience or detail pattern and answers 404) is skipped,
so adding a page is adding a line.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from bench.data import generate
from briefs.models import Variant
from tests.queries import reads_and_writes

DETAIL_BUDGET = 3
LISTING_BUDGET = 4

PUBLIC_LISTINGS = [
    "/fr/",
    "/fr/afm/",
    "/fr/aim/?page=2",
    "/fr/afm/topic/bench-theme-1/",
    "/fr/afm/feed/",
    "/fr/afm/atom/",
    "/fr/search/?q=tacrolimus",
    "/fr/search/?q=tacrolimus&aud=aim",
]


@pytest.fixture
def many_briefs(db):
    """45 published briefs (90 variants), more than two pages of each list."""
    generate(45, body_chars=600)
    return Variant.objects.published()


def _get_or_skip(client, path):
    response = client.get(path)
    if response.status_code == 404:
        try:
            match = resolve(path.split("?")[0])
        except Exception:  # no route at all
            match = None
        if match is None or match.url_name in {"audience", "detail"}:
            pytest.skip(f"{path} does not exist on this branch yet")
    return response


# Pages kept as rendered after their first read (briefs.pages).
STORED = {"/fr/", "/fr/afm/", "/fr/aim/?page=2"}


@pytest.mark.parametrize("path", PUBLIC_LISTINGS)
def test_listing_costs_a_fixed_number_of_queries(path, client, many_briefs, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # what the database is asked
    with CaptureQueriesContext(connection) as first_read:
        response = _get_or_skip(client, path)
    assert response.status_code == 200
    assert b"bench-" in response.content
    reads, writes = reads_and_writes(first_read)
    assert len(reads) <= LISTING_BUDGET
    assert len(writes) == (1 if path in STORED else 0)

    with CaptureQueriesContext(connection) as next_read:
        again = client.get(path)
    assert again.content == response.content or path not in STORED
    if path in STORED:
        assert len(next_read) == 1


@pytest.mark.parametrize("audience", ["afm", "aim"])
def test_detail_costs_at_most_three_queries(audience, client, many_briefs, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # the stored page, not the cache
    path = f"/fr/{audience}/bench-7-tacrolimus-myosite/"
    with CaptureQueriesContext(connection) as first_read:
        first = client.get(path)
    assert first.status_code == 200
    assert "Brève 7" in first.content.decode()
    assert "Thème" in first.content.decode()
    reads, writes = reads_and_writes(first_read)
    assert len(reads) <= DETAIL_BUDGET
    # The rendered page is kept for the next readers (briefs.pages).
    assert len(writes) == 1 and "BRIEFS_RENDEREDPAGE" in writes[0]

    with CaptureQueriesContext(connection) as next_read:
        again = client.get(path)
    assert len(next_read) == 1
    assert again.content == first.content


def test_a_cached_page_costs_no_query(client, many_briefs, django_assert_num_queries):
    first = client.get("/fr/afm/")
    with django_assert_num_queries(0):
        second = client.get("/fr/afm/")
    assert second.status_code == 200
    assert second.content == first.content
