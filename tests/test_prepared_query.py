"""A query compiled once gives the models the plain queryset gives.

``PreparedQuery`` reads Django's compiler to build its models: these tests
compare its results with the plain queryset's, field by field and through
every related object the detail page reads, so that an upgrade of Django that
changes the compiler fails here.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Profile, Topic, Variant
from briefs.models.prepared import ID_MARKER, PreparedQuery
from briefs.public import selectors
from tests.factories import make_published, make_user, make_variant, publish

pytestmark = pytest.mark.django_db


def field_values(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


@pytest.fixture
def brief_with_two_variants():
    reviewer = make_user("reviewer", first_name="Anne", last_name="Roy")
    Profile.objects.update_or_create(user=reviewer, defaults={"title": "Dr"})
    patient = publish(make_variant(title="Le tacrolimus"), reviewer=reviewer)
    publish(
        make_variant(brief=patient.brief, audience="aim", title="Tacrolimus (pro)"),
        reviewer=reviewer,
    )
    topic = Topic.objects.create(name="Myosites", slug="myosites")
    patient.brief.topics.add(topic)
    return patient.brief


def test_the_detail_query_builds_the_models_of_the_plain_queryset(
    brief_with_two_variants,
):
    slug = brief_with_two_variants.slug
    plain = {
        v.pk: v for v in Variant.objects.for_public_detail().filter(brief__slug=slug)
    }
    prepared = selectors.brief_variants(slug)
    selectors.brief_variants(slug)  # compiled, then run again
    assert len(prepared) == len(plain) == 2
    with CaptureQueriesContext(connection) as queries:
        for variant in prepared:
            expected = plain[variant.pk]
            assert field_values(variant) == field_values(expected)
            for path in (
                ("brief",),
                ("audience",),
                ("author",),
                ("live_revision",),
                ("live_revision", "approved_by"),
            ):
                got, want = variant, expected
                for name in path:
                    got, want = getattr(got, name), getattr(want, name)
                assert field_values(got) == field_values(want), path
            reviewer = variant.live_revision.approved_by
            assert reviewer.profile.title == "Dr"
    assert len(queries) == 0  # every related object came with the row


def test_each_slug_gets_its_own_rows(brief_with_two_variants):
    other = make_published(title="Une autre brève")
    assert {v.brief.slug for v in selectors.brief_variants(other.brief.slug)} == {
        other.brief.slug
    }
    assert selectors.brief_variants("aucune-breve") == []
    assert len(selectors.brief_variants(brief_with_two_variants.slug)) == 2


def test_topics_by_brief_id(brief_with_two_variants):
    assert [t.slug for t in selectors.brief_topics(brief_with_two_variants.pk)] == [
        "myosites"
    ]
    assert selectors.brief_topics(brief_with_two_variants.pk + 1000) == []


def test_a_value_used_twice_falls_back_to_the_plain_queryset(
    brief_with_two_variants,
):
    query = PreparedQuery(
        Topic,
        lambda brief_id: Topic.objects.filter(
            briefs__id=brief_id, briefs__id__gte=brief_id
        ),
        ID_MARKER,
    )
    assert [t.slug for t in query(brief_with_two_variants.pk)] == ["myosites"]
    assert query._compiled == {"default": None}
