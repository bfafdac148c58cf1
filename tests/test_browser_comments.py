"""An editor in a real browser finds a reviewer's comment beside its
paragraph in the preview of the text being edited."""

import pytest

from tests.browser import BROWSER_TESTS, DESKTOP, admin_login, screenshot

pytestmark = BROWSER_TESTS


@pytest.fixture
def commented(db):
    from briefs.editorial import workflow
    from briefs.models import Variant
    from tests.factories import make_source, make_user, make_variant

    source = make_source("takada2019")
    editor = make_user("editor", username="martin", first_name="Claire")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    variant = make_variant(
        author=editor,
        body=(
            f"La survie à un an a atteint 85 %[@{source.key}].\n\n"
            "Le tacrolimus est un immunosuppresseur.\n"
        ),
    )
    workflow.submit(variant=variant, user=editor)
    workflow.perform(
        "comment",
        variant=Variant.objects.get(pk=variant.pk),
        user=reviewer,
        comment="Précisez la dose.",
        part="body",
        language="fr",
        paragraph=1,
    )
    workflow.request_changes(
        variant=Variant.objects.get(pk=variant.pk), user=reviewer, comment=""
    )
    return variant


def test_the_comment_is_marked_beside_its_paragraph_in_the_preview(
    django_db_setup, live_server, commented, browser
):
    from playwright.sync_api import expect

    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, "martin", "pw-for-tests-only")
    page.goto(f"/admin/briefs/variant/{commented.pk}/change/")
    expect(page.locator("#comments")).to_contain_text("Précisez la dose.")
    preview = (
        page.locator("#id_body_fr")
        .locator("xpath=ancestor::*[contains(@class,'markdownx')]")
        .locator(".markdownx-preview")
    )
    marked = preview.locator(".has-comment")
    expect(marked).to_have_count(1)
    expect(marked).to_contain_text("Le tacrolimus est un immunosuppresseur.")
    # Typing re-renders the preview: the mark comes back.
    body = page.locator("#id_body_fr")
    body.fill(body.input_value() + "\nUne phrase de plus.\n")
    expect(preview).to_contain_text("Une phrase de plus.")
    expect(preview.locator(".comment-marker")).to_have_count(1)
    screenshot(page, "editor-comment-marker-1280")
    marked.locator(".comment-marker").click()
    assert page.url.endswith(f"#c{commented.comments.get().pk}")
    context.close()
