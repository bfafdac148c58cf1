"""A reader's visit in a real browser (Debian's Chromium driven by Playwright)."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


@pytest.fixture
def page(django_db_setup, live_server, demo, browser):
    # Order matters: the demo is written before Playwright starts (its greenlet
    # would otherwise hold a database connection of its own), and the test
    # database is set up before, so torn down after, the live server.
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 800},
        locale="fr-FR",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _empty_search_table():
    """The database is flushed after each test here; the search table too."""
    yield
    from briefs.public import search

    search.clear()


def test_a_reader_visits_the_site(page):
    from playwright.sync_api import expect

    # Lands on the French home page and opens the patients' brief.
    page.goto("/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name=re.compile("Dermatomyosite : le tacrolimus")).click()
    expect(page).to_have_url(re.compile(r"/fr/afm/tacrolimus-dermatomyosite/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dermatomyosite")
    expect(page.locator(".disclaimer")).to_be_visible()

    # Follows the first reference link down to its source, and back.
    page.locator("a.cite-link").first.click()
    expect(page).to_have_url(re.compile(r"#ref-1$"))
    expect(page.locator("#ref-1")).to_be_in_viewport()
    assert page.evaluate("document.querySelector(':target').id") == "ref-1"
    page.locator("#ref-1 a.backref").click()
    expect(page).to_have_url(re.compile(r"#cite-1-1$"))

    # Switches to the professionals' version.
    page.get_by_role("link", name="Version professionnels de santé").click()
    expect(page).to_have_url(re.compile(r"/fr/aim/tacrolimus-dermatomyosite/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Le tacrolimus améliore la survie"
    )

    # Searches for "tacrolimus" from the header.
    search_box = page.get_by_role("searchbox", name="Rechercher dans les brèves")
    search_box.fill("tacrolimus")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/fr/search/\?q=tacrolimus"))
    expect(page.locator(".search-hit")).to_have_count(2)
    expect(page.locator(".search-hit mark").first).to_have_text(
        re.compile("tacrolimus", re.IGNORECASE)
    )

    # Reads the professionals' feed that the listing advertises.
    page.goto("/fr/aim/")
    href = page.locator(
        'link[rel="alternate"][type="application/rss+xml"]'
    ).get_attribute("href")
    response = page.request.get(href)
    assert response.ok
    channel = ET.fromstring(response.body()).find("channel")  # noqa: S314
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [
        "Le tacrolimus améliore la survie dans la dermatomyosite avec pneumopathie "
        "interstitielle, selon deux études menées au Japon"
    ]


def test_keyboard_and_small_screen(page):
    from playwright.sync_api import expect

    page.goto("/fr/afm/tacrolimus-dermatomyosite/")
    # The first Tab reaches the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    # Nothing overflows sideways on a phone.
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    # Printed, the page keeps the text and references, not the navigation.
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("section.references")).to_be_visible()
    page.emulate_media(media="screen")
    # The English switcher leads to the English page.
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dermatomyositis")
