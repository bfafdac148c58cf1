"""The desk's actions: naming a reviewer, taking a text, paragraph comments,
and certifying a live text as still accurate; each for every role, from an
allowed and a forbidden state."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.editorial import workflow
from briefs.models import (
    EventAction,
    OutboxMail,
    ReviewComment,
    ReviewEvent,
    State,
    Variant,
)
from tests.factories import make_user, make_variant, publish
from tests.test_workflow import actor, variant_in

TWO_PARAGRAPHS = (
    "La survie à un an a atteint 85 %[@{key}].\n\n"
    "Le tacrolimus est un immunosuppresseur.\n"
)


def fresh(variant: Variant) -> Variant:
    return Variant.objects.get(pk=variant.pk)


def in_review(**submit) -> Variant:
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author, **submit)
    return fresh(variant)


# Naming a reviewer on submission.


def test_the_named_reviewer_alone_is_told_and_the_due_date_is_kept(db):
    named, other = make_user("reviewer"), make_user("reviewer")
    due = timezone.localdate() + dt.timedelta(days=3)
    variant = make_variant()
    workflow.perform(
        "submit", variant=variant, user=variant.author, reviewer=named, due=due
    )
    variant = fresh(variant)
    assert variant.assigned_to == named and variant.assignment_due == due
    assert variant.submitted_at is not None
    sent = list(OutboxMail.objects.all())
    assert [m.recipient for m in sent] == [named.email]
    assert other.email not in {m.recipient for m in sent}
    assert due.strftime("%d/%m/%Y") in sent[0].body


@pytest.mark.parametrize(
    "who, due_days, message",
    [
        ("author", 1, "a écrit ou modifié"),
        ("editor", 1, "ne peut pas relire"),
        ("reviewer", -1, "déjà passée"),
    ],
)
def test_a_wrong_reviewer_or_date_refuses_the_submission(db, who, due_days, message):
    # A chief editor may review, but not a text of their own.
    variant = make_variant(author=make_user("chief"))
    reviewer = variant.author if who == "author" else make_user(who)
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.perform(
            "submit",
            variant=variant,
            user=variant.author,
            reviewer=reviewer,
            due=timezone.localdate() + dt.timedelta(days=due_days),
        )
    variant = fresh(variant)
    assert variant.state == State.DRAFT and variant.assigned_to is None
    assert variant.latest_revision is None


def test_only_the_named_reviewer_decides(db):
    named, other = make_user("reviewer"), make_user("reviewer")
    variant = in_review(reviewer=named)
    for action in ("approve", "request_changes"):
        with pytest.raises(workflow.WorkflowError, match="confié à"):
            workflow.perform(action, variant=variant, user=other, comment="Non.")
    assert fresh(variant).state == State.IN_REVIEW
    assert not workflow.ACTIONS["approve"].offered(variant=variant, user=other)
    workflow.approve(variant=variant, user=named)
    assert fresh(variant).state == State.APPROVED


def test_any_reviewer_decides_on_a_text_named_for_nobody(db):
    variant = in_review()
    workflow.approve(variant=variant, user=make_user("reviewer"))
    assert fresh(variant).state == State.APPROVED


# Taking a text, and a chief editor naming another reviewer.


def test_a_reviewer_takes_an_unassigned_text_and_then_it_is_theirs(db):
    taker, other = make_user("reviewer"), make_user("reviewer")
    variant = in_review()
    event = workflow.perform("take", variant=variant, user=taker).event
    assert event.action == EventAction.ASSIGN and event.to_state == State.IN_REVIEW
    assert fresh(variant).assigned_to == taker
    with pytest.raises(workflow.WorkflowError, match="déjà confiée"):
        workflow.perform("take", variant=fresh(variant), user=other)
    assert fresh(variant).assigned_to == taker


def test_a_chief_editor_names_another_reviewer_who_is_told(db):
    first, second = make_user("reviewer"), make_user("reviewer")
    variant = in_review(reviewer=first)
    told_before = set(OutboxMail.objects.values_list("pk", flat=True))
    due = timezone.localdate() + dt.timedelta(days=2)
    event = workflow.perform(
        "assign",
        variant=variant,
        user=make_user("chief"),
        reviewer=second,
        due=due,
        comment="Paul est en congé.",
    ).event
    variant = fresh(variant)
    assert variant.assigned_to == second and variant.assignment_due == due
    assert "Paul est en congé." in event.comment
    told = OutboxMail.objects.exclude(pk__in=told_before)
    assert [m.recipient for m in told] == [second.email]
    workflow.perform("assign", variant=variant, user=make_user("chief"))
    assert fresh(variant).assigned_to is None  # back to any reviewer


def test_a_chief_editor_cannot_name_the_author(db):
    variant = make_variant(author=make_user("chief"))
    workflow.submit(variant=variant, user=variant.author)
    with pytest.raises(workflow.WorkflowError, match="a écrit"):
        workflow.perform(
            "assign", variant=variant, user=make_user("chief"), reviewer=variant.author
        )
    assert fresh(variant).assigned_to is None


NEW_ACTIONS = {
    # action: (roles allowed, states allowed)
    "assign": ({"chief"}, {State.IN_REVIEW}),
    "take": ({"reviewer", "chief"}, {State.IN_REVIEW}),
    "certify": ({"reviewer", "chief"}, {State.PUBLISHED}),
}


@pytest.mark.parametrize("action", list(NEW_ACTIONS))
@pytest.mark.parametrize(
    "role", ["editor", "reviewer", "chief", "staff_without_role", "anonymous"]
)
@pytest.mark.parametrize("state", [State.DRAFT, State.IN_REVIEW, State.PUBLISHED])
def test_new_actions_per_role_and_state(db, action, role, state):
    variant = variant_in(state)
    user = actor(role)
    roles, states = NEW_ACTIONS[action]
    before = ReviewEvent.objects.count()
    if role in roles and state in states:
        event = workflow.perform(action, variant=variant, user=user).event
        assert event.actor == user and event.from_state == event.to_state == state
        assert ReviewEvent.objects.count() == before + 1
    else:
        with pytest.raises(workflow.WorkflowError) as error:
            workflow.perform(action, variant=variant, user=user)
        assert error.value.message
        assert ReviewEvent.objects.count() == before
    assert fresh(variant).state == state


# Comments on a paragraph.


@pytest.fixture
def reviewed(db):
    from tests.factories import make_source

    source = make_source("takada2019")
    variant = make_variant(body=TWO_PARAGRAPHS.format(key=source.key))
    workflow.submit(variant=variant, user=variant.author)
    return fresh(variant)


def comment_on(variant, user, *, paragraph=1, text="Précisez la dose.", **kw):
    return workflow.perform(
        "comment",
        variant=variant,
        user=user,
        comment=text,
        part=kw.pop("part", "body"),
        language=kw.pop("language", "fr"),
        paragraph=paragraph,
        **kw,
    )


def test_a_reviewer_comments_on_a_paragraph_and_its_words_are_kept(reviewed):
    reviewer = make_user("reviewer")
    comment_on(reviewed, reviewer)
    comment = ReviewComment.objects.get()
    assert comment.quote == "Le tacrolimus est un immunosuppresseur."
    assert comment.revision == reviewed.latest_revision and comment.is_open
    event = ReviewEvent.objects.filter(action=EventAction.COMMENT).get()
    assert "§2" in event.comment and "Précisez la dose." in event.comment


@pytest.mark.parametrize(
    "fields",
    [
        {"paragraph": 2},
        {"paragraph": None},
        {"part": "summary"},
        {"language": "de"},
        {"language": "en"},  # no English text in this revision
        {"text": " "},
        {"text": "x" * 5001},
    ],
)
def test_a_comment_on_no_paragraph_is_refused_and_changes_nothing(reviewed, fields):
    with pytest.raises(workflow.WorkflowError):
        comment_on(reviewed, make_user("reviewer"), **fields)
    assert not ReviewComment.objects.exists()


def test_a_comment_on_a_replaced_revision_is_refused(reviewed):
    with pytest.raises(workflow.WorkflowError, match="remplacée"):
        comment_on(reviewed, make_user("reviewer"), revision=99)
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("role", ["editor", "staff_without_role", "anonymous"])
def test_only_reviewers_comment(reviewed, role):
    with pytest.raises(workflow.WorkflowError):
        comment_on(reviewed, actor(role))
    assert not ReviewComment.objects.exists()


def test_no_comment_once_the_text_is_approved(reviewed):
    workflow.approve(variant=reviewed, user=make_user("reviewer"))
    with pytest.raises(workflow.WorkflowError, match="impossible depuis"):
        comment_on(fresh(reviewed), make_user("reviewer"))


def test_requesting_changes_sums_up_the_open_comments(reviewed):
    reviewer = make_user("reviewer")
    comment_on(reviewed, reviewer, paragraph=0, text="Quelle source ?")
    comment_on(reviewed, reviewer, paragraph=1, text="Précisez la dose.")
    event = workflow.request_changes(variant=reviewed, user=reviewer, comment="").event
    assert event.to_state == State.CHANGES_REQUESTED
    assert "§1 (fr) « La survie à un an a atteint 85 %" in event.comment
    assert "Précisez la dose." in event.comment
    told = OutboxMail.objects.get(recipient=reviewed.author.email)
    assert "Précisez la dose." in told.body


def test_the_author_answers_then_resolves_and_the_comment_stays(reviewed):
    reviewer = make_user("reviewer")
    comment_on(reviewed, reviewer)
    workflow.request_changes(variant=reviewed, user=reviewer, comment="Voir §2.")
    comment = ReviewComment.objects.get()
    author = reviewed.author
    workflow.perform(
        "reply_comment",
        variant=fresh(reviewed),
        user=author,
        comment="Dose ajoutée : 0,1 mg/kg/jour.",
        comment_id=comment.pk,
    )
    reply = comment.replies.get()
    assert reply.author == author and not reply.is_open
    workflow.perform(
        "resolve_comment", variant=fresh(reviewed), user=author, comment_id=comment.pk
    )
    comment.refresh_from_db()
    assert comment.resolved_by == author and not comment.is_open
    assert ReviewEvent.objects.filter(action=EventAction.RESOLVE).count() == 1
    with pytest.raises(workflow.WorkflowError, match="déjà résolu"):
        workflow.perform(
            "resolve_comment",
            variant=fresh(reviewed),
            user=author,
            comment_id=comment.pk,
        )
    with pytest.raises(Exception, match="ne se suppriment pas"):
        ReviewComment.objects.all().delete()


@pytest.mark.parametrize("role", ["staff_without_role", "anonymous"])
def test_people_without_a_role_neither_answer_nor_resolve(reviewed, role):
    comment_on(reviewed, make_user("reviewer"))
    comment = ReviewComment.objects.get()
    for action in ("reply_comment", "resolve_comment"):
        with pytest.raises(workflow.WorkflowError):
            workflow.perform(
                action,
                variant=reviewed,
                user=actor(role),
                comment="Moi aussi.",
                comment_id=comment.pk,
            )
    comment.refresh_from_db()
    assert comment.is_open and not comment.replies.exists()


def test_a_comment_of_another_text_is_not_found_from_this_one(reviewed):
    comment_on(reviewed, make_user("reviewer"))
    other = make_variant()
    with pytest.raises(workflow.WorkflowError, match="n'existe pas"):
        workflow.perform(
            "resolve_comment",
            variant=other,
            user=other.author,
            comment_id=ReviewComment.objects.get().pk,
        )
    assert ReviewComment.objects.get().is_open


# Reviewed, no change.


def test_certifying_a_live_text_moves_its_review_dates(db, client):
    variant = publish(make_variant())
    reviewer = make_user("reviewer")
    before_due = variant.review_due_at
    later = timezone.now() + dt.timedelta(days=200)
    import time_machine

    with time_machine.travel(later, tick=False):
        event = workflow.perform(
            "certify", variant=variant, user=reviewer, comment="Toujours exact."
        ).event
    variant = fresh(variant)
    assert event.action == EventAction.CERTIFY
    assert event.revision == variant.live_revision and event.actor == reviewer
    assert variant.last_reviewed_at == later and variant.review_due_at > before_due
    assert variant.live_revision.number == 1  # the text itself did not change
    page = client.get(variant.get_absolute_url())
    assert page.status_code == 200
    assert timezone.localtime(later).strftime("%Y") in page.content.decode()


def test_the_author_of_the_live_text_cannot_certify_it(db):
    chief = make_user("chief")
    variant = publish(make_variant(author=chief), chief=make_user("chief"))
    with pytest.raises(workflow.WorkflowError, match="avez écrit"):
        workflow.perform("certify", variant=variant, user=chief)
