"""Who wrote a text: every save is recorded, and no writer may approve it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from briefs.editorial import workflow
from briefs.models import Brief, ReviewEvent, State, Variant
from tests.admin_helpers import login, variant_form_data
from tests.factories import make_published, make_user, make_variant


def edit(variant: Variant, user, **fields) -> Variant:
    variant = Variant.objects.get(pk=variant.pk)
    for name, value in fields.items():
        setattr(variant, name, value)
    return workflow.save_content(
        variant=variant, user=user, expected_edit_count=variant.edit_count
    )


def test_a_chief_who_edited_a_draft_cannot_approve_it_after_the_author_saved(db):
    """The chief edits, the author saves a small change and submits: the chief
    wrote part of this text and may not approve (nor publish) it."""
    variant = make_variant()
    chief = make_user("chief")
    edit(variant, chief, body_fr=variant.body_fr + "\nUn paragraphe du chef.\n")
    edit(variant, variant.author, title_fr="Un titre corrigé")
    workflow.submit(variant=Variant.objects.get(pk=variant.pk), user=variant.author)

    with pytest.raises(workflow.WorkflowError, match="écrit ou modifié"):
        workflow.approve(variant=Variant.objects.get(pk=variant.pk), user=chief)
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW
    names = [a.name for a in workflow.allowed_actions(variant=variant, user=chief)]
    assert "approve" not in names
    # Nor is it offered to them as waiting for their review.
    assert not workflow.awaiting_review_by(chief).filter(pk=variant.pk).exists()
    # Another reviewer may.
    reviewer = make_user("reviewer")
    assert workflow.awaiting_review_by(reviewer).filter(pk=variant.pk).exists()
    workflow.approve(variant=Variant.objects.get(pk=variant.pk), user=reviewer)


def test_what_someone_wrote_before_the_last_approval_does_not_bar_them_later(db):
    """A chief editor who corrected the first version may review the next
    one, which they did not write."""
    physician = make_user("chief")
    variant = make_variant()
    edit(variant, physician, body_fr=variant.body_fr + "\nPrécision médicale.\n")
    workflow.submit(variant=Variant.objects.get(pk=variant.pk), user=variant.author)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(variant=Variant.objects.get(pk=variant.pk), user=physician)
    workflow.approve(
        variant=Variant.objects.get(pk=variant.pk), user=make_user("reviewer")
    )
    workflow.publish(
        variant=Variant.objects.get(pk=variant.pk), user=make_user("chief")
    )

    edit(variant, variant.author, title_fr="Deuxième version")
    workflow.submit(
        variant=Variant.objects.get(pk=variant.pk),
        user=variant.author,
        change_kind="minor",
    )
    workflow.approve(variant=Variant.objects.get(pk=variant.pk), user=physician)
    assert Variant.objects.get(pk=variant.pk).state == State.APPROVED


def test_every_save_of_the_text_is_recorded_with_its_fields(db):
    variant = make_variant()
    editor = make_user("editor")
    edit(variant, editor, title_fr="Nouveau titre", body_en="An English text.\n")
    event = ReviewEvent.objects.filter(variant=variant).latest("pk")
    assert (event.action, event.actor) == ("edit", editor)
    assert sorted(event.changed_fields) == ["body_en", "title_fr"]
    assert event.changed_labels == "titre (fr), texte (Markdown) (en)"


def test_a_save_that_changes_nothing_writes_nothing(db):
    variant = make_variant()
    before = (
        ReviewEvent.objects.count(),
        Variant.objects.get(pk=variant.pk).edit_count,
    )
    edit(variant, make_user("editor"), title_fr=variant.title_fr)
    assert (ReviewEvent.objects.count(), variant.edit_count) == before


def test_the_history_page_shows_who_changed_which_fields(db):
    variant = make_variant()
    chief = make_user("chief", first_name="Anne", last_name="Moreau")
    client = login(chief)
    data = variant_form_data(client, variant.pk, standfirst_fr="Un chapô ajouté.")
    assert (
        client.post(f"/admin/briefs/variant/{variant.pk}/change/", data).status_code
        == 302
    )
    history = client.get(
        f"/admin/briefs/variant/{variant.pk}/history/"
    ).content.decode()
    assert "Modifié : chapô (fr)" in history
    assert chief.get_username() in history


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body_fr", "x" * 300_000, "Texte trop long"),
        ("body_fr", "[" * 5_000, "crochets"),
        ("standfirst_fr", "y" * 5_000, "Chapô trop long"),
    ],
)
def test_every_door_refuses_what_the_editor_refuses(db, field, text, message):
    """The service itself refuses texts past the limits, not only the form."""
    variant = make_variant()
    before = Variant.objects.get(pk=variant.pk)
    with pytest.raises(workflow.ContentRefused, match=message):
        edit(variant, variant.author, **{field: text})
    after = Variant.objects.get(pk=variant.pk)
    assert getattr(after, field) == getattr(before, field)
    assert after.edit_count == before.edit_count


def test_import_brief_refuses_a_huge_body_and_writes_nothing(db, tmp_path, editor):
    path = tmp_path / "breve-enorme.txt"
    body = ("Une phrase de texte. " * 15_000).strip()
    path.write_text(
        f"Brève AFM\nUn titre\n\n{body}\n\nBrève AIM\nUn autre titre\n\nDu texte.\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="Brève AFM : Texte trop long"):
        call_command("import_brief", str(path), "--user", editor.username)
    assert not Brief.objects.exists()
    assert not Variant.objects.exists()


def test_a_never_submitted_draft_can_still_be_deleted_with_its_save_records(db):
    variant = make_variant()
    assert variant.events.filter(action="edit").exists()
    Brief.objects.get(pk=variant.brief_id).delete()
    assert not ReviewEvent.objects.exists()


def test_the_audit_trail_of_a_reviewed_text_protects_it(db):
    from django.db.models import ProtectedError

    variant = make_published()
    with pytest.raises(ProtectedError):
        Variant.objects.get(pk=variant.pk).delete()
