"""Concurrent transitions on PostgreSQL: exactly one wins, one event is written."""

import threading

import pytest
from django.db import connection, connections

from briefs.editorial import workflow
from briefs.models import ReviewEvent, Variant
from tests.factories import make_user, make_variant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL"
    ),
]


def race(action, variant_pk, users):
    barrier = threading.Barrier(len(users))
    outcomes = []

    def run(user):
        try:
            barrier.wait()
            workflow.perform(
                action, variant=Variant.objects.get(pk=variant_pk), user=user
            )
            outcomes.append("ok")
        except workflow.WorkflowError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_approving_at_once_make_one_approval():
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    reviewers = [make_user("reviewer"), make_user("reviewer")]
    assert race("approve", variant.pk, reviewers) == ["ok", "refused"]
    assert ReviewEvent.objects.filter(variant=variant, action="approve").count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_chiefs_publishing_at_once_make_one_publication():
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(variant=variant, user=make_user("reviewer"))
    chiefs = [make_user("chief"), make_user("chief")]
    assert race("publish", variant.pk, chiefs) == ["ok", "refused"]
    assert ReviewEvent.objects.filter(variant=variant, action="publish").count() == 1
    assert Variant.objects.get(pk=variant.pk).state == "published"
