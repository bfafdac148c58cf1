"""The variant's editing page as editors and reviewers see it."""

import datetime as dt

import pytest

from briefs.editorial import workflow
from briefs.models import State, Variant
from tests.admin_helpers import login, variant_form_data
from tests.factories import make_source, make_user, make_variant, publish

LONG_WORDS = (
    "Les immunoglobulines intraveineuses et l'anti-MDA5 : une pneumopathie "
    "interstitielle rapidement progressive chez 76,4 % des patients suivis."
)


def change_url(variant) -> str:
    return f"/admin/briefs/variant/{variant.pk}/change/"


def sent_back_correction() -> Variant:
    """A published text changed, resubmitted and sent back by its reviewer:
    two revisions to compare, and a page its editor may edit."""
    editor = make_user("editor", first_name="Claire", last_name="Martin")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    source = make_source("takada2019")
    body = (
        f"Un essai japonais a inclus 25 personnes[@{source.key}].\n\n"
        "## Ce que l'on sait\n\n"
        "La survie à un an atteint 88 % en France.\n"
    )
    variant = make_variant(
        author=editor,
        title="Le tacrolimus dans la dermatomyosite",
        body=body,
        standfirst_fr="Deux études japonaises.",
    )
    variant = publish(variant, reviewer=reviewer)
    variant.body_fr = body.replace("en France", "en Allemagne") + LONG_WORDS + "\n"
    variant.title_fr = "Le tacrolimus dans la dermatomyosite de l'adulte"
    variant = workflow.save_content(
        variant=variant, user=editor, expected_edit_count=variant.edit_count
    )
    workflow.submit(variant=variant, user=editor, change_kind="minor")
    workflow.request_changes(
        variant=Variant.objects.get(pk=variant.pk),
        user=reviewer,
        comment="Précisez la dose.",
    )
    return Variant.objects.get(pk=variant.pk)


@pytest.mark.parametrize("url", ["/admin/", "/admin/briefs/variant/"])
def test_the_back_office_is_named_after_the_newsroom(db, settings, url):
    settings.NEWSROOM_SITE_NAME = "Brèves de test"
    page = login(make_user("editor")).get(url).content.decode()
    assert '<div id="site-name"><a href="/admin/">Brèves de test</a></div>' in page
    assert "| Brèves de test</title>" in page
    assert "Django" not in page.split("<body")[1].split('id="content"')[0]
    assert "Administration de Django" not in page


def test_the_sign_in_page_carries_the_newsroom_name(db, client, settings):
    settings.NEWSROOM_SITE_NAME = "Brèves de test"
    page = client.get("/admin/login/").content.decode()
    assert "Brèves de test" in page and "Administration de Django" not in page


def test_the_diff_page_marks_whole_words(db):
    variant = sent_back_correction()
    page = (
        login(variant.author)
        .get(f"/admin/briefs/variant/{variant.pk}/diff/")
        .content.decode()
    )
    assert "<del>France</del>" in page and "<ins>Allemagne</ins>" in page
    assert "<ins> de l&#x27;adulte</ins>" in page
    assert "<del>Fr" not in page.replace("<del>France</del>", "")


def history_page(client, variant, language="fr") -> str:
    return client.get(
        f"/admin/briefs/variant/{variant.pk}/history/",
        HTTP_ACCEPT_LANGUAGE=language,
    ).content.decode()


def test_the_history_names_each_action_in_french(db):
    variant = sent_back_correction()
    client = login(variant.author)
    data = variant_form_data(client, variant.pk, title_fr="Un titre repris")
    assert client.post(change_url(variant), data).status_code == 302
    page = history_page(client, variant)
    for label in (
        "modifications demandées",
        "soumission à relecture",
        "modification du texte",
        "nouveau brouillon",
        "publication",
        "approbation",
    ):
        assert f'class="event-action">{label}</td>' in page
    assert ">request_changes<" not in page and ">new_draft<" not in page
    assert "Paul Lefèvre" in page  # people by name
    # Django's own line for the save through the form, in words.
    assert "Modification de" in page and "Titre" in page
    assert '[{"changed"' not in page


def test_the_history_names_each_action_in_english(db):
    variant = sent_back_correction()
    page = history_page(login(variant.author), variant, "en")
    assert 'class="event-action">changes requested</td>' in page
    assert 'class="event-action">submission for review</td>' in page
    assert 'class="event-action">edit of the text</td>' in page
    assert "modifications demandées" not in page


def approved_variant() -> Variant:
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(
        variant=Variant.objects.get(pk=variant.pk), user=make_user("reviewer")
    )
    return Variant.objects.get(pk=variant.pk)


def post_publish(client, variant, when: str):
    return client.post(
        change_url(variant),
        {
            "workflow-action": "publish",
            "workflow-publish_at": when,
            "workflow-revision": variant.latest_revision.number,
        },
        follow=True,
    )


def test_the_schedule_field_is_a_date_and_time_picker_in_paris_time(db):
    variant = approved_variant()
    page = login(make_user("chief")).get(change_url(variant)).content.decode()
    assert 'type="datetime-local" name="workflow-publish_at"' in page
    assert "Programmer la publication le (heure de Paris ; vide : maintenant)" in page


@pytest.mark.parametrize(
    ("typed", "utc_hour"),
    [("2031-01-15T14:30", 13), ("2031-07-15T14:30", 12)],
    ids=["winter", "summer"],
)
def test_a_scheduled_time_is_read_as_paris_time(db, settings, typed, utc_hour):
    # Whatever the zone people are in, and whatever zone the request runs in.
    from django.utils import timezone

    variant = approved_variant()
    client = login(make_user("chief"))
    with timezone.override("America/New_York"):
        response = post_publish(client, variant, typed)
    variant.refresh_from_db()
    assert variant.state == State.APPROVED and variant.live_revision is None
    assert variant.scheduled_at.astimezone(dt.UTC).hour == utc_hour
    assert variant.scheduled_at.astimezone(dt.UTC).minute == 30
    page = client.get(change_url(variant)).content.decode()
    assert "(heure de Paris)" in page
    assert 'value="2031' not in page  # the field starts empty again
    wall = typed.replace("2031-01-15T", "15 janvier 2031 ").replace(
        "2031-07-15T", "15 juillet 2031 "
    )
    said = [str(m) for m in response.context["messages"]]
    assert f"Publier : publication programmée le {wall} (heure de Paris) ; " in (
        " ".join(said)
    ), said


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("demain midi", "Date et heure illisibles"),
        ("2031-13-40T25:99", "Date et heure illisibles"),
        ("2031-03-30T02:30", "Cette heure n'existe pas (heure de Paris)"),
        ("2020-01-01T10:00", "Cette date est passée"),
    ],
    ids=["words", "impossible", "clocks-go-forward", "past"],
)
def test_an_invalid_schedule_says_why_and_changes_nothing(db, typed, message):
    variant = approved_variant()
    events = variant.events.count()
    response = post_publish(login(make_user("chief")), variant, typed)
    assert response.status_code == 200
    said = [str(m) for m in response.context["messages"]]
    assert any(
        said_one.startswith("Programmer la publication le") and message in said_one
        for said_one in said
    ), said
    variant.refresh_from_db()
    assert variant.state == State.APPROVED
    assert variant.scheduled_at is None and variant.live_revision is None
    assert variant.events.count() == events


def test_an_empty_schedule_publishes_now(db):
    variant = approved_variant()
    post_publish(login(make_user("chief")), variant, "")
    variant.refresh_from_db()
    assert variant.live_revision is not None and variant.scheduled_at is None


def in_review_variant() -> Variant:
    variant = make_variant()
    workflow.submit(variant=variant, user=variant.author)
    return Variant.objects.get(pk=variant.pk)


def test_a_reviewer_gets_a_comment_box_required_to_ask_for_changes(db):
    variant = in_review_variant()
    page = login(make_user("reviewer")).get(change_url(variant)).content.decode()
    assert 'name="workflow-comment"' in page
    assert 'value="request_changes" class="button" data-comment="required"' in page
    assert 'value="approve" class="button default" data-comment="optional"' in page
    # Nothing to schedule, nothing to classify.
    assert 'name="workflow-publish_at"' not in page
    assert 'name="workflow-change_kind"' not in page


def test_a_chief_publishing_gets_the_date_and_no_comment_box(db):
    variant = approved_variant()
    page = login(make_user("chief")).get(change_url(variant)).content.decode()
    assert 'value="publish" class="button default" data-comment="none"' in page
    assert 'name="workflow-publish_at"' in page
    assert 'data-schedule-for="publish"' in page
    assert 'name="workflow-comment"' not in page


def test_an_editor_submitting_a_first_version_gets_an_optional_comment_only(db):
    variant = make_variant()
    page = login(variant.author).get(change_url(variant)).content.decode()
    assert 'value="submit" class="button" data-comment="optional">' in page
    assert 'name="workflow-comment"' in page
    assert 'name="workflow-change_kind"' not in page
    assert 'name="workflow-publish_at"' not in page


def test_without_a_comment_asking_for_changes_is_still_refused_by_the_server(db):
    variant = in_review_variant()
    response = login(make_user("reviewer")).post(
        change_url(variant),
        {
            "workflow-action": "request_changes",
            "workflow-revision": variant.latest_revision.number,
        },
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert (
        "Dites ce qui doit changer : un commentaire, ou des commentaires sur les paragraphes."
        in said
    )
    assert Variant.objects.get(pk=variant.pk).state == State.IN_REVIEW


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title_fr", 300),
        ("title_en", 300),
        ("standfirst_fr", 2000),
        ("standfirst_en", 2000),
    ],
)
def test_each_language_of_title_and_standfirst_carries_its_limit(db, field, limit):
    variant = make_variant()
    response = login(variant.author).get(change_url(variant))
    attrs = response.context["adminform"].form.fields[field].widget.attrs
    assert attrs["data-char-limit"] == str(limit)
    assert attrs["data-char-count"] == "%(count)s / %(max)s caractères"
    assert f'name="{field}"' in response.content.decode()
