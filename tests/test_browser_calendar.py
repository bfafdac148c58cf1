"""The editorial calendar in a real browser, on a phone and on a desktop."""

import datetime as dt

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def month(db):
    """A month with dates of every kind, long titles included."""
    from django.utils import timezone

    from briefs.editorial import calendar
    from briefs.models import Variant
    from tests.factories import make_user
    from tests.test_calendar import assignment_due, review_due, scheduled

    chief = make_user("chief", first_name="Anne", last_name="Moreau")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre-Dumontier")
    today = calendar.today()
    zone = timezone.get_default_timezone()

    def at(day: int, hour: int) -> dt.datetime:
        return dt.datetime(today.year, today.month, day, hour, 30, tzinfo=zone)

    scheduled(at(3, 8), title="Le tacrolimus dans la dermatomyosite")
    scheduled(at(3, 14), title="Immunoglobulines", audience="aim")
    review_due(
        at(12, 10),
        title="Pneumopathie interstitielle associée aux anticorps anti-MDA5 : "
        "ce que change le dépistage précoce",
    )
    assignment_due(
        dt.date(today.year, today.month, 20),
        reviewer=reviewer,
        title="Myosite à inclusions : un essai négatif",
    )
    assignment_due(
        dt.date(today.year, today.month, 20),
        reviewer=reviewer,
        title="Anticorpsantisynthétasesetatteintepulmonairesansespaces",
        audience="aim",
    )
    assert Variant.objects.count() == 5
    return chief


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("view", ["month", "week"])
def test_the_calendar_fits_the_screen_and_opens_a_variant(
    django_db_setup, live_server, month, browser, viewport, view
):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, month.username, PASSWORD)
    page.get_by_role("link", name="Calendrier", exact=True).click()
    page.wait_for_url("**/admin/calendar/")
    if view == "week":
        page.get_by_role("link", name="Semaine", exact=True).click()
        page.wait_for_url("**/admin/calendar/?week=*")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendrier éditorial")

    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    screenshot(page, f"calendar-{view}-{viewport['width']}")
    assert width <= inner, f"the page scrolls sideways: {width} > {inner}"

    if view == "month":
        link = page.get_by_role("link", name="Le tacrolimus dans la dermatomyosite")
        if viewport is PHONE:
            # The month is a list of the days that have something.
            expect(page.locator(".calendar-month")).to_be_hidden()
            expect(page.locator(".calendar-days h3").first).to_be_visible()
        else:
            expect(page.get_by_role("table", name="Échéances")).to_be_visible()
        link = link.locator("visible=true")
        expect(link).to_have_count(1)
        link.click()
        page.wait_for_url("**/admin/briefs/variant/*/change/")
    context.close()
