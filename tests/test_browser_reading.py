"""A patient reads a brief on a phone and at desktop width: the first screen
shows the text, a table scrolls inside its own region, citation links are
large enough to tap, and axe-core finds no WCAG 2.1/2.2 AA violation."""

from pathlib import Path

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, screenshot

pytestmark = BROWSER_TESTS
TRIALS = (Path(__file__).parent / "data" / "essais-myosites.md").read_text()
TRIALS_URL = "/fr/afm/essais-myosites/"
DEMO_URL = "/fr/afm/tacrolimus-dermatomyosite/"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
TARGET = 24  # px, WCAG 2.2 target size (minimum)


@pytest.fixture
def trials(demo):
    """The demo, and a patients' brief with a table of nine trials."""
    from tests.factories import make_published

    return make_published(
        slug="essais-myosites",
        title="Myosites : où en sont les essais cliniques des nouveaux traitements "
        "en France et en Europe ?",
        standfirst_fr="Neuf essais évaluent des médicaments contre les myosites.",
        body=TRIALS,
    )


@pytest.fixture
def open_page(django_db_setup, live_server, trials, browser):
    contexts = []

    def open_page(url, viewport):
        context = browser.new_context(
            base_url=live_server.url, viewport=viewport, locale="fr-FR"
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(autouse=True)
def _empty_search_table():
    """The database is flushed after each test here; the search table too."""
    yield
    from briefs.public import search

    search.clear()


def test_a_table_scrolls_inside_its_region_and_never_widens_the_phone_page(
    open_page,
):
    from playwright.sync_api import expect

    page = open_page(TRIALS_URL, PHONE)
    region = page.get_by_role("region", name="Tableau 1 : Voici où en sont")
    expect(region).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the page scrolls sideways"
    )
    sizes = region.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert sizes[0] > sizes[1], "the table fits: nothing to scroll"
    # A keyboard scrolls it: the region takes the focus, arrows move it.
    region.focus()
    expect(region).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    # Polled from the test: the page's CSP forbids the evaluated predicate
    # wait_for_function would install.
    for _ in range(50):
        if region.evaluate("r => r.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert region.evaluate("r => r.scrollLeft") > 0, "the arrows did not scroll it"
    # The trial's name stays in view while its other cells scroll past.
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    name = page.get_by_role("rowheader", name="TACRO-SAS")
    box, frame = name.bounding_box(), region.bounding_box()
    assert frame["x"] <= box["x"] < frame["x"] + frame["width"] / 2
    region.evaluate("r => { r.scrollLeft = 0; }")
    screenshot(page, "reader-table-390")


def test_the_table_has_room_at_desktop_width(open_page):
    page = open_page(TRIALS_URL, DESKTOP)
    region = page.locator(".table-scroll")
    body = page.locator(".brief-body").bounding_box()
    assert region.bounding_box()["width"] > body["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "reader-table-1280")


def test_the_first_sentences_show_on_the_first_phone_screen(open_page):
    page = open_page(DEMO_URL, PHONE)
    page.screenshot(path=str(screenshot(page, "reader-first-screen-390")))
    header = page.locator(".site-header").bounding_box()
    first = page.locator(".brief-body p").first.bounding_box()
    assert first["y"] + 2 * 24 < PHONE["height"], (header, first)
    assert header["height"] <= 130, header
    # Every link of the header is still there for a keyboard and a screen reader.
    header_links = page.locator(".site-header")
    for name in ("Patients et familles", "Professionnels de santé", "English"):
        link = header_links.get_by_role("link", name=name, exact=True)
        assert link.is_visible() and link.bounding_box()["y"] < header["height"], name
    assert page.get_by_role("searchbox", name="Rechercher dans les brèves").count() == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_citation_and_reference_links_are_large_enough_to_tap(open_page, viewport):
    page = open_page(DEMO_URL, viewport)
    links = page.locator("sup.cite a.cite-link, a.backref, .references li a")
    assert links.count() >= 6
    for box in links.evaluate_all(
        "ls => ls.map(l => { const r = l.getBoundingClientRect();"
        " return [l.textContent, r.width, r.height]; })"
    ):
        text, width, height = box
        assert width >= TARGET and height >= TARGET, box
    # Marked by a shape, not only a colour: underlined or framed.
    styles = links.evaluate_all(
        "ls => ls.map(l => { const s = getComputedStyle(l);"
        " return [s.textDecorationLine, s.borderTopStyle]; })"
    )
    assert all("underline" in line or border != "none" for line, border in styles)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_axe_finds_no_wcag_aa_violation_on_a_page_with_citations_and_a_table(
    open_page, viewport
):
    from axe_playwright_python.sync_playwright import Axe

    for url in (TRIALS_URL, DEMO_URL):
        page = open_page(url, viewport)
        results = Axe().run(
            page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}}
        )
        assert results.violations_count == 0, results.generate_report()
