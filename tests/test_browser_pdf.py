"""A reader downloads a page's PDF in a real browser (Debian's Chromium)."""

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, screenshot

pytestmark = BROWSER_TESTS


@pytest.fixture
def context(django_db_setup, live_server, demo, browser):
    # The demo is written before Playwright starts (see tests/test_browser.py).
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="fr-FR", accept_downloads=True
    )
    yield context
    context.close()


def test_a_reader_downloads_the_pdf_and_prints_the_page_without_the_link(context):
    from playwright.sync_api import expect

    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/fr/afm/tacrolimus-dermatomyosite/")
    link = page.get_by_role("link", name="Télécharger en PDF")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["height"] >= 44  # a thumb's target on a phone
    screenshot(page, "pdf-link-phone")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "tacrolimus-dermatomyosite-afm-fr.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    page.set_viewport_size(DESKTOP)
    screenshot(page, "pdf-link-desktop")
    # Printed from the browser, the page keeps its print stylesheet: no link.
    page.emulate_media(media="print")
    expect(link).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".site-header")).to_be_hidden()
