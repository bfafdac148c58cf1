"""A reviewer in a real browser meets the figure differences of a brief and
cannot approve it without ticking each one."""

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def mistranslated(db):
    from briefs.editorial import workflow
    from tests.factories import make_source, make_user, make_variant

    source = make_source("takada2019")
    make_user("reviewer", username="lefevre", first_name="Paul", last_name="Lefèvre")
    variant = make_variant(
        title="Le tacrolimus dans la dermatomyosite",
        body=(
            f"La survie à un an a atteint 85 %[@{source.key}]. "
            f"L'essai a inclus 25 patients[@{source.key}].\n"
        ),
        title_en="Tacrolimus in dermatomyositis",
        body_en=(
            f"One-year survival reached 88%[@{source.key}]. "
            f"The trial included 25 patients[@{source.key}].\n"
        ),
    )
    workflow.submit(variant=variant, user=variant.author)
    return variant


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_reviewer_ticks_each_figure_difference_before_approving(
    django_db_setup, live_server, mistranslated, browser, viewport
):
    from playwright.sync_api import expect

    from briefs.models import ReviewEvent, State, Variant

    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, "lefevre", PASSWORD)
    page.goto(f"/admin/briefs/variant/{mistranslated.pk}/change/")

    panel = page.locator("#figures")
    expect(panel).to_contain_text("« 85 % » devenu « 88% » en anglais")
    box = page.get_by_label("« 85 % » devenu « 88% » en anglais")
    expect(box).to_be_visible()
    screenshot(page, f"reviewer-figures-{viewport['width']}")

    # Approving without ticking is refused, and says why.
    page.get_by_role("button", name="Approuver").click()
    expect(page.locator(".messagelist")).to_contain_text("Cochez chaque différence")
    assert Variant.objects.get(pk=mistranslated.pk).state == State.IN_REVIEW

    page.get_by_label("« 85 % » devenu « 88% » en anglais").check()
    page.get_by_role("button", name="Approuver").click()
    expect(page.locator(".messagelist")).to_contain_text("Approuver : fait")
    assert Variant.objects.get(pk=mistranslated.pk).state == State.APPROVED
    event = ReviewEvent.objects.filter(action="approve").get()
    assert "« 85 % » devenu « 88% » en anglais" in event.comment
    context.close()
