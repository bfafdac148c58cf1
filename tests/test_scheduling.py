"""Scheduled publication through `publish_scheduled`."""

import datetime as dt

import time_machine
from django.core.management import call_command
from django.utils import timezone

from briefs.editorial import workflow
from briefs.models import ReviewEvent, State, Variant
from tests.factories import make_user, make_variant


def approved_variant():
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(variant=variant, user=make_user("reviewer"))
    return Variant.objects.get(pk=variant.pk)


def test_publication_waits_for_its_time_then_happens_once(db, client):
    variant = approved_variant()
    chief = make_user("chief")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        workflow.publish(variant=variant, user=chief, at=start + dt.timedelta(hours=2))
        variant.refresh_from_db()
        assert variant.state == State.APPROVED and variant.scheduled_at is not None
        call_command("publish_scheduled")
        assert Variant.objects.get(pk=variant.pk).state == State.APPROVED
        url = f"/fr/afm/{variant.brief.slug}/"
        assert client.get(url).status_code == 404
    with time_machine.travel(start + dt.timedelta(hours=3), tick=False):
        call_command("publish_scheduled")
        call_command("publish_scheduled")
        variant.refresh_from_db()
        assert variant.state == State.PUBLISHED
        assert client.get(url).status_code == 200
    events = ReviewEvent.objects.filter(variant=variant, action="publish")
    assert events.count() == 1
    assert events.get().actor == chief


def test_a_past_date_publishes_now(db):
    variant = approved_variant()
    workflow.publish(
        variant=variant,
        user=make_user("chief"),
        at=timezone.now() - dt.timedelta(minutes=1),
    )
    assert Variant.objects.get(pk=variant.pk).state == State.PUBLISHED


def test_scheduling_needs_the_publish_permission(db):
    import pytest

    variant = approved_variant()
    with pytest.raises(workflow.WorkflowError):
        workflow.publish(
            variant=variant,
            user=make_user("reviewer"),
            at=timezone.now() + dt.timedelta(days=1),
        )
    assert Variant.objects.get(pk=variant.pk).scheduled_at is None


def test_scheduling_is_recorded_and_tells_the_author(
    db, django_capture_on_commit_callbacks
):
    from django.core import mail

    variant = approved_variant()
    later = timezone.now() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = workflow.publish(variant=variant, user=make_user("chief"), at=later)
    event = outcome.event
    assert (event.action, event.get_action_display()) == (
        "schedule",
        "publication programmée",
    )
    assert "Publication programmée le" in event.comment
    assert [m.to for m in mail.outbox if "programmée" in m.subject] == [
        [variant.author.email]
    ]
