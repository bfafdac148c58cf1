"""Review-due dates: the listing, the admin filter and the reminder mails."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from briefs.editorial.review_due import due_for_review
from briefs.models import MailKind, OutboxMail
from tests.factories import make_user, make_variant, publish

JAN_2025 = dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC)
JUN_2025 = dt.datetime(2025, 6, 15, 10, tzinfo=dt.UTC)


@pytest.fixture
def reviewer(db):
    return make_user("reviewer", first_name="Paul", last_name="Lefèvre")


@pytest.fixture
def published(db, reviewer):
    """One variant published in January 2025, one in June 2025, one draft."""
    with time_machine.travel(JAN_2025, tick=False):
        old = publish(make_variant(title="Ancienne brève"), reviewer=reviewer)
    with time_machine.travel(JUN_2025, tick=False):
        recent = publish(make_variant(title="Brève récente"), reviewer=reviewer)
    make_variant(title="Brouillon")
    return old, recent


def test_nothing_is_due_before_its_date(published):
    assert list(due_for_review(now=dt.datetime(2026, 1, 14, tzinfo=dt.UTC))) == []


def test_variants_past_their_date_are_listed_most_overdue_first(published):
    old, recent = published
    assert list(due_for_review(now=dt.datetime(2026, 1, 16, tzinfo=dt.UTC))) == [old]
    later = list(due_for_review(now=dt.datetime(2026, 7, 1, tzinfo=dt.UTC)))
    assert later == [old, recent]


def test_command_mails_the_reviewer_the_variants_due(
    published, reviewer, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("review_due")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert "Ancienne brève" in message.body
    assert "Brève récente" not in message.body
    link = f"https://breves.example.org/admin/briefs/variant/{published[0].pk}/change/"
    assert link in message.body


def test_command_dry_run_sends_nothing(
    published, capsys, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("review_due", "--dry-run")
    assert mail.outbox == []
    assert not OutboxMail.objects.filter(kind=MailKind.REVIEW_DUE).exists()
    assert published[0].brief.slug in capsys.readouterr().out


def test_unreachable_reviewer_is_replaced_by_every_reviewer(
    published, reviewer, django_capture_on_commit_callbacks
):
    reviewer.is_active = False
    reviewer.save()
    other = make_user("reviewer")
    mail.outbox.clear()
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("review_due")
    recipients = {address for m in mail.outbox for address in m.to}
    assert other.email in recipients
    assert reviewer.email not in recipients


def test_admin_lists_variants_due_for_review(client, published):
    boss = get_user_model().objects.create_superuser(
        "boss", "boss@example.org", "pw-for-tests-only"
    )
    client.force_login(boss)
    with time_machine.travel(dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC), tick=False):
        html = client.get("/admin/briefs/variant/?review=due").content.decode()
        soon = client.get("/admin/briefs/variant/?review=soon").content.decode()
    assert "Ancienne brève" in html
    assert "Brève récente" not in html and "Brouillon" not in html
    assert "Brève récente" not in soon
    with time_machine.travel(dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC), tick=False):
        soon = client.get("/admin/briefs/variant/?review=soon").content.decode()
    assert "Brève récente" in soon and "Ancienne brève" in soon
