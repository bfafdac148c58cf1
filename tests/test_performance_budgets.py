"""Public pages cost a fixed number of queries, whatever the number of briefs.

The archive here is built through the workflow, as editors build it: more
than two pages of briefs for each audience, with topics and translations.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Topic
from tests import budgets
from tests.factories import make_published, make_source
from tests.queries import reads_and_writes

BRIEFS = 45

PUBLIC_LISTINGS = [
    "/fr/",
    "/en/",
    "/fr/afm/",
    "/fr/aim/?page=2",
    "/fr/afm/topic/theme-1/",
    "/fr/afm/feed/",
    "/fr/afm/atom/",
    "/fr/search/?q=tacrolimus",
    "/fr/search/?q=tacrolimus&aud=aim",
    "/fr/search/?q=tacrolimus&page=2",
]
DETAILS = ["/fr/afm/archive-7/", "/fr/aim/archive-7/", "/en/afm/archive-7/"]


@pytest.fixture
def archive(db):
    """BRIEFS briefs with both versions published, in French and English."""
    source = make_source("takada2019")
    topics = [
        Topic.objects.create(name=f"Thème {i}", slug=f"theme-{i}") for i in range(4)
    ]
    for n in range(BRIEFS):
        afm = make_published(
            title=f"Brève {n} : le tacrolimus",
            body=f"Le tacrolimus dans la myosite, brève {n}[@{source.key}].",
            title_en=f"Brief {n}: tacrolimus",
            body_en=f"Tacrolimus in myositis, brief {n}[@{source.key}].",
            slug=f"archive-{n}",
        )
        make_published(
            brief=afm.brief,
            audience="aim",
            title=f"Brève {n} (professionnels) : le tacrolimus",
            body=f"Tacrolimus (5 à 10 ng/mL), brève {n}[@{source.key}].",
        )
        afm.brief.topics.add(topics[n % 4], topics[(n + 1) % 4])


def _reads(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    reads, writes = reads_and_writes(queries)
    assert writes == [], path  # reading a page writes nothing
    return response, reads


def test_every_listing_costs_a_fixed_number_of_queries(client, archive):
    for path in PUBLIC_LISTINGS:
        response, reads = _reads(client, path)
        assert "tacrolimus" in response.content.decode().lower(), path
        assert len(reads) <= budgets.LISTING, (path, reads)
        again, reads = _reads(client, path)
        assert len(reads) == budgets.CACHED, path
        assert again.content == response.content, path


def test_a_published_page_costs_at_most_three_queries(client, archive):
    for path in DETAILS:
        response, reads = _reads(client, path)
        assert "tacrolimus" in response.content.decode(), path
        assert "Thème" in response.content.decode(), path
        assert len(reads) <= budgets.DETAIL, (path, reads)
        again, reads = _reads(client, path)
        assert len(reads) == budgets.CACHED, path
        assert again.content == response.content, path


def test_the_budgets_hold_with_the_cache_off(client, archive, settings):
    """What the database is asked on every read when nothing is cached."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    for path in [*PUBLIC_LISTINGS, *DETAILS]:
        budget = budgets.DETAIL if path in DETAILS else budgets.LISTING
        for _ in range(2):
            _response, reads = _reads(client, path)
            assert len(reads) <= budget, (path, reads)
