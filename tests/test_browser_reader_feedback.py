"""A reader on a phone reports an error; the desk finds it in the back office."""

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def published(db):
    """A published brief and an editor, written before the browser starts."""
    from tests.factories import make_published, make_user

    variant = make_published(slug="tacrolimus", title="Le tacrolimus dans la myosite")
    variant.editor = make_user("editor")
    return variant


@pytest.fixture(autouse=True)
def _empty_search_table():
    """The database is flushed after each test here; the search table too."""
    yield
    from briefs.public import search

    search.clear()


def test_a_reader_on_a_phone_reports_an_error_and_the_desk_sees_it(
    django_db_setup, live_server, published, browser
):
    from playwright.sync_api import expect

    from briefs.models import ReaderFeedback

    reader = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="fr-FR"
    )
    page = reader.new_page()
    page.set_default_timeout(10_000)
    page.goto("/fr/afm/tacrolimus/")
    expect(page.get_by_text("Cette page vous a-t-elle aidé ?")).to_be_visible()
    # The honeypot is out of a person's sight.
    expect(page.locator("#report-website")).not_to_be_in_viewport()
    page.get_by_text("Signaler une erreur").click()
    page.get_by_label("Quelle erreur avez-vous vue ?").fill(
        "La dose indiquée est de 1 mg/kg : l'étude parle de 0,1 mg/kg."
    )
    screenshot(page, "reader-report-390")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", name="Merci !")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("transmis à la rédaction")
    screenshot(page, "reader-thanks-390")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "no sideways scrolling on a phone"
    reader.close()

    kept = ReaderFeedback.objects.get()
    assert kept.message.startswith("La dose indiquée")

    editor = published.editor
    desk = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="fr-FR"
    )
    office = desk.new_page()
    office.set_default_timeout(10_000)
    admin_login(office, editor.username, PASSWORD)
    expect(office.locator("#reader-reports")).to_contain_text("1")
    office.get_by_role("link", name="Erreurs signalées à traiter").click()
    expect(office.locator("#result_list")).to_contain_text("La dose indiquée")
    screenshot(office, "desk-reports-1280")
    office.goto(f"/admin/briefs/readerfeedback/{kept.pk}/change/")
    office.get_by_role("button", name="Ouvrir une correction").click()
    office.wait_for_url(f"**/admin/briefs/variant/{published.pk}/change/")
    expect(office.locator(".messagelist")).to_contain_text("Signalement pris en charge")
    kept.refresh_from_db()
    assert kept.handled_by == editor
    desk.close()
