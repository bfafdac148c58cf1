"""Races the load test found, replayed deterministically on PostgreSQL."""

import threading

import pytest
from django.db import connection, connections, transaction

from briefs.editorial import workflow
from briefs.models import ReviewEvent, State, Variant
from tests.factories import make_user, make_variant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _wait_until_someone_waits_for_a_lock(timeout: float = 20) -> None:
    """Poll PostgreSQL until a session is blocked on a row lock."""
    done = threading.Event()
    for _ in range(int(timeout / 0.05)):
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            if cursor.fetchone()[0]:
                return
        done.wait(0.05)  # polling a condition, not sleeping a guess
    raise AssertionError("nobody ever waited for the lock")


def test_an_approval_waiting_on_a_submission_sees_the_new_revision():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    variant = make_variant()
    reviewer = make_user("reviewer")
    submitted, release = threading.Event(), threading.Event()
    outcome = {}

    def submit_and_hold():
        try:
            with transaction.atomic():
                workflow.submit(variant=variant, user=variant.author)
                submitted.set()
                release.wait(20)
        finally:
            connections.close_all()

    def approve():
        try:
            outcome["event"] = workflow.approve(variant=variant, user=reviewer).event
        except Exception as exc:  # the assertion below shows what went wrong
            outcome["error"] = exc
        finally:
            connections.close_all()

    holder = threading.Thread(target=submit_and_hold)
    holder.start()
    assert submitted.wait(20)
    approver = threading.Thread(target=approve)
    approver.start()
    _wait_until_someone_waits_for_a_lock()
    release.set()
    holder.join(20)
    approver.join(20)

    assert "error" not in outcome, outcome.get("error")
    variant = Variant.objects.get(pk=variant.pk)
    assert variant.state == State.APPROVED
    assert variant.latest_revision.approved_by == reviewer
    assert list(
        ReviewEvent.objects.filter(variant=variant)
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["edit", "submit", "approve"]  # the first save, then the decisions
