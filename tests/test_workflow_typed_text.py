"""What an editor typed is never thrown away by a workflow button."""

import pytest

from briefs.editorial import workflow
from briefs.models import State, Variant
from tests.admin_helpers import login, variant_form_data
from tests.factories import make_published, make_user, make_variant


def change_url(variant) -> str:
    return f"/admin/briefs/variant/{variant.pk}/change/"


def test_submit_from_the_page_submits_what_was_just_typed(db):
    variant = make_variant()
    client = login(variant.author)
    typed = variant.body_fr + "\nUne phrase tapée juste avant de soumettre.\n"
    data = variant_form_data(client, variant.pk, body_fr=typed)
    data["workflow-action"] = "submit"
    response = client.post(change_url(variant), data, follow=True)

    variant.refresh_from_db()
    assert variant.state == State.IN_REVIEW
    assert variant.latest_revision.body_fr == typed.strip()
    messages = [str(m) for m in response.context["messages"]]
    assert any("Votre texte est enregistré" in m for m in messages)
    assert any("Soumettre à relecture : fait" in m for m in messages)


def test_a_conflict_keeps_the_typed_text_names_who_saved_and_submits_nothing(db):
    variant = make_variant()
    author = variant.author
    client = login(author)
    data = variant_form_data(client, variant.pk, body_fr="Mon texte tapé[@x].")
    # Meanwhile a colleague saves the same draft.
    colleague = make_user("editor", first_name="Léa", last_name="Durand")
    other = Variant.objects.get(pk=variant.pk)
    other.title_fr = "Titre de Léa"
    workflow.save_content(
        variant=other, user=colleague, expected_edit_count=other.edit_count
    )
    data["workflow-action"] = "submit"
    response = client.post(change_url(variant), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Léa Durand" in page
    assert "Mon texte tapé[@x]." in page
    variant.refresh_from_db()
    assert variant.state == State.DRAFT
    assert variant.title_fr == "Titre de Léa"
    assert variant.latest_revision is None


def test_a_refused_action_keeps_the_text_it_saved(db):
    """Submitting a text that cites nothing is refused, the text is saved."""
    variant = make_variant()
    client = login(variant.author)
    data = variant_form_data(client, variant.pk, body_fr="Aucune source ici.")
    data["workflow-action"] = "submit"
    response = client.post(change_url(variant), data, follow=True)
    variant.refresh_from_db()
    assert variant.body_fr == "Aucune source ici."
    assert variant.state == State.DRAFT
    messages = [str(m) for m in response.context["messages"]]
    assert any("ne cite aucune source" in m for m in messages)


def test_a_reviewer_approves_from_the_page_the_revision_they_read(db):
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    reviewer = make_user("reviewer")
    client = login(reviewer)
    page = client.get(change_url(variant)).content.decode()
    assert 'name="workflow-action" value="approve"' in page
    assert 'name="workflow-revision" value="1"' in page
    client.post(
        change_url(variant), {"workflow-action": "approve", "workflow-revision": "1"}
    )
    variant.refresh_from_db()
    assert variant.state == State.APPROVED
    assert variant.latest_revision.approved_by == reviewer


def test_approving_a_revision_replaced_since_it_was_read_is_refused(db):
    variant = make_variant()
    author = variant.author
    reviewer, other = make_user("reviewer"), make_user("reviewer")
    workflow.submit(variant=variant, user=author)
    # The reviewer opens r1; meanwhile a colleague sends it back and the
    # author submits r2.
    workflow.request_changes(
        variant=Variant.objects.get(pk=variant.pk), user=other, comment="Dose ?"
    )
    fresh = Variant.objects.get(pk=variant.pk)
    fresh.body_fr += "\nLa dose.\n"
    workflow.save_content(
        variant=fresh, user=author, expected_edit_count=fresh.edit_count
    )
    workflow.submit(variant=Variant.objects.get(pk=variant.pk), user=author)

    client = login(reviewer)
    response = client.post(
        change_url(variant),
        {"workflow-action": "approve", "workflow-revision": "1"},
        follow=True,
    )
    variant.refresh_from_db()
    assert variant.state == State.IN_REVIEW
    assert variant.latest_revision.approved_at is None
    messages = [str(m) for m in response.context["messages"]]
    assert any("remplacée par la révision 2" in m for m in messages)


def test_enter_in_a_field_saves_and_does_not_press_a_workflow_button(db):
    """The first submit button of the form (the one Enter uses) only saves."""
    variant = make_variant()
    client = login(variant.author)
    page = client.get(change_url(variant)).content.decode()
    form = page[page.index('id="variant_form"') :]
    first_button = form[form.index("<button") : form.index("</button>")]
    assert 'name="_continue"' in first_button


def test_the_page_warns_before_leaving_with_unsaved_changes(db):
    variant = make_variant()
    client = login(variant.author)
    page = client.get(change_url(variant)).content.decode()
    assert "admin/js/unsaved_changes.js" in page


def unpublish_pending_setup():
    """A published variant whose next revision (r2) is in review."""
    variant = make_published()
    fresh = Variant.objects.get(pk=variant.pk)
    fresh.body_fr += "\nUne correction.\n"
    workflow.save_content(
        variant=fresh, user=variant.author, expected_edit_count=fresh.edit_count
    )
    workflow.submit(
        variant=Variant.objects.get(pk=variant.pk),
        user=variant.author,
        change_kind="minor",
    )
    return Variant.objects.get(pk=variant.pk)


def test_unpublishing_with_a_revision_in_review_asks_first_and_keeps_it(
    db, client, django_capture_on_commit_callbacks
):
    variant = unpublish_pending_setup()
    url = variant.get_absolute_url()
    chief = make_user("chief")
    as_chief = login(chief)
    response = as_chief.post(
        change_url(variant), {"workflow-action": "unpublish", "workflow-revision": "2"}
    )
    # A confirmation page saying what becomes of r2; nothing done yet.
    assert response.status_code == 200
    page = response.content.decode()
    assert "La révision 2, en relecture, y reste" in page
    assert Variant.objects.get(pk=variant.pk).is_live
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        as_chief.post(
            f"/admin/briefs/variant/{variant.pk}/transition/",
            {"action": "unpublish", "confirm": "True", "comment": "Erreur de dose."},
        )
    variant.refresh_from_db()
    assert not variant.is_live
    assert variant.state == State.IN_REVIEW
    assert client.get(url).status_code == 410
    event = variant.events.filter(action="unpublish").get()
    assert "Erreur de dose." in event.comment
    assert "La révision 2, en relecture, y reste" in event.comment
    history = as_chief.get(f"/admin/briefs/variant/{variant.pk}/history/")
    assert "La révision 2, en relecture, y reste" in history.content.decode()

    # The review goes on; once approved and published, the page is back.
    workflow.approve(variant=variant, user=make_user("reviewer"))
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(variant=Variant.objects.get(pk=variant.pk), user=chief)
    assert client.get(url).status_code == 200
    assert "Une correction." in client.get(url).content.decode()


def test_a_crafted_unpublish_without_confirmation_changes_nothing(db):
    variant = unpublish_pending_setup()
    chief = make_user("chief")
    with pytest.raises(workflow.ConfirmationNeeded):
        workflow.perform("unpublish", variant=variant, user=chief)
    variant.refresh_from_db()
    assert variant.is_live and variant.state == State.IN_REVIEW
    assert not variant.events.filter(action="unpublish").exists()


def test_unpublishing_cancels_a_scheduled_publication_and_says_so(db):
    import datetime as dt

    from django.utils import timezone

    variant = unpublish_pending_setup()
    workflow.approve(variant=variant, user=make_user("reviewer"))
    chief = make_user("chief")
    later = timezone.now() + dt.timedelta(days=2)
    workflow.publish(variant=Variant.objects.get(pk=variant.pk), user=chief, at=later)
    with pytest.raises(workflow.ConfirmationNeeded, match="publication programmée"):
        workflow.unpublish(variant=Variant.objects.get(pk=variant.pk), user=chief)
    workflow.unpublish(
        variant=Variant.objects.get(pk=variant.pk), user=chief, confirm=True
    )
    variant.refresh_from_db()
    assert variant.state == State.APPROVED and variant.scheduled_at is None
    assert workflow.publish_due(now=later + dt.timedelta(minutes=1)) == []


def test_a_correction_typed_on_a_published_page_is_submitted_in_one_click(db):
    """Submit is offered on a published text: saving starts the new draft."""
    variant = make_published()
    live = variant.live_revision_id
    client = login(variant.author)
    page = client.get(change_url(variant)).content.decode()
    assert 'name="workflow-action" value="submit"' in page
    assert 'name="workflow-change_kind"' in page
    data = variant_form_data(client, variant.pk, title_fr="Titre corrigé")
    data["workflow-action"] = "submit"
    data["workflow-change_kind"] = "substance"
    data["workflow-change_note"] = "Le titre disait une dose fausse."
    client.post(change_url(variant), data)
    variant.refresh_from_db()
    assert variant.state == State.IN_REVIEW
    assert variant.latest_revision.title_fr == "Titre corrigé"
    assert variant.latest_revision.change_kind == "substance"
    assert variant.latest_revision.change_note == "Le titre disait une dose fausse."
    assert variant.live_revision_id == live


def test_submitting_an_unchanged_published_text_says_there_is_nothing_new(db):
    variant = make_published()
    with pytest.raises(workflow.WorkflowError, match="rien à soumettre"):
        workflow.submit(variant=variant, user=variant.author)


def test_a_correction_sent_back_by_its_reviewer_can_be_submitted_again(db):
    """The button stays while the kind of change is asked beside it."""
    variant = make_published()
    variant.title_fr = "Titre corrigé"
    variant = workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    assert variant.state == State.DRAFT
    names = [
        a.name for a in workflow.allowed_actions(variant=variant, user=variant.author)
    ]
    assert "submit" in names
    workflow.submit(variant=variant, user=variant.author, change_kind="minor")
    workflow.request_changes(
        variant=Variant.objects.get(pk=variant.pk),
        user=make_user("reviewer"),
        comment="Précisez.",
    )
    variant = Variant.objects.get(pk=variant.pk)
    page = login(variant.author).get(change_url(variant)).content.decode()
    assert 'name="workflow-action" value="submit"' in page
    assert 'name="workflow-change_kind"' in page
