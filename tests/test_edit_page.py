"""The variant's editing page as editors and reviewers see it."""

import pytest

from briefs.editorial import workflow
from briefs.models import Variant
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
