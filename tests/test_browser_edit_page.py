"""The variant's editing page, its diff and its preview, on a phone and a desk."""

import re

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, PHONE, admin_login, screenshot

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def variant(db):
    from tests.test_edit_page import sent_back_correction

    return sent_back_correction()


def _page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_editing_pages_fit_the_screen(
    django_db_setup, live_server, variant, browser, viewport
):
    from playwright.sync_api import expect

    width = viewport["width"]
    context, page = _page(browser, live_server, viewport)
    admin_login(page, variant.author.username, PASSWORD)
    base = f"/admin/briefs/variant/{variant.pk}"

    page.goto(f"{base}/change/")
    page.wait_for_load_state("load")
    title = page.locator("#id_title_fr")
    expect(title).to_be_visible()
    # The title spans the form, its count below it, live.
    form_box = page.locator(".form-row.field-title_fr").bounding_box()
    assert title.bounding_box()["width"] >= 0.6 * form_box["width"]
    count = page.locator("#id_title_fr-count")
    expect(count).to_have_text("48 / 300 caractères")
    title.fill("Le tacrolimus, à l'âge adulte")
    expect(count).to_have_text("29 / 300 caractères")
    standfirst = page.locator("#id_standfirst_fr")
    standfirst_count = page.locator("#id_standfirst_fr-count")
    expect(standfirst_count).to_have_text("23 / 2000 caractères")
    standfirst.fill("é" * 2003)
    expect(standfirst_count).to_have_text("2003 / 2000 caractères — 3 de trop")
    expect(standfirst_count).to_have_class(re.compile("over"))
    standfirst.fill("Deux études japonaises.")
    # The Markdown editor beside its preview on a desk, above it on a phone.
    editor = page.locator("#id_body_fr").bounding_box()
    preview = page.locator(".field-body_fr .markdownx-preview")
    expect(preview).to_contain_text("Allemagne")
    shown = preview.bounding_box()
    if width >= 1024:
        assert shown["x"] >= editor["x"] + editor["width"]
        assert abs(shown["y"] - editor["y"]) < 60
    else:
        assert shown["y"] >= editor["y"] + editor["height"]
        assert shown["width"] >= 0.9 * editor["width"]
    screenshot(page, f"edit-page-variant-{width}")
    assert _page_width(page) <= width

    page.goto(f"{base}/diff/")
    expect(page.locator(".diff-field").first).to_be_visible()
    screenshot(page, f"edit-page-diff-{width}")
    assert _page_width(page) <= width

    page.goto(f"{base}/history/")
    expect(page.locator(".review-events")).to_contain_text("modifications demandées")
    screenshot(page, f"edit-page-history-{width}")
    assert _page_width(page) <= width

    page.goto(f"{base}/revisions/2/preview/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, f"edit-page-preview-{width}")
    assert _page_width(page) <= width
    context.close()


@pytest.fixture
def in_review(db):
    from tests.test_edit_page import in_review_variant

    return in_review_variant()


def test_asking_for_changes_without_a_comment_is_held_back_on_the_page(
    django_db_setup, live_server, in_review, browser
):
    from playwright.sync_api import expect

    from briefs.models import State, Variant
    from tests.factories import make_user

    reviewer = make_user("reviewer")
    context, page = _page(browser, live_server, PHONE)
    admin_login(page, reviewer.username, PASSWORD)
    page.goto(f"/admin/briefs/variant/{in_review.pk}/change/")
    comment = page.locator("#id_workflow-comment")
    expect(comment).to_be_visible()
    ask = page.get_by_role("button", name="Demander des modifications")
    # Empty, the page holds it back and says the comment is needed; the
    # server would refuse it too.
    ask.click()
    expect(comment).to_be_focused()
    expect(page.locator("label[for=id_workflow-comment]")).to_have_text(
        "Commentaire (obligatoire) : ce qu'il faut changer"
    )
    assert page.evaluate("document.activeElement.validity.valueMissing")
    assert Variant.objects.get(pk=in_review.pk).state == State.IN_REVIEW
    comment.fill("Précisez la dose de tacrolimus.")
    screenshot(page, "edit-page-request-changes-390")
    assert _page_width(page) <= PHONE["width"]
    ask.click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Demander des modifications : fait"
    )
    variant = Variant.objects.get(pk=in_review.pk)
    assert variant.state == State.CHANGES_REQUESTED
    assert variant.events.first().comment == "Précisez la dose de tacrolimus."
    context.close()


@pytest.fixture
def approved(db):
    from tests.test_edit_page import approved_variant

    return approved_variant()


def test_a_chief_schedules_in_paris_time_or_publishes_at_once(
    django_db_setup, live_server, approved, browser
):
    import datetime as dt

    from playwright.sync_api import expect

    from briefs.models import Variant
    from tests.factories import make_user

    chief = make_user("chief")
    context, page = _page(browser, live_server, DESKTOP)
    admin_login(page, chief.username, PASSWORD)
    page.goto(f"/admin/briefs/variant/{approved.pk}/change/")
    date = page.locator("#id_workflow-publish_at")
    expect(date).to_be_hidden()
    expect(page.locator("#id_workflow-comment")).to_have_count(0)
    page.get_by_role("button", name="Programmer…").click()
    expect(date).to_be_visible()
    expect(page.locator("label[for=id_workflow-publish_at]")).to_contain_text(
        "heure de Paris"
    )
    date.fill("2031-07-15T09:15")
    screenshot(page, "edit-page-schedule-1280")
    page.locator("[data-workflow-go]").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "Publier : publication programmée le 15 juillet 2031 09:15 (heure de Paris)"
        " ; le texte n'est pas encore en ligne."
    )
    variant = Variant.objects.get(pk=approved.pk)
    assert variant.scheduled_at == dt.datetime(2031, 7, 15, 7, 15, tzinfo=dt.UTC)
    assert variant.live_revision is None

    # "Publier" publishes now, whatever was typed in a step closed since.
    page.get_by_role("button", name="Programmer…").click()
    date.fill("2031-08-01T10:00")
    page.get_by_role("button", name="Annuler").click()
    page.get_by_role("button", name="Publier", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("Publier : fait")
    variant = Variant.objects.get(pk=approved.pk)
    assert variant.live_revision is not None and variant.scheduled_at is None
    context.close()


def test_without_javascript_every_control_shows_and_posts(
    django_db_setup, live_server, in_review, browser
):
    from playwright.sync_api import expect

    from briefs.models import State, Variant
    from tests.factories import make_user

    reviewer = make_user("reviewer")
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        locale="fr-FR",
        java_script_enabled=False,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, reviewer.username, PASSWORD)
    page.goto(f"/admin/briefs/variant/{in_review.pk}/change/")
    expect(page.locator("[data-workflow-go]")).to_be_hidden()
    page.locator("#id_workflow-comment").fill("Bon pour moi, sous réserve.")
    page.get_by_role("button", name="Approuver").click()
    expect(page.locator(".messagelist")).to_contain_text("Approuver : fait")
    variant = Variant.objects.get(pk=in_review.pk)
    assert variant.state == State.APPROVED
    assert variant.events.first().comment == "Bon pour moi, sous réserve."
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_source_gets_one_more_author_row_per_click(
    django_db_setup, live_server, browser, viewport
):
    from playwright.sync_api import expect

    from briefs.models import Source
    from tests.factories import make_source, make_user

    editor = make_user("editor")
    source = make_source("takada2019", authors=[{"family": "Takada", "given": "K"}])
    context, page = _page(browser, live_server, viewport)
    admin_login(page, editor.username, PASSWORD)
    page.goto(f"/admin/briefs/source/{source.pk}/change/")
    rows = page.locator(".author-row")
    expect(rows).to_have_count(4)
    for _ in range(4):
        page.get_by_role("button", name="Ajouter un auteur").click()
    expect(rows).to_have_count(8)
    expect(page.locator("#id_authors-7-family")).to_be_focused()
    page.locator("#id_authors-7-family").fill("Lefèvre")
    page.locator("#id_authors-7-given").fill("Paul")
    page.get_by_label("et al. (d'autres auteurs suivent)").check()
    screenshot(page, f"edit-page-source-authors-{viewport['width']}")
    assert _page_width(page) <= viewport["width"]
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("modifié")
    assert Source.objects.get(pk=source.pk).authors == [
        {"family": "Takada", "given": "K"},
        {"family": "Lefèvre", "given": "Paul"},
        {"others": True},
    ]
    context.close()
