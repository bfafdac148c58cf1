"""The English translation follows the French, or says that it does not."""

import re

import pytest

from briefs.editorial import figure_checks, workflow
from briefs.editorial.translations import changed_paragraphs
from briefs.models import EventAction, ReviewEvent, State, Variant
from tests.factories import make_source, make_user, make_variant

FR = (
    "Le tacrolimus a été donné à 25 patients[@{key}].\n\n"
    "La dose était de 0,1 mg/kg/jour.\n"
)
EN = "Tacrolimus was given to 25 patients[@{key}].\n\nThe dose was 0.1 mg/kg/day.\n"


@pytest.fixture
def live(db):
    """A brief published in French and English."""
    source = make_source("takada2019")
    variant = make_variant(
        body=FR.format(key=source.key),
        title_en="Tacrolimus in dermatomyositis",
        body_en=EN.format(key=source.key),
    )
    reviewer, chief = make_user("reviewer"), make_user("chief")
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(variant=variant, user=reviewer)
    workflow.publish(variant=variant, user=chief)
    variant = Variant.objects.get(pk=variant.pk)
    variant.people = {"reviewer": reviewer, "chief": chief}
    return variant


def correct_french(variant, *, statement, new_body=None, english=None):
    """The editor edits the French (and maybe the English), then it is
    submitted, approved and published again."""
    editor = variant.author
    fresh = Variant.objects.get(pk=variant.pk)
    fresh.body_fr = new_body or fresh.body_fr.replace("0,1 mg", "0,2 mg")
    if english is not None:
        fresh.body_en = english
    fresh = workflow.save_content(
        variant=fresh, user=editor, expected_edit_count=fresh.edit_count
    )
    workflow.perform(
        "submit",
        variant=fresh,
        user=editor,
        change_kind="substance",
        change_note="Dose corrigée.",
        translation=statement,
    )
    # An English left behind differs in its figures: the reviewer ticks each.
    waiting = Variant.objects.get(pk=variant.pk).latest_revision
    workflow.perform(
        "approve",
        variant=fresh,
        user=variant.people["reviewer"],
        acknowledged=[d["id"] for d in figure_checks.differences(waiting)],
    )
    workflow.publish(variant=fresh, user=variant.people["chief"])
    again = Variant.objects.get(pk=variant.pk)
    again.people = variant.people
    return again


def test_a_french_change_must_say_what_becomes_of_the_english(live):
    fresh = Variant.objects.get(pk=live.pk)
    fresh.body_fr = fresh.body_fr.replace("0,1 mg", "0,2 mg")
    fresh = workflow.save_content(
        variant=fresh, user=live.author, expected_edit_count=fresh.edit_count
    )
    with pytest.raises(workflow.WorkflowError, match="traduction anglaise"):
        workflow.perform(
            "submit",
            variant=fresh,
            user=live.author,
            change_kind="substance",
            change_note="Dose corrigée.",
        )
    assert Variant.objects.get(pk=live.pk).state == State.DRAFT


def test_a_correction_of_substance_marks_the_english_outdated_on_its_page(live, client):
    variant = correct_french(live, statement="needs_update")
    revision = variant.live_revision
    assert revision.translated_from.number == 1
    assert variant.live_translation_dated is not None

    page = client.get("/en/afm/" + variant.brief.slug + "/").content.decode()
    notice = re.search(r'<p class="notice translation-notice">(.*?)</p>', page, re.S)
    assert notice, "the English page says its translation is outdated"
    assert "This translation was made from the French text of" in notice.group(1)
    assert f'href="/fr/afm/{variant.brief.slug}/"' in notice.group(1)
    assert 'hreflang="fr"' not in page.split("</head>")[0]  # not an equivalent
    assert "0.1 mg/kg/day" in page  # the last approved English stays

    french = client.get(f"/fr/afm/{variant.brief.slug}/").content.decode()
    assert "translation-notice" not in french
    assert 'hreflang="en"' not in french.split("</head>")[0]
    sitemap = client.get("/sitemap-briefs.xml").content.decode()
    entry = re.search(
        rf"<url><loc>[^<]*/en/afm/{variant.brief.slug}/</loc>.*?</url>", sitemap
    )
    assert entry and "xhtml:link" not in entry.group(0)


def test_a_typo_leaves_the_english_current(live, client):
    variant = correct_french(
        live,
        statement="not_needed",
        new_body=live.body_fr.replace("était", "était bien"),
    )
    assert variant.live_translation_dated is None
    page = client.get(f"/en/afm/{variant.brief.slug}/").content.decode()
    assert "translation-notice" not in page
    assert 'hreflang="fr"' in page.split("</head>")[0]


def test_the_notice_goes_once_the_translation_is_updated_and_approved(live, client):
    outdated = correct_french(live, statement="needs_update")
    assert outdated.live_translation_dated is not None
    updated = correct_french(
        outdated,
        statement="updated",
        new_body=outdated.body_fr,
        english=outdated.body_en.replace("0.1 mg", "0.2 mg"),
    )
    assert updated.live_revision.translated_from is None
    assert updated.live_translation_dated is None
    page = client.get(f"/en/afm/{updated.brief.slug}/").content.decode()
    assert "translation-notice" not in page and "0.2 mg/kg/day" in page


def test_the_changed_french_paragraphs_since_the_translation(live):
    variant = correct_french(live, statement="needs_update")
    changed = changed_paragraphs(
        since=variant.live_revision.translated_from, now=variant
    )
    assert [(p.before, p.after) for p in changed] == [
        ("La dose était de 0,1 mg/kg/jour.", "La dose était de 0,2 mg/kg/jour.")
    ]


def test_a_chief_editor_takes_the_english_page_offline(live, client):
    slug = live.brief.slug
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(
            "withdraw_translation", variant=live, user=live.author, comment="Non."
        )
    with pytest.raises(workflow.WorkflowError, match="commentaire"):
        workflow.perform(
            "withdraw_translation", variant=live, user=live.people["chief"]
        )
    event = workflow.perform(
        "withdraw_translation",
        variant=live,
        user=live.people["chief"],
        comment="Traduction fausse depuis la correction de dose.",
    ).event
    assert event.action == EventAction.WITHDRAW_TRANSLATION
    assert client.get(f"/en/afm/{slug}/").status_code == 404
    assert client.get(f"/fr/afm/{slug}/").status_code == 200
    with pytest.raises(workflow.WorkflowError, match="anglaise"):
        workflow.perform(
            "withdraw_translation",
            variant=Variant.objects.get(pk=live.pk),
            user=live.people["chief"],
            comment="Encore.",
        )
    assert (
        ReviewEvent.objects.filter(action=EventAction.WITHDRAW_TRANSLATION).count() == 1
    )


def test_the_editing_page_asks_and_shows_the_french_changed_since(live):
    from tests.admin_helpers import login, variant_form_data

    outdated = correct_french(live, statement="needs_update")
    client = login(outdated.author)
    url = f"/admin/briefs/variant/{outdated.pk}/change/"
    page = client.get(url).content.decode()
    assert "Traduction anglaise à mettre à jour" in page
    assert "0,2 mg/kg/jour" in page and "0,1 mg/kg/jour" in page
    assert 'name="workflow-translation"' in page

    data = variant_form_data(client, outdated.pk)
    data["body_fr"] = data["body_fr"].replace("25 patients", "26 patients")
    data.update(
        {
            "workflow-action": "submit",
            "workflow-change_kind": "substance",
            "workflow-change_note": "Effectif corrigé.",
        }
    )
    response = client.post(url, data, follow=True)
    said = " ".join(str(m) for m in response.context["messages"])
    assert "traduction anglaise" in said
    assert Variant.objects.get(pk=outdated.pk).state == State.DRAFT
    # The text typed is kept: saved before the action was refused.
    assert "26 patients" in Variant.objects.get(pk=outdated.pk).body_fr


def test_the_chief_takes_the_english_page_offline_from_the_admin(live, client):
    from tests.admin_helpers import login

    chief = login(live.people["chief"])
    page = chief.get(f"/admin/briefs/variant/{live.pk}/change/").content.decode()
    assert 'value="withdraw_translation"' in page
    chief.post(
        f"/admin/briefs/variant/{live.pk}/transition/",
        {"action": "withdraw_translation", "comment": "Traduction à revoir."},
    )
    assert client.get(f"/en/afm/{live.brief.slug}/").status_code == 404
    editor = login(live.author)
    page = editor.get(f"/admin/briefs/variant/{live.pk}/change/").content.decode()
    assert 'value="withdraw_translation"' not in page


def test_an_outdated_translation_is_due_for_review(live):
    from briefs.editorial.review_due import due_for_review

    assert live not in due_for_review()
    outdated = correct_french(live, statement="needs_update")
    assert outdated in due_for_review()


@pytest.mark.parametrize(
    "role", ["editor", "reviewer", "chief", "staff_without_role", "anonymous"]
)
def test_only_a_chief_editor_takes_the_english_page_offline(live, role):
    from tests.test_workflow import actor

    events = ReviewEvent.objects.count()
    user = live.people["chief"] if role == "chief" else actor(role)
    if role == "chief":
        workflow.perform(
            "withdraw_translation", variant=live, user=user, comment="Fausse."
        )
        assert Variant.objects.get(pk=live.pk).live_languages == "fr"
        assert ReviewEvent.objects.count() == events + 1
    else:
        with pytest.raises(workflow.WorkflowError):
            workflow.perform(
                "withdraw_translation", variant=live, user=user, comment="Fausse."
            )
        assert Variant.objects.get(pk=live.pk).live_languages == "fr en"
        assert ReviewEvent.objects.count() == events


def test_the_desk_lists_outdated_translations_with_their_age(live):
    from tests.admin_helpers import login

    outdated = correct_french(live, statement="needs_update")
    for person in (outdated.author, live.people["chief"]):
        page = login(person).get("/admin/").content.decode()
        section = page.split('id="desk-list-translations"')[1].split("</ol>")[0]
        assert outdated.title_fr in section
        assert "anglais traduit du français du" in section
    page = login(live.people["reviewer"]).get("/admin/").content.decode()
    assert 'id="desk-list-translations"' not in page
