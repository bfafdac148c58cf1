"""The desk of each role in a real browser, on a phone and a desktop."""

import datetime as dt

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"
LONG_TITLE = (
    "Le tacrolimus dans la dermatomyosite de l'enfant avec atteinte pulmonaire "
    "interstitielle : résultats à un an d'un essai multicentrique japonais"
)


@pytest.fixture
def newsroom(db):
    """A person of each role, and texts on each of their lists."""
    from django.utils import timezone

    from briefs.editorial import workflow
    from briefs.models import ReviewComment, Variant
    from tests.factories import make_user, make_variant, publish

    editor = make_user("editor", first_name="Claire", last_name="Martin")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    chief = make_user("chief", first_name="Anne", last_name="Moreau")
    today = timezone.localdate()

    def submitted(title, **assignment):
        variant = make_variant(author=editor, title=title)
        workflow.submit(variant=variant, user=editor)
        Variant.objects.filter(pk=variant.pk).update(**assignment)
        return Variant.objects.get(pk=variant.pk)

    make_variant(author=editor, title="Un brouillon en cours")
    back = submitted(LONG_TITLE)
    workflow.request_changes(
        variant=back,
        user=reviewer,
        comment="Précisez la dose (5 à 10 ng/mL) et citez l'essai de 2019 : "
        "https://doi.org/10.1000/une-adresse-tres-longue-sans-espace-aucun-0123456789",
    )
    ReviewComment.objects.create(
        variant=back,
        revision=back.latest_revision,
        body="Source ?",
        author=reviewer,
    )
    submitted(
        "Confié à Paul, attendu hier",
        assigned_to=reviewer,
        assignment_due=today - dt.timedelta(days=1),
    )
    submitted("En attente de tout relecteur")
    approved = submitted("Approuvé, à publier")
    workflow.approve(variant=approved, user=reviewer)
    planned = submitted("Programmé demain")
    workflow.approve(variant=planned, user=reviewer)
    workflow.publish(
        variant=planned, user=chief, at=timezone.now() + dt.timedelta(days=1)
    )
    page = publish(
        make_variant(author=editor, title="Une page à relire"), reviewer=reviewer
    )
    Variant.objects.filter(pk=page.pk).update(
        review_due_at=timezone.now() - dt.timedelta(days=3)
    )
    return {"editor": editor, "reviewer": reviewer, "chief": chief}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("role", ["editor", "reviewer", "chief"])
def test_each_roles_desk_fits_the_screen(
    django_db_setup, live_server, newsroom, browser, role, viewport
):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, newsroom[role].username, PASSWORD)

    expect(page.locator(f"#desk-{role} h2")).to_be_visible()
    expect(page.locator("#apps")).to_be_attached()
    if role != "editor":
        expect(page.locator(".is-overdue .desk-late").first).to_have_text("⚠ En retard")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        "the desk scrolls sideways"
    )
    screenshot(page, f"desk-{role}-{viewport['width']}")

    # Each line opens the variant's page, where its buttons are.
    page.locator(f"#desk-{role} a.desk-title").first.click()
    page.wait_for_url("**/admin/briefs/variant/*/change/")
    context.close()


def test_the_overdue_marks_stay_readable_in_the_dark_theme(
    django_db_setup, live_server, newsroom, browser
):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="fr-FR", color_scheme="dark"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, newsroom["chief"].username, PASSWORD)
    mark = page.locator("#desk-list-overdue .desk-late").first
    expect(mark).to_have_text("⚠ En retard")
    colour = mark.evaluate("element => getComputedStyle(element).color")
    assert colour == "rgb(255, 180, 170)"
    screenshot(page, "desk-chief-390-dark")
    context.close()
