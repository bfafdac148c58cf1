"""The desk's actions through the admin's own pages: the editing page names
a reviewer, the review page takes paragraph comments, the author answers
them beside the text; crafted POSTs meet the same rules."""

import datetime as dt

import pytest
from django.utils import timezone

from briefs.editorial import workflow
from briefs.models import EventAction, ReviewComment, ReviewEvent, State, Variant
from tests.admin_helpers import login, variant_form_data
from tests.factories import make_source, make_user, make_variant, publish

BODY = (
    "La survie à un an a atteint 85 %[@takada2019].\n\n"
    "Le tacrolimus est un immunosuppresseur.\n"
)


@pytest.fixture
def people(db):
    make_source("takada2019")
    return {
        "editor": make_user("editor", first_name="Claire", last_name="Martin"),
        "reviewer": make_user("reviewer", first_name="Paul", last_name="Lefèvre"),
        "other": make_user("reviewer", first_name="Inès", last_name="Garnier"),
        "chief": make_user("chief", first_name="Anne", last_name="Moreau"),
    }


def fresh(variant):
    return Variant.objects.get(pk=variant.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_editor_names_a_reviewer_and_a_date_from_the_editing_page(people):
    variant = make_variant(author=people["editor"], body=BODY)
    client = login(people["editor"])
    url = f"/admin/briefs/variant/{variant.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="workflow-reviewer"' in page and "Paul Lefèvre" in page
    due = timezone.localdate() + dt.timedelta(days=2)
    data = variant_form_data(client, variant.pk)
    data.update(
        {
            "workflow-action": "submit",
            "workflow-reviewer": people["reviewer"].pk,
            "workflow-due": due.isoformat(),
        }
    )
    response = client.post(url, data, follow=True)
    assert any("fait" in m for m in messages_of(response))
    variant = fresh(variant)
    assert variant.state == State.IN_REVIEW
    assert variant.assigned_to == people["reviewer"] and variant.assignment_due == due
    page = response.content.decode()
    assert "Relecture confiée à Paul Lefèvre" in page


def test_a_crafted_reviewer_who_cannot_review_is_refused_with_a_message(people):
    variant = make_variant(author=people["editor"], body=BODY)
    client = login(people["editor"])
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "submit", "reviewer": people["editor"].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert any("Relecteur" in m for m in messages_of(response))
    assert fresh(variant).state == State.DRAFT


def test_another_reviewer_cannot_approve_a_text_named_for_someone(people):
    variant = make_variant(author=people["editor"], body=BODY)
    workflow.submit(variant=variant, user=people["editor"], reviewer=people["reviewer"])
    client = login(people["other"])
    page = client.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert 'value="approve"' not in page
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "approve", "revision": 1},
        follow=True,
    )
    assert any("confié à Paul Lefèvre" in m for m in messages_of(response))
    assert fresh(variant).state == State.IN_REVIEW


def test_the_review_page_takes_a_comment_and_the_author_sees_it_beside_the_text(
    people,
):
    variant = make_variant(author=people["editor"], body=BODY)
    workflow.submit(variant=variant, user=people["editor"])
    reviewer = login(people["reviewer"])
    review_url = f"/admin/briefs/variant/{variant.pk}/revisions/1/review/"
    page = reviewer.get(review_url).content.decode()
    assert page.count("Commenter ce paragraphe") >= 3  # title and two paragraphs
    assert 'id="ref-1"' in page  # the citations lead to their sources
    response = reviewer.post(
        review_url,
        {
            "action": "comment",
            "part": "body",
            "language": "fr",
            "paragraph": "1",
            "comment": "Précisez la dose et la voie.",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#p-body-fr-1")
    comment = ReviewComment.objects.get()
    assert comment.quote == "Le tacrolimus est un immunosuppresseur."
    reviewer.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "request_changes", "revision": 1, "comment": ""},
    )
    assert fresh(variant).state == State.CHANGES_REQUESTED

    # The author opens the text: the comment is at the top, at its paragraph.
    author = login(people["editor"])
    page = author.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert "1 commentaire de relecture à traiter" in page
    assert "Précisez la dose et la voie." in page and "§2" in page
    response = author.post(
        review_url,
        {
            "action": "reply_comment",
            "comment_id": comment.pk,
            "back": "change",
            "comment": "Dose ajoutée.",
        },
    )
    assert response["Location"].endswith(f"/{variant.pk}/change/#comments")
    author.post(
        review_url,
        {"action": "resolve_comment", "comment_id": comment.pk, "back": "change"},
    )
    comment.refresh_from_db()
    assert not comment.is_open and comment.replies.get().body == "Dose ajoutée."
    page = author.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert "commentaire de relecture à traiter" not in page
    history = author.get(
        f"/admin/briefs/variant/{variant.pk}/history/"
    ).content.decode()
    assert "Précisez la dose et la voie." in history


def test_a_refused_comment_is_shown_again_with_what_was_typed(people):
    variant = make_variant(author=people["editor"], body=BODY)
    workflow.submit(variant=variant, user=people["editor"])
    client = login(people["editor"])  # an editor may not comment
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/revisions/1/review/",
        {
            "action": "comment",
            "part": "body",
            "language": "fr",
            "paragraph": "0",
            "comment": "Un long commentaire tapé avec soin.",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Un long commentaire tapé avec soin." in page
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"action": "comment", "paragraph": "x", "comment": "a"},
        {"action": "comment", "paragraph": "99", "part": "body", "language": "fr"},
        {"action": "comment", "paragraph": "0", "part": "zz", "language": "fr"},
        {"action": "reply_comment", "comment_id": "999999", "comment": "a"},
        {"action": "resolve_comment", "comment_id": "١٢"},
        {"action": "publish"},
        {"action": "nope"},
        {},
    ],
)
def test_crafted_posts_to_the_review_page_change_nothing(people, data):
    variant = make_variant(author=people["editor"], body=BODY)
    workflow.submit(variant=variant, user=people["editor"])
    client = login(people["reviewer"])
    events = ReviewEvent.objects.count()
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/revisions/1/review/", data
    )
    assert response.status_code == 200
    assert messages_of(response)
    assert ReviewEvent.objects.count() == events and not ReviewComment.objects.exists()
    assert fresh(variant).state == State.IN_REVIEW


def test_the_review_page_of_an_unknown_revision_is_a_404(people):
    variant = make_variant(author=people["editor"], body=BODY)
    client = login(people["reviewer"])
    assert (
        client.get(
            f"/admin/briefs/variant/{variant.pk}/revisions/7/review/"
        ).status_code
        == 404
    )


def test_a_reviewer_certifies_a_live_text_from_its_page(people):
    variant = publish(
        make_variant(author=people["editor"], body=BODY),
        reviewer=people["reviewer"],
        chief=people["chief"],
    )
    client = login(people["other"])
    page = client.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert 'value="certify"' in page
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "certify", "comment": "Relu avec les recommandations 2026."},
        follow=True,
    )
    assert any("Relu, toujours exact : fait." in m for m in messages_of(response))
    event = ReviewEvent.objects.filter(action=EventAction.CERTIFY).get()
    assert event.actor == people["other"] and event.revision.number == 1
    editor = login(people["editor"])
    response = editor.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "certify"},
        follow=True,
    )
    assert any("droit" in m for m in messages_of(response))
    assert ReviewEvent.objects.filter(action=EventAction.CERTIFY).count() == 1


def test_a_chief_editor_renames_the_reviewer_from_the_page(people):
    variant = make_variant(author=people["editor"], body=BODY)
    workflow.submit(variant=variant, user=people["editor"], reviewer=people["reviewer"])
    client = login(people["chief"])
    page = client.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert 'value="assign"' in page
    client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "assign", "reviewer": people["other"].pk},
    )
    assert fresh(variant).assigned_to == people["other"]
