"""The trust block of public pages: who, when, how many sources, warnings."""

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.editorial import workflow
from briefs.models import Profile, Variant
from tests import budgets
from tests.factories import make_user, make_variant, publish
from tests.queries import reads_and_writes

AFM = "/fr/afm/tacrolimus-dermatomyosite/"
AIM = "/fr/aim/tacrolimus-dermatomyosite/"


def test_demo_patient_page_names_author_reviewer_and_role(client, demo):
    html = client.get(AFM).content.decode()
    assert "Rédigé par" in html and "Claire Martin, journaliste santé" in html
    assert "Relu par" in html and "Dr Paul Lefèvre, médecin" in html
    assert "Publié le" in html and "Dernière relecture" in html
    assert "3 sources citées" in html
    assert "ne remplace pas l&#x27;avis de votre médecin" in html or (
        "ne remplace pas l'avis de votre médecin" in html
    )


def test_demo_pages_flag_the_off_label_prescription(client, demo):
    html = client.get(AFM).content.decode()
    assert '<p class="notice notice-off-label" role="note">' in html


def test_professional_page_has_no_patient_disclaimer(client, demo):
    html = client.get(AIM).content.decode()
    assert "Dr Paul Lefèvre, médecin" in html
    assert "ne remplace pas" not in html


def test_trust_block_keeps_the_detail_page_within_three_queries(client, demo):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(AFM)
    reads, writes = reads_and_writes(queries)
    assert len(reads) <= budgets.DETAIL
    assert writes == []  # a read writes nothing
    assert "Dr Paul Lefèvre, médecin" in response.content.decode()


def test_reviewer_without_profile_is_named_without_title(client, db):
    reviewer = make_user("reviewer", first_name="Jeanne", last_name="Roux")
    variant = publish(make_variant(), reviewer=reviewer)
    html = client.get(variant.get_absolute_url()).content.decode()
    assert "Jeanne Roux</dd>" in html
    assert not Profile.objects.filter(user=reviewer).exists()


def test_off_label_flag_shows_a_notice(client, db):
    plain = publish(make_variant())
    flagged = publish(make_variant(off_label=True))
    assert "Hors AMM" not in client.get(plain.get_absolute_url()).content.decode()
    html = client.get(flagged.get_absolute_url()).content.decode()
    assert (
        '<p class="notice notice-off-label" role="note"><strong>Hors AMM</strong>'
        in html
    )


def test_off_label_notice_follows_the_live_revision_not_the_draft(client, db):
    variant = publish(make_variant())
    variant.off_label = True
    workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    html = client.get(variant.get_absolute_url()).content.decode()
    assert "notice-off-label" not in html


def test_page_past_its_review_date_says_when_it_was_last_reviewed(client, db):
    with time_machine.travel(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        variant = publish(make_variant())
    assert Variant.objects.get(pk=variant.pk).review_due_at.date() == dt.date(
        2026, 1, 15
    )
    url = variant.get_absolute_url()
    with time_machine.travel(dt.datetime(2026, 1, 14, 10, tzinfo=dt.UTC), tick=False):
        assert "notice-stale" not in client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 1, 16, 10, tzinfo=dt.UTC), tick=False):
        html = client.get(url).content.decode()
    assert "Dernière relecture le 15 janvier 2025" in html
    assert "notice-stale" in html


def test_review_period_comes_from_the_audience(db):
    from briefs.models import Audience

    Audience.objects.filter(code="aim").update(review_period_months=6)
    with time_machine.travel(dt.datetime(2025, 8, 31, 10, tzinfo=dt.UTC), tick=False):
        variant = publish(make_variant(audience="aim"))
    due = timezone.localtime(Variant.objects.get(pk=variant.pk).review_due_at)
    assert due.date() == dt.date(2026, 2, 28)
