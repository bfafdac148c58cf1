"""The admin changelists stay within their query budget with 10,000 briefs."""

import pytest

from bench.data import generate
from briefs.models import Brief, Variant
from tests import budgets

ADMIN_CHANGELISTS = [
    "/admin/briefs/brief/",
    "/admin/briefs/variant/",
    "/admin/briefs/variant/?state__exact=published",
    "/admin/briefs/brief/?q=bench-42",
]


@pytest.fixture
def ten_thousand_briefs(db):
    generate(10_000, body_chars=300, batch=2_500)
    assert Brief.objects.count() >= 10_000
    assert Variant.objects.count() >= 20_000


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        "admin-perf", "admin-perf@example.org", "pw-for-tests-only"
    )
    client.force_login(user)
    return client


def test_admin_changelists_cost_at_most_fifteen_queries(
    ten_thousand_briefs, superuser_client, django_assert_max_num_queries
):
    for url in ADMIN_CHANGELISTS:
        with django_assert_max_num_queries(budgets.ADMIN_CHANGELIST):
            response = superuser_client.get(url)
        assert response.status_code == 200, url
        assert "bench-" in response.content.decode(), url
