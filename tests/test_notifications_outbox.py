"""Notifications go through the outbox: never lost, never slowing a transition."""

from __future__ import annotations

import datetime as dt
import io
import threading

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from briefs.editorial import outbox, workflow
from briefs.models import MailKind, MailStatus, OutboxMail, State, Variant
from tests import mail_backends
from tests.factories import make_mail, make_user, make_variant, publish

NOW = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
MEMORY = "django.core.mail.backends.locmem.EmailBackend"
REFUSING = "tests.mail_backends.RefusingBackend"


@pytest.fixture(autouse=True)
def _fresh_backends():
    mail_backends.reset()
    yield
    mail_backends.BlockingBackend.release.set()  # never leave a sender hanging
    outbox.background.wait(timeout=15)
    mail_backends.reset()


def send_queued_mail(*args) -> str:
    out = io.StringIO()
    call_command("send_queued_mail", *args, stdout=out)
    return out.getvalue()


def test_a_transition_writes_its_mails_in_its_own_transaction(
    db, django_capture_on_commit_callbacks
):
    reviewer = make_user("reviewer")
    variant = make_variant()
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit(variant=variant, user=variant.author)
        assert OutboxMail.objects.filter(recipient=reviewer.email).exists()
        raise RuntimeError("the transition is rolled back")
    assert not OutboxMail.objects.exists()

    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        event = workflow.submit(variant=variant, user=variant.author).event
    queued = OutboxMail.objects.get()
    assert (queued.recipient, queued.event, queued.kind, queued.status) == (
        reviewer.email,
        event,
        MailKind.WORKFLOW,
        MailStatus.PENDING,
    )
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in after_commit:
        callback()
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT


def test_links_in_mail_are_absolute_on_the_site_address(
    db, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SITE_URL = "https://breves.example.net/"
    make_user("reviewer")
    variant = make_variant()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(variant=variant, user=variant.author)
    link = f"https://breves.example.net/admin/briefs/variant/{variant.pk}/change/"
    assert link in mail.outbox[0].body


def test_a_refusing_server_keeps_the_mail_pending_until_the_command_sends_it(
    db, settings, django_capture_on_commit_callbacks
):
    reviewer = make_user("reviewer")
    variant = make_variant()
    settings.EMAIL_BACKEND = REFUSING
    with (
        time_machine.travel(NOW, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.submit(variant=variant, user=variant.author)
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW
    queued = OutboxMail.objects.get()
    assert queued.status == MailStatus.PENDING
    assert queued.attempts == 1
    assert "Try again later" in queued.last_error
    assert queued.next_attempt_at == NOW + dt.timedelta(seconds=60)

    settings.EMAIL_BACKEND = MEMORY
    with time_machine.travel(NOW + dt.timedelta(seconds=30), tick=False):
        early = send_queued_mail()
    assert "0 courriel(s) envoyé(s)" in early
    assert mail.outbox == []
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        later = send_queued_mail()
    assert f"Envoyé : n° {queued.pk} à {reviewer.email}" in later
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == (
        MailStatus.SENT,
        2,
        "",
    )


def test_a_mail_that_keeps_failing_backs_off_then_stays_failed(db, settings):
    settings.EMAIL_BACKEND = REFUSING
    settings.NEWSROOM_MAIL_MAX_ATTEMPTS = 3
    with time_machine.travel(NOW, tick=False):
        queued = make_mail()
    waits, moment = [], NOW
    for _ in range(3):
        with time_machine.travel(moment, tick=False):
            send_queued_mail()
        queued.refresh_from_db()
        if queued.status == MailStatus.PENDING:
            waits.append(queued.next_attempt_at - moment)
            moment = queued.next_attempt_at
    assert waits == [dt.timedelta(seconds=60), dt.timedelta(seconds=120)]
    assert (queued.status, queued.attempts) == (MailStatus.FAILED, 3)
    assert "Try again later" in queued.last_error

    with time_machine.travel(moment + dt.timedelta(days=1), tick=False):
        assert "0 courriel(s) envoyé(s)" in send_queued_mail()
    queued.refresh_from_db()
    assert queued.attempts == 3  # given up: no more tries on its own

    settings.EMAIL_BACKEND = MEMORY
    out = send_queued_mail("--retry-failed")
    assert "1 courriel(s) abandonné(s) remis en attente" in out
    assert [m.to for m in mail.outbox] == [[queued.recipient]]
    queued.refresh_from_db()
    assert queued.status == MailStatus.SENT


def test_an_unreachable_server_ends_the_run_and_leaves_the_rest_for_later(db, settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.UnreachableBackend"
    for _ in range(3):
        make_mail()
    out = send_queued_mail()
    assert mail_backends.UnreachableBackend.attempts == 1
    assert sorted(OutboxMail.objects.values_list("attempts", flat=True)) == [0, 0, 1]
    assert OutboxMail.objects.pending().count() == 3
    assert "injoignable" in out


def test_the_command_refuses_a_limit_below_one(db):
    make_mail()
    with pytest.raises(CommandError, match="--limit"):
        send_queued_mail("--limit", "0")
    assert OutboxMail.objects.get().attempts == 0


def test_review_reminders_wait_in_the_outbox_when_the_server_refuses(
    db, settings, django_capture_on_commit_callbacks
):
    reviewer = make_user("reviewer")
    with time_machine.travel(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        publish(make_variant(title="Ancienne brève"), reviewer=reviewer)
    settings.EMAIL_BACKEND = REFUSING
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("review_due", stdout=io.StringIO())
    reminder = OutboxMail.objects.get(kind=MailKind.REVIEW_DUE)
    assert reminder.recipient == reviewer.email
    assert reminder.status == MailStatus.PENDING
    assert "Try again later" in reminder.last_error
    assert "Ancienne brève" in reminder.body


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hung_mail_server_does_not_hold_up_the_transition_response(client, settings):
    settings.NEWSROOM_MAIL_SEND_AFTER_COMMIT = "thread"
    settings.EMAIL_BACKEND = "tests.mail_backends.BlockingBackend"
    backend = mail_backends.BlockingBackend
    reviewer = make_user("reviewer")
    variant = make_variant()
    client.force_login(variant.author)
    try:
        response = client.post(
            f"/admin/briefs/variant/{variant.pk}/transition/", {"action": "submit"}
        )
        answered_while_sending = not backend.finished.is_set()
        assert response.status_code == 302
        assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW
        assert backend.started.wait(timeout=5)
        assert answered_while_sending
        assert OutboxMail.objects.get(recipient=reviewer.email).sent_at is None
    finally:
        backend.release.set()
    assert outbox.background.wait(timeout=10)
    assert [m.to for m in mail.outbox] == [[reviewer.email]]
    assert OutboxMail.objects.get(recipient=reviewer.email).status == MailStatus.SENT


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_run_started_during_another_runs_send_never_sends_a_mail_twice(settings):
    settings.EMAIL_BACKEND = "tests.mail_backends.InterruptingBackend"
    recipients = [f"lecteur{n}@example.org" for n in range(5)]
    for recipient in recipients:
        make_mail(recipient=recipient)
    second = []

    def second_run():
        """While the first run holds its first mail, a second run does its all."""

        def run():
            try:
                second.append(send_queued_mail())
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join(timeout=30)

    mail_backends.InterruptingBackend.hook = second_run
    first = send_queued_mail()
    delivered = sorted(address for message in mail.outbox for address in message.to)
    assert delivered == sorted(recipients)
    assert "1 courriel(s) envoyé(s)" in first
    assert "4 courriel(s) envoyé(s)" in second[0]
    assert not OutboxMail.objects.pending().exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_on_postgresql_send_each_mail_once(settings):
    settings.EMAIL_BACKEND = MEMORY
    recipients = [f"lecteur{n}@example.org" for n in range(40)]
    for recipient in recipients:
        make_mail(recipient=recipient)
    barrier = threading.Barrier(2)

    def run():
        try:
            barrier.wait()
            outbox.send_due()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    delivered = sorted(address for message in mail.outbox for address in message.to)
    assert delivered == sorted(recipients)
    assert OutboxMail.objects.sent().count() == len(recipients)


def test_the_back_office_lists_pending_sent_and_failed_mail_with_the_error(client, db):
    make_mail(recipient="attente@example.org")
    make_mail(recipient="parti@example.org", sent_at=timezone.now(), attempts=1)
    make_mail(
        recipient="echec@example.org",
        failed_at=timezone.now(),
        attempts=10,
        last_error="SMTPDataError: (451, b'4.3.0 Try again later')",
    )
    client.force_login(make_user("chief"))
    listing = client.get("/admin/briefs/outboxmail/").content.decode()
    for recipient in ("attente@", "parti@", "echec@"):
        assert recipient in listing
    assert "Try again later" in listing
    failed = client.get("/admin/briefs/outboxmail/?status=failed").content.decode()
    assert "echec@example.org" in failed
    assert "attente@example.org" not in failed
    assert "parti@example.org" not in failed


def test_not_even_a_superuser_can_add_change_or_delete_queued_mail(client, db):
    queued = make_mail(recipient="vrai@example.org")
    client.force_login(
        get_user_model().objects.create_superuser(
            "boss", "boss@example.org", "pw-for-tests-only"
        )
    )
    base = "/admin/briefs/outboxmail/"
    add = client.post(f"{base}add/", {"recipient": "faux@example.org"})
    change = client.post(
        f"{base}{queued.pk}/change/", {"recipient": "faux@example.org"}
    )
    delete = client.post(f"{base}{queued.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        base,
        {"action": "delete_selected", "_selected_action": [queued.pk], "post": "yes"},
    )
    assert (add.status_code, change.status_code, delete.status_code) == (403,) * 3
    assert bulk.status_code in (200, 302)
    assert list(OutboxMail.objects.values_list("recipient", flat=True)) == [
        "vrai@example.org"
    ]


def test_deploy_check_warns_when_mail_links_would_point_at_this_machine(settings):
    settings.DEBUG = False
    settings.NEWSROOM_SITE_URL = "http://127.0.0.1:8000"
    found = run_checks(tags=["mail"], include_deployment_checks=True)
    assert [message.id for message in found] == ["briefs.W002"]
    settings.NEWSROOM_SITE_URL = "https://breves.example.org"
    assert run_checks(tags=["mail"], include_deployment_checks=True) == []


def test_a_site_url_that_cannot_make_links_or_an_unknown_mode_is_refused(settings):
    settings.NEWSROOM_SITE_URL = "breves.example.org"
    assert [message.id for message in run_checks(tags=["mail"])] == ["briefs.E001"]
    settings.NEWSROOM_SITE_URL = "https://breves.example.org"
    settings.NEWSROOM_MAIL_SEND_AFTER_COMMIT = "later"
    assert [message.id for message in run_checks(tags=["mail"])] == ["briefs.E002"]
