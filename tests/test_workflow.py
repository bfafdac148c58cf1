"""The workflow services: every action, for every role, from every state."""

import pytest
from django.core import mail

from briefs.editorial import workflow
from briefs.models import ReviewEvent, State, Variant
from tests.factories import make_source, make_user, make_variant

ROLES = ["editor", "reviewer", "chief", "staff_without_role", "anonymous"]
ALLOWED_ROLES = {
    "submit": {"editor", "chief"},
    "request_changes": {"reviewer", "chief"},
    "approve": {"reviewer", "chief"},
    "publish": {"chief"},
    "unpublish": {"chief"},
}
SOURCE_STATES = {
    "submit": {State.DRAFT, State.CHANGES_REQUESTED},
    "request_changes": {State.IN_REVIEW},
    "approve": {State.IN_REVIEW},
    "publish": {State.APPROVED},
    "unpublish": {State.PUBLISHED},
}
TARGET = {
    "submit": State.IN_REVIEW,
    "request_changes": State.CHANGES_REQUESTED,
    "approve": State.APPROVED,
    "publish": State.PUBLISHED,
    "unpublish": State.UNPUBLISHED,
}


def variant_in(state: str) -> Variant:
    """A variant written by its own editor, brought to ``state`` by the services."""
    variant = make_variant()
    author, reviewer, chief = variant.author, make_user("reviewer"), make_user("chief")
    steps = {
        State.DRAFT: [],
        State.IN_REVIEW: ["submit"],
        State.CHANGES_REQUESTED: ["submit", "request_changes"],
        State.APPROVED: ["submit", "approve"],
        State.PUBLISHED: ["submit", "approve", "publish"],
        State.UNPUBLISHED: ["submit", "approve", "publish", "unpublish"],
    }[state]
    actors = {"submit": author, "request_changes": reviewer, "approve": reviewer}
    for step in steps:
        workflow.perform(
            step,
            variant=Variant.objects.get(pk=variant.pk),
            user=actors.get(step, chief),
            comment="À revoir.",
        )
    variant = Variant.objects.get(pk=variant.pk)
    assert variant.state == state
    return variant


def actor(role: str):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    if role == "staff_without_role":
        return make_user(None)
    return make_user(role)


@pytest.mark.parametrize("action", list(ALLOWED_ROLES))
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(State.values))
def test_transition_matrix(db, action, role, state):
    variant = variant_in(state)
    user = actor(role)
    events_before = ReviewEvent.objects.count()
    allowed = role in ALLOWED_ROLES[action] and state in SOURCE_STATES[action]
    if allowed:
        event = workflow.perform(
            action, variant=variant, user=user, comment="Motif."
        ).event
        variant.refresh_from_db()
        assert variant.state == TARGET[action]
        assert event.from_state == state and event.to_state == TARGET[action]
        assert event.actor == user
        assert ReviewEvent.objects.count() == events_before + 1
    else:
        with pytest.raises(workflow.WorkflowError) as error:
            workflow.perform(action, variant=variant, user=user, comment="Motif.")
        assert error.value.message  # a sentence for a person
        variant.refresh_from_db()
        assert variant.state == state
        assert ReviewEvent.objects.count() == events_before


def test_reviewer_cannot_approve_their_own_text(db):
    chief = make_user("chief")
    variant = make_variant(author=chief)
    workflow.submit(variant=variant, user=chief)
    with pytest.raises(workflow.WorkflowError, match="écrit ou modifié"):
        workflow.approve(variant=variant, user=chief)
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW


def test_reviewer_who_last_edited_cannot_approve(db):
    reviewer_who_edits = make_user("chief")
    variant = make_variant()
    variant.title_fr = "Corrigé par la cheffe"
    variant = workflow.save_content(
        variant=variant, user=reviewer_who_edits, expected_edit_count=variant.edit_count
    )
    workflow.submit(variant=variant, user=variant.author)
    with pytest.raises(workflow.WorkflowError):
        workflow.approve(variant=variant, user=reviewer_who_edits)


def test_request_changes_requires_a_comment(db):
    variant = variant_in(State.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="commentaire"):
        workflow.request_changes(
            variant=variant, user=make_user("reviewer"), comment=" "
        )
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW


def test_submit_creates_an_immutable_revision_with_rendered_html(db):
    source = make_source("etude1")
    variant = make_variant(body="Un **texte** qui cite[@etude1].\n")
    event = workflow.submit(variant=variant, user=variant.author).event
    revision = event.revision
    assert revision.number == 1
    assert "<strong>texte</strong>" in revision.body_html_fr
    assert 'href="#ref-1"' in revision.body_html_fr
    assert revision.sources[0]["key"] == source.key
    assert revision.citations.get().source == source
    revision.title_fr = "modifié"
    with pytest.raises(Exception, match="ne se modifie pas"):
        revision.save()


def test_submission_without_citation_is_refused_with_the_reason(db):
    variant = make_variant(body="Un texte sans aucune source.\n")
    with pytest.raises(workflow.WorkflowError, match="ne cite aucune source"):
        workflow.submit(variant=variant, user=variant.author)


def test_submission_with_unknown_key_is_refused(db):
    variant = make_variant(body="Voir[@inexistant].\n")
    with pytest.raises(workflow.WorkflowError, match="inexistant"):
        workflow.submit(variant=variant, user=variant.author)


def test_text_under_review_cannot_be_edited(db):
    variant = variant_in(State.IN_REVIEW)
    variant.title_fr = "Changement en douce"
    with pytest.raises(workflow.WorkflowError):
        workflow.save_content(
            variant=variant, user=variant.author, expected_edit_count=variant.edit_count
        )


def test_published_is_exactly_the_approved_revision(db):
    variant = variant_in(State.APPROVED)
    approved = variant.latest_revision
    workflow.publish(variant=variant, user=make_user("chief"))
    variant.refresh_from_db()
    assert variant.live_revision_id == approved.pk
    assert variant.live_revision.approved_by is not None


def test_editing_a_published_variant_starts_a_new_draft(db):
    variant = variant_in(State.PUBLISHED)
    live = variant.live_revision_id
    variant.title_fr = "Nouvelle version"
    variant = workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    assert variant.state == State.DRAFT
    assert variant.live_revision_id == live
    assert variant.events.filter(action="new_draft").count() == 1


def test_unpublish_of_a_new_draft_takes_the_live_revision_offline(db):
    variant = variant_in(State.PUBLISHED)
    variant.title_fr = "Nouvelle version"
    variant = workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    chief = make_user("chief")
    with pytest.raises(workflow.ConfirmationNeeded, match="brouillon"):
        workflow.unpublish(variant=variant, user=chief, comment="Erreur.")
    workflow.unpublish(variant=variant, user=chief, comment="Erreur.", confirm=True)
    variant.refresh_from_db()
    assert variant.live_revision is None
    assert variant.withdrawn_at is not None
    # The draft in progress stays a draft, with its text.
    assert (variant.state, variant.title_fr) == (State.DRAFT, "Nouvelle version")


def test_stale_version_is_an_edit_conflict_naming_who(db):
    variant = make_variant()
    other = make_user("editor", first_name="Léa", last_name="Durand")
    loaded = variant.edit_count
    variant.title_fr = "Version de Léa"
    workflow.save_content(variant=variant, user=other, expected_edit_count=loaded)
    stale = Variant.objects.get(pk=variant.pk)
    stale.title_fr = "Version de l'autre"
    with pytest.raises(workflow.EditConflict, match="Léa Durand"):
        workflow.save_content(
            variant=stale, user=stale.author, expected_edit_count=loaded
        )
    assert Variant.objects.get(pk=variant.pk).title_fr == "Version de Léa"


def test_notifications_go_to_the_right_people_after_commit(
    db, django_capture_on_commit_callbacks
):
    reviewer = make_user("reviewer")
    chief = make_user("chief")
    variant = make_variant()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(variant=variant, user=variant.author)
    submitted = [m for m in mail.outbox if m.subject.startswith("À relire")]
    recipients = {r for m in submitted for r in m.to}
    assert reviewer.email in recipients and chief.email in recipients
    assert variant.author.email not in recipients
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(variant=variant, user=reviewer, comment="Sources ?")
    assert [m.to for m in mail.outbox] == [[variant.author.email]]
    assert "Sources ?" in mail.outbox[0].body


def test_no_mail_when_the_transaction_rolls_back(
    db, django_capture_on_commit_callbacks
):
    from django.db import transaction

    make_user("reviewer")
    variant = make_variant()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                workflow.submit(variant=variant, user=variant.author)
                raise RuntimeError("rollback")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert Variant.objects.get(pk=variant.pk).state == State.DRAFT


def _republishable():
    """A published variant with a new draft of its text."""
    from tests.factories import make_published

    variant = make_published()
    variant.title_fr = "Titre corrigé"
    return workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )


def test_a_first_text_needs_no_word_on_what_changed(db):
    variant = make_variant()
    event = workflow.submit(variant=variant, user=variant.author).event
    assert event.revision.change_kind == "first"


def test_resubmitting_a_published_text_says_what_kind_of_change_it_is(db):
    variant = _republishable()
    with pytest.raises(workflow.WorkflowError, match="correction de fond"):
        workflow.submit(variant=variant, user=variant.author)
    with pytest.raises(workflow.WorkflowError, match="note pour les lecteurs"):
        workflow.submit(variant=variant, user=variant.author, change_kind="substance")
    assert Variant.objects.get(pk=variant.pk).state == State.DRAFT
    revision = workflow.submit(
        variant=variant,
        user=variant.author,
        change_kind="substance",
        change_note="La dose était fausse.",
    ).event.revision
    assert (revision.change_kind, revision.change_note) == (
        "substance",
        "La dose était fausse.",
    )


def test_a_minor_correction_keeps_no_public_note(db):
    variant = _republishable()
    revision = workflow.submit(
        variant=variant, user=variant.author, change_kind="minor", change_note="x"
    ).event.revision
    assert (revision.change_kind, revision.change_note) == ("minor", "")
