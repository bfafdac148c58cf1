"""The back office's desk pages pass axe's WCAG 2.1/2.2 A and AA checks
(no serious or critical violation), on a phone and on a desktop."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser import (
    BROWSER_TESTS,
    DESKTOP,
    PHONE,
    admin_login,
    assert_accessible,
)

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"
BODY = (
    "Un essai japonais a inclus 25 personnes[@takada2019].\n\n"
    "La survie à un an a atteint 88 %.\n"
)


@pytest.fixture
def desk(db):
    """A text under review with a comment and its answer, and one sent back."""
    from briefs.editorial import workflow
    from briefs.models import ReviewComment
    from tests.factories import make_source, make_user, make_variant, publish

    make_source("takada2019")
    editor = make_user("editor", first_name="Claire", last_name="Martin")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    chief = make_user("chief", first_name="Anne", last_name="Moreau")
    due = timezone.localdate() + dt.timedelta(days=2)

    reviewed = publish(
        make_variant(author=editor, title="Le tacrolimus en essai", body=BODY),
        reviewer=reviewer,
        chief=chief,
    )
    reviewed.body_fr = BODY.replace("88 %", "85 %")
    workflow.save_content(variant=reviewed, user=editor, expected_edit_count=None)
    workflow.submit(
        variant=reviewed,
        user=editor,
        change_kind="substance",
        change_note="Le chiffre de survie est corrigé.",
        reviewer=reviewer,
        due=due,
    )
    sent_back = make_variant(author=editor, title="Une brève à reprendre", body=BODY)
    workflow.submit(variant=sent_back, user=editor, reviewer=reviewer, due=due)
    for variant in (reviewed, sent_back):
        workflow.perform(
            "comment",
            variant=variant,
            user=reviewer,
            comment="Précisez qui étaient ces 25 personnes.",
            part="body",
            language="fr",
            paragraph=0,
        )
        workflow.perform(
            "reply_comment",
            variant=variant,
            user=editor,
            comment="Des adultes atteints de dermatomyosite.",
            comment_id=ReviewComment.objects.get(variant=variant).pk,
        )
    workflow.request_changes(
        variant=sent_back, user=reviewer, comment="Voir mon commentaire."
    )
    return {
        "editor": editor,
        "reviewer": reviewer,
        "chief": chief,
        "reviewed": reviewed,
        "sent_back": sent_back,
    }


def _pages(desk) -> dict[str, list[tuple[str, str]]]:
    reviewed = desk["reviewed"].pk
    sent_back = desk["sent_back"].pk
    number = desk["reviewed"].revisions.order_by("-number").first().number
    return {
        "editor": [
            ("desk-editor", "/admin/"),
            ("variant-changes-requested", f"/admin/briefs/variant/{sent_back}/change/"),
        ],
        "reviewer": [
            ("desk-reviewer", "/admin/"),
            ("variant-in-review", f"/admin/briefs/variant/{reviewed}/change/"),
            ("diff", f"/admin/briefs/variant/{reviewed}/diff/"),
            (
                "review-with-comments",
                f"/admin/briefs/variant/{reviewed}/revisions/{number}/review/",
            ),
        ],
        "chief": [
            ("desk-chief", "/admin/"),
            ("variant-list", "/admin/briefs/variant/"),
            ("calendar-month", "/admin/calendar/"),
            ("calendar-week", "/admin/calendar/?view=week"),
        ],
    }


# Django's admin follows the system's dark theme: it is checked on a phone.
SCREENS = [(PHONE, "light"), (DESKTOP, "light"), (PHONE, "dark")]


@pytest.mark.parametrize(
    ("viewport", "scheme"), SCREENS, ids=["phone", "desktop", "phone-dark"]
)
@pytest.mark.parametrize("role", ["editor", "reviewer", "chief"])
def test_each_role_s_pages_have_no_serious_accessibility_problem(
    django_db_setup, live_server, desk, browser, viewport, scheme, role
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport=viewport,
        locale="fr-FR",
        color_scheme=scheme,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_login(page, desk[role].username, PASSWORD)
    for name, url in _pages(desk)[role]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, f"{name}-{viewport['width']}-{scheme}")
    context.close()


def test_the_check_names_what_it_finds(browser):
    """An unnamed menu and a low-contrast text are reported with their place."""
    from tests.browser import accessibility_problems, describe_violations

    page = browser.new_page()
    page.set_content(
        '<html lang="fr"><head><title>Essai</title></head><body><main>'
        '<select id="lonely"><option>fr</option></select>'
        '<p style="color:#bbb;background:#fff">Texte pâle</p></main></body></html>'
    )
    problems = accessibility_problems(page)
    assert {p["id"] for p in problems} == {"select-name", "color-contrast"}
    report = describe_violations(problems)
    assert "select-name (critical)" in report and "#lonely" in report
    page.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_code_page_a_reviewer_meets_has_no_serious_accessibility_problem(
    django_db_setup, live_server, settings, browser, viewport
):
    from tests.browser import enrol_authenticator
    from tests.factories import make_user

    settings.NEWSROOM_2FA_REQUIRED = True
    reviewer = make_user("reviewer")
    enrol_authenticator(reviewer)
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/admin/login/?next=/admin/")
    assert_accessible(page, f"sign-in-{viewport['width']}")
    page.get_by_label("Nom d’utilisateur").fill(reviewer.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/two-factor/verify/**")
    assert_accessible(page, f"two-factor-code-{viewport['width']}")
    context.close()
