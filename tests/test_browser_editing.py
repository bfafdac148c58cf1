"""An editor's text in a real browser: typed, submitted, never lost."""

import re

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def draft(db):
    from tests.factories import make_source, make_user, make_variant

    editor = make_user("editor", first_name="Claire", last_name="Martin")
    make_user("reviewer")
    source = make_source("takada2019")
    return make_variant(
        author=editor,
        title="Le tacrolimus dans la dermatomyosite",
        body=f"Un essai japonais a inclus 25 personnes[@{source.key}].\n",
    )


def _editor_page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_typing_then_submitting_submits_what_was_typed(
    django_db_setup, live_server, draft, browser, viewport
):
    from playwright.sync_api import expect

    from briefs.models import State, Variant

    context, page = _editor_page(browser, live_server, viewport)
    admin_login(page, draft.author.username, PASSWORD)
    page.goto(f"/admin/briefs/variant/{draft.pk}/change/")
    body = page.locator("#id_body_fr")
    body.fill(
        body.input_value()
        + "\nLa survie à un an a atteint 88 %, ajouté juste avant de soumettre.\n"
    )
    screenshot(page, f"editor-typed-{viewport['width']}")
    page.get_by_role("button", name="Soumettre à relecture").click()
    expect(page.locator(".messagelist")).to_contain_text("Votre texte est enregistré")
    expect(page.locator(".messagelist")).to_contain_text("Soumettre à relecture : fait")
    screenshot(page, f"editor-submitted-{viewport['width']}")

    variant = Variant.objects.get(pk=draft.pk)
    assert variant.state == State.IN_REVIEW
    assert "ajouté juste avant de soumettre" in variant.latest_revision.body_fr
    context.close()


def test_leaving_with_unsaved_text_asks_first(
    django_db_setup, live_server, draft, browser
):
    from playwright.sync_api import expect

    context, page = _editor_page(browser, live_server, DESKTOP)
    admin_login(page, draft.author.username, PASSWORD)
    page.goto(f"/admin/briefs/variant/{draft.pk}/change/")
    page.wait_for_load_state("load")

    # Nothing typed: leaving asks nothing.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator(".breadcrumbs a").first.click()
    page.wait_for_url(re.compile(r"/admin/$"))
    assert asked == []

    # Typed, then a link: the browser asks; staying keeps the text.
    page.goto(f"/admin/briefs/variant/{draft.pk}/change/")
    page.wait_for_load_state("load")
    page.locator("#id_title_fr").fill("Un titre que je suis en train d'écrire")
    with page.expect_event("dialog"):
        page.locator(".breadcrumbs a").first.click()
    assert asked == ["beforeunload"]
    expect(page).to_have_url(re.compile(rf"/admin/briefs/variant/{draft.pk}/change/"))
    expect(page.locator("#id_title_fr")).to_have_value(
        "Un titre que je suis en train d'écrire"
    )
    # Saving is not leaving: no question.
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("modifié avec succès")
    assert asked == ["beforeunload"]
    context.close()
