"""The workflow through the real admin URLs: buttons, crafted POSTs, conflicts."""

import pytest

from briefs.models import Audience, Brief, ReviewEvent, State, Variant
from tests.admin_helpers import login, variant_form_data
from tests.factories import make_source, make_user, make_variant


def transition(client, variant, action, **data):
    return client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": action, **data},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_demo_style_brief_goes_through_every_step_in_the_admin(db, client):
    make_source("takada2019")
    editor = make_user("editor", first_name="Claire", last_name="Martin")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    chief = make_user("chief", first_name="Anne", last_name="Moreau")
    afm = Audience.objects.get(code="afm")

    # The editor creates the brief with its patient version inline.
    as_editor = login(editor)
    response = as_editor.post(
        "/admin/briefs/brief/add/",
        {
            "slug": "tacrolimus-demo",
            "variants-TOTAL_FORMS": "1",
            "variants-INITIAL_FORMS": "0",
            "variants-MIN_NUM_FORMS": "0",
            "variants-MAX_NUM_FORMS": "2",
            "variants-0-audience": afm.pk,
            "variants-0-title_fr": "Le tacrolimus dans la dermatomyosite",
            "variants-0-body_fr": "Un essai japonais[@takada2019].",
            "variants-0-standfirst_fr": "Deux études.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    variant = Variant.objects.get(brief__slug="tacrolimus-demo")
    assert variant.author == editor and variant.state == State.DRAFT

    page = as_editor.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    response = transition(as_editor, variant, "submit")
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW

    # The reviewer asks for changes, with a comment.
    as_reviewer = login(reviewer)
    page = as_reviewer.get(
        f"/admin/briefs/variant/{variant.pk}/change/"
    ).content.decode()
    assert 'value="approve"' in page and 'value="request_changes"' in page
    waiting = as_reviewer.get("/admin/briefs/variant/?relecture=moi")
    assert variant in waiting.context["cl"].result_list
    transition(as_reviewer, variant, "request_changes", comment="Précisez la dose.")
    assert Variant.objects.get(pk=variant.pk).state == State.CHANGES_REQUESTED

    # The editor edits and submits again.
    data = variant_form_data(
        as_editor, variant.pk, body_fr="Un essai japonais (5 à 10 ng/mL)[@takada2019]."
    )
    response = as_editor.post(f"/admin/briefs/variant/{variant.pk}/change/", data)
    assert response.status_code == 302
    transition(as_editor, variant, "submit")

    # The reviewer compares and approves; the chief editor publishes.
    diff = as_reviewer.get(f"/admin/briefs/variant/{variant.pk}/diff/")
    assert diff.status_code == 200 and "ng/mL" in diff.content.decode()
    transition(as_reviewer, variant, "approve", comment="Bon pour moi.")
    as_chief = login(chief)
    transition(as_chief, variant, "publish")
    variant.refresh_from_db()
    assert variant.state == State.PUBLISHED
    assert "5 à 10 ng/mL" in client.get("/fr/afm/tacrolimus-demo/").content.decode()

    history = as_chief.get(
        f"/admin/briefs/variant/{variant.pk}/history/"
    ).content.decode()
    actions = list(
        ReviewEvent.objects.filter(variant=variant)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "edit",
        "submit",
        "request_changes",
        "edit",
        "submit",
        "approve",
        "publish",
    ]
    assert "Précisez la dose." in history and "Bon pour moi." in history
    assert history.count('class="event event-') == 7


@pytest.mark.parametrize(
    ("role", "action", "state"),
    [
        ("editor", "approve", State.IN_REVIEW),
        ("editor", "publish", State.APPROVED),
        ("reviewer", "publish", State.APPROVED),
        ("reviewer", "submit", State.DRAFT),
        ("chief", "publish", State.DRAFT),
        ("chief", "bogus", State.DRAFT),
    ],
)
def test_crafted_transition_posts_change_nothing(db, role, action, state):
    variant = make_variant()
    if state in (State.IN_REVIEW, State.APPROVED):
        from briefs.editorial import workflow

        workflow.submit(variant=variant, user=variant.author)
        if state == State.APPROVED:
            workflow.approve(variant=variant, user=make_user("reviewer"))
    events = ReviewEvent.objects.count()
    response = transition(login(make_user(role)), variant, action)
    assert response.status_code == 200
    assert any(
        "impossible" in m or "droit" in m or "inconnue" in m
        for m in messages_of(response)
    )
    assert Variant.objects.get(pk=variant.pk).state == state
    assert ReviewEvent.objects.count() == events


def test_anonymous_transition_post_is_sent_to_login(db, client):
    variant = make_variant()
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/", {"action": "submit"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert Variant.objects.get(pk=variant.pk).state == State.DRAFT


def test_state_cannot_be_posted_in_the_change_form(db):
    variant = make_variant()
    client = login(variant.author)
    data = variant_form_data(
        client, variant.pk, state="published", title_fr="Nouveau titre"
    )
    client.post(f"/admin/briefs/variant/{variant.pk}/change/", data)
    variant.refresh_from_db()
    assert variant.title_fr == "Nouveau titre"
    assert variant.state == State.DRAFT and variant.live_revision is None


def test_second_editor_gets_a_conflict_naming_the_first_and_keeps_their_text(db):
    variant = make_variant()
    first = make_user("editor", first_name="Léa", last_name="Durand")
    second = make_user("editor")
    as_first, as_second = login(first), login(second)
    data_first = variant_form_data(as_first, variant.pk, title_fr="Titre de Léa")
    data_second = variant_form_data(as_second, variant.pk, title_fr="Titre du second")
    assert (
        as_first.post(
            f"/admin/briefs/variant/{variant.pk}/change/", data_first
        ).status_code
        == 302
    )
    response = as_second.post(
        f"/admin/briefs/variant/{variant.pk}/change/", data_second
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Léa Durand" in page
    assert "Titre du second" in page  # nothing lost: the text is shown back
    assert Variant.objects.get(pk=variant.pk).title_fr == "Titre de Léa"


def test_text_under_review_is_read_only_in_the_admin(db):
    from briefs.editorial import workflow

    variant = make_variant(title="Titre soumis")
    workflow.submit(variant=variant, user=variant.author)
    client = login(variant.author)
    page = client.get(f"/admin/briefs/variant/{variant.pk}/change/").content.decode()
    assert 'name="title_fr"' not in page
    client.post(
        f"/admin/briefs/variant/{variant.pk}/change/",
        {
            "title_fr": "Changé pendant la relecture",
            "body_fr": "x",
            "loaded_edit_count": variant.edit_count,
        },
    )
    assert Variant.objects.get(pk=variant.pk).title_fr == "Titre soumis"


def test_list_filters_by_state_audience_author_and_reviewer(db):
    variant = make_variant()
    client = login(make_user("chief"))
    for query in (
        "state=draft",
        f"audience__id__exact={variant.audience_id}",
        f"author__id__exact={variant.author_id}",
        "relecture=moi",
    ):
        response = client.get(f"/admin/briefs/variant/?{query}")
        assert response.status_code == 200, query
    drafts = client.get("/admin/briefs/variant/?state=draft").context["cl"].result_list
    assert variant in drafts
    assert Brief.objects.count() == 1


def test_admin_home_lists_what_waits_for_my_review(db):
    from briefs.editorial import workflow

    reviewer = make_user("reviewer")
    variant = make_variant(title="Une brève à relire")
    workflow.submit(variant=variant, user=variant.author)
    page = login(reviewer).get("/admin/").content.decode()
    assert "?relecture=moi" in page
    waiting = page.split('id="desk-list-waiting"')[1].split("</ol>")[0]
    assert '<span class="desk-count">(1)</span>' in waiting
    assert "Une brève à relire" in waiting
    editor_page = login(make_user("editor")).get("/admin/").content.decode()
    assert "?relecture=moi" not in editor_page
