"""Nothing is lost: published briefs, revisions and review events resist
deletion and edits through every door (instance, queryset, admin)."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from briefs.editorial import workflow
from briefs.models import Brief, ReviewEvent, Revision, Variant
from tests.factories import make_published, make_user, make_variant


def test_a_published_brief_cannot_be_deleted(db):
    variant = make_published()
    with pytest.raises(ProtectedError, match="dépubliez"):
        variant.brief.delete()
    assert Brief.objects.filter(pk=variant.brief_id).exists()


def test_bulk_deletion_refuses_a_published_brief_and_deletes_nothing(db):
    published = make_published()
    draft = make_variant()
    with pytest.raises(ProtectedError):
        Brief.objects.filter(pk__in=[published.brief_id, draft.brief_id]).delete()
    assert (
        Brief.objects.filter(pk__in=[published.brief_id, draft.brief_id]).count() == 2
    )


def test_an_unpublished_brief_still_keeps_its_history(db):
    variant = make_published()
    workflow.unpublish(variant=variant, user=make_user("chief"))
    # Not online any more, but its revisions and events protect it.
    with pytest.raises(ProtectedError):
        Brief.objects.get(pk=variant.brief_id).delete()
    assert Revision.objects.filter(variant=variant).exists()


def test_a_draft_that_was_never_submitted_can_be_deleted(db):
    draft = make_variant()
    draft.brief.delete()
    assert not Variant.objects.filter(pk=draft.pk).exists()


def test_revisions_refuse_edit_and_delete_by_instance_and_queryset(db):
    variant = make_published()
    revision = variant.live_revision
    revision.title_fr = "Réécrit"
    with pytest.raises(ValidationError):
        revision.save()
    with pytest.raises(ValidationError):
        revision.delete()
    with pytest.raises(ProtectedError):
        Revision.objects.filter(pk=revision.pk).delete()
    with pytest.raises(ValidationError):
        Revision.objects.filter(pk=revision.pk).update(title_fr="Réécrit")
    with pytest.raises(ValidationError):
        Revision.objects.filter(pk=revision.pk).update(
            approved_at=None, body_html_fr="<p>autre</p>"
        )
    revision.refresh_from_db()
    assert revision.title_fr != "Réécrit"


def test_review_events_refuse_edit_and_delete_by_instance_and_queryset(db):
    variant = make_published()
    event = ReviewEvent.objects.filter(variant=variant).first()
    count = ReviewEvent.objects.count()
    event.comment = "réécrit"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    with pytest.raises(ProtectedError):
        ReviewEvent.objects.all().delete()
    with pytest.raises(ValidationError):
        ReviewEvent.objects.all().update(comment="réécrit")
    with pytest.raises(ValidationError):
        ReviewEvent.objects.filter(variant=variant).update(to_state="published")
    assert ReviewEvent.objects.count() == count
    assert not ReviewEvent.objects.filter(comment="réécrit").exists()


def test_deleting_a_variant_or_user_with_history_is_refused(db):
    variant = make_published()
    with pytest.raises(ProtectedError):
        Variant.objects.get(pk=variant.pk).delete()
    with pytest.raises(ProtectedError):
        variant.author.delete()
    # Its first save, submit, approve, publish: all kept.
    assert ReviewEvent.objects.filter(variant=variant).count() == 4


def test_refreshing_a_variant_never_trips_on_another_threads_state_guard(
    db, monkeypatch
):
    """django-fsm toggles the state field's guard class-wide while refreshing;
    another thread may put it back at any moment. Refresh must not care."""
    variant = make_variant()
    field = Variant._meta.get_field("state")
    monkeypatch.setattr(
        type(field),
        "protected",
        property(lambda self: True, lambda self, v: None),
        raising=False,
    )
    Variant.objects.filter(pk=variant.pk).update(state="in_review")
    variant.refresh_from_db()
    assert variant.state == "in_review"
    with pytest.raises(AttributeError):
        variant.state = "published"  # still guarded for everyone else
