"""One day at the desk, per role, in a real browser: the editor answers a
reviewer's comment and sends the text back, the reviewer approves it from a
phone, the chief editor schedules it, a reviewer certifies a live text."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from tests.browser import (
    BROWSER_TESTS,
    DESKTOP,
    PHONE,
    admin_login,
    admin_login_with_code,
    assert_accessible,
    enrol_authenticator,
    screenshot,
)

pytestmark = BROWSER_TESTS
PASSWORD = "pw-for-tests-only"
TITLE = "Le tacrolimus dans la dermatomyosite"
BODY = (
    "Un essai japonais a inclus 25 personnes[@takada2019].\n\n"
    "La survie à un an a atteint 88 %.\n"
)
COMMENT = "Précisez qui étaient ces 25 personnes : adultes, enfants ?"


@pytest.fixture
def people(db, settings):
    """The newsroom's people; reviewers and chief editors need their code."""
    from tests.factories import make_source, make_user

    settings.NEWSROOM_2FA_REQUIRED = True
    make_source("takada2019")
    return {
        "editor": make_user("editor", first_name="Claire", last_name="Martin"),
        "reviewer": make_user("reviewer", first_name="Paul", last_name="Lefèvre"),
        "other": make_user("reviewer", first_name="Inès", last_name="Garnier"),
        "chief": make_user("chief", first_name="Anne", last_name="Moreau"),
    }


def _page(browser, live_server, viewport):
    context = browser.new_context(
        base_url=live_server.url, viewport=viewport, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _shots(page, name: str) -> None:
    """The page as seen on a phone and on a desktop, then back to its size."""
    size = page.viewport_size
    for viewport in (PHONE, DESKTOP):
        page.set_viewport_size(viewport)
        screenshot(page, f"day-{name}-{viewport['width']}")
    page.set_viewport_size(size)


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _messages(page):
    return page.locator(".messagelist")


def _fresh(variant):
    from briefs.models import Variant

    return Variant.objects.get(pk=variant.pk)


def test_the_editor_answers_the_comment_fixes_the_text_and_sends_it_back(
    django_db_setup, live_server, people, browser
):
    from playwright.sync_api import expect

    from briefs.editorial import workflow
    from briefs.models import State
    from tests.factories import make_variant

    editor, reviewer = people["editor"], people["reviewer"]
    variant = make_variant(author=editor, title=TITLE, body=BODY)
    workflow.submit(variant=variant, user=editor, reviewer=reviewer)
    workflow.perform(
        "comment",
        variant=variant,
        user=reviewer,
        comment=COMMENT,
        part="body",
        language="fr",
        paragraph=0,
    )
    workflow.request_changes(
        variant=variant, user=reviewer, comment="Voir mon commentaire."
    )

    context, page = _page(browser, live_server, DESKTOP)
    admin_login(page, editor.username, PASSWORD)
    # Her desk: the text sent back, with what Paul asked.
    sent_back = page.locator("#desk-list-changes .desk-line")
    expect(sent_back).to_have_count(1)
    expect(sent_back.locator(".desk-request")).to_contain_text("Voir mon commentaire.")
    expect(sent_back.locator(".desk-request")).to_contain_text(
        "demandé par Paul Lefèvre"
    )
    expect(sent_back).to_contain_text("1 commentaire ouvert")
    assert_accessible(page, "editor-desk")
    _shots(page, "editor-desk")
    sent_back.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/admin/briefs/variant/{variant.pk}/change/"))

    # The comment waits at the top of the page, at its paragraph.
    panel = page.locator("#comments")
    expect(panel.get_by_role("heading")).to_have_text(
        "1 commentaire de relecture à traiter"
    )
    expect(panel).to_contain_text("§1")
    expect(panel.locator(".comment-quote")).to_contain_text("25 personnes")
    expect(panel.locator(".comment-thread")).to_contain_text("Paul Lefèvre")
    expect(panel.locator(".comment-thread")).to_contain_text(COMMENT)
    assert_accessible(page, "editor-comment-to-answer")
    _shots(page, "editor-comment-to-answer")

    panel.get_by_label("Réponse").fill("Des adultes, je le précise dans le texte.")
    panel.get_by_role("button", name="Répondre").click()
    expect(_messages(page)).to_contain_text("Répondre : fait.")
    expect(page).to_have_url(re.compile(rf"/variant/{variant.pk}/change/#comments$"))
    expect(panel.locator(".comment-reply")).to_contain_text(
        "Des adultes, je le précise dans le texte."
    )

    # The fix, in the Markdown field, saved before the comment is resolved.
    body = page.get_by_label("Texte (Markdown)").filter(visible=True)
    body.fill(
        body.input_value().replace("25 personnes", "25 adultes atteints de la maladie")
    )
    page.get_by_role(
        "button", name="Enregistrer et continuer les modifications"
    ).last.click()
    expect(_messages(page)).to_contain_text("modifié avec succès")
    expect(panel).to_contain_text("§1")
    panel.get_by_role("button", name="Marquer comme résolu").click()
    expect(_messages(page)).to_contain_text("Marquer comme résolu : fait.")
    expect(page.locator("#comments")).to_have_count(0)

    # Back to Paul, for the day after tomorrow.
    due = timezone.localdate() + dt.timedelta(days=2)
    expect(page.get_by_label("Relecteur")).to_have_value(str(reviewer.pk))
    page.get_by_label("Relecteur").select_option(label="Paul Lefèvre")
    page.get_by_label("Relecture attendue pour le").fill(due.isoformat())
    page.get_by_label("Commentaire (obligatoire pour demander des modifications)").fill(
        "Précisé au premier paragraphe."
    )
    assert_accessible(page, "editor-resubmits")
    page.get_by_role("button", name="Soumettre à relecture").click()
    expect(_messages(page)).to_contain_text(
        "Soumettre à relecture : fait (modifications demandées → en relecture)."
    )
    expect(page.locator(".assignment")).to_contain_text(
        f"Relecture confiée à Paul Lefèvre, attendue pour le {due:%d/%m/%Y}"
    )
    _shots(page, "editor-resubmitted")
    context.close()

    variant = _fresh(variant)
    assert variant.state == State.IN_REVIEW
    assert variant.assigned_to == reviewer and variant.assignment_due == due
    assert "25 adultes atteints de la maladie" in variant.latest_revision.body_fr


def test_the_reviewer_approves_from_a_phone(
    django_db_setup, live_server, people, browser
):
    from playwright.sync_api import expect

    from briefs.editorial import workflow
    from briefs.models import State
    from tests.factories import make_variant

    editor, reviewer = people["editor"], people["reviewer"]
    variant = make_variant(author=editor, title=TITLE, body=BODY)
    workflow.submit(
        variant=variant,
        user=editor,
        reviewer=reviewer,
        due=timezone.localdate() + dt.timedelta(days=1),
    )
    device = enrol_authenticator(reviewer)

    context, page = _page(browser, live_server, PHONE)
    admin_login_with_code(page, reviewer, PASSWORD, device)
    # His desk: one text entrusted to him, for tomorrow.
    assigned = page.locator("#desk-list-assigned .desk-line")
    expect(assigned).to_have_count(1)
    expect(assigned.locator(".desk-title")).to_have_text(TITLE)
    tomorrow = date_format(timezone.localdate() + dt.timedelta(days=1), "DATE_FORMAT")
    expect(assigned).to_contain_text(f"attendu pour le {tomorrow}")
    assert _overflow(page) <= 0
    assert_accessible(page, "reviewer-desk")
    _shots(page, "reviewer-desk")
    assigned.get_by_role("link", name="Relire et décider").click()
    page.wait_for_url(re.compile(rf"/admin/briefs/variant/{variant.pk}/change/"))
    expect(page.locator(".assignment")).to_contain_text("Relecture confiée à Paul")

    # He reads it paragraph by paragraph.
    page.get_by_role(
        "link", name="relire et commenter paragraphe par paragraphe"
    ).click()
    page.wait_for_url(f"**/variant/{variant.pk}/revisions/1/review/")
    paragraphs = page.locator(".review-language[lang=fr] .review-paragraph")
    expect(paragraphs.filter(has_text="25 personnes")).to_have_count(1)
    expect(paragraphs.filter(has_text="88 %")).to_have_count(1)
    assert _overflow(page) <= 0
    assert_accessible(page, "reviewer-reads")
    _shots(page, "reviewer-reads")

    # Nothing to say: back to the text, approved.
    page.locator(".breadcrumbs").get_by_role("link", name=str(variant)).click()
    page.get_by_role("button", name="Approuver").click()
    expect(_messages(page)).to_contain_text(
        "Approuver : fait (en relecture → approuvé)."
    )
    expect(page.locator(".workflow-panel strong.state")).to_have_text("approuvé")
    assert _overflow(page) <= 0
    assert_accessible(page, "reviewer-approved")
    _shots(page, "reviewer-approved")
    context.close()
    assert _fresh(variant).state == State.APPROVED


def test_the_chief_editor_schedules_an_approved_text(
    django_db_setup, live_server, people, browser
):
    from playwright.sync_api import expect

    from briefs.editorial import workflow
    from briefs.models import State
    from tests.factories import make_variant

    editor, chief = people["editor"], people["chief"]
    variant = make_variant(author=editor, title=TITLE, body=BODY)
    workflow.submit(variant=variant, user=editor, reviewer=people["reviewer"])
    workflow.approve(variant=variant, user=people["reviewer"])
    device = enrol_authenticator(chief)

    context, page = _page(browser, live_server, DESKTOP)
    admin_login_with_code(page, chief, PASSWORD, device)
    # Her desk: one approved text waits to be published.
    approved = page.locator("#desk-list-approved .desk-line")
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text("approuvé par Paul Lefèvre")
    expect(page.locator("#desk-list-scheduled")).to_contain_text(
        "Aucune publication programmée d'ici la fin de la semaine."
    )
    assert_accessible(page, "chief-desk")
    _shots(page, "chief-desk")
    approved.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/admin/briefs/variant/{variant.pk}/change/"))

    # Tomorrow morning at nine, Paris time.
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_role("button", name="Programmer…").click()
    page.get_by_label("Programmer la publication le (heure de Paris").fill(
        f"{tomorrow.isoformat()}T09:00"
    )
    page.get_by_role("button", name="Programmer la publication", exact=True).click()
    nine = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(9, 0)))
    expect(_messages(page)).to_contain_text(
        f"Publier : publication programmée le {date_format(nine, 'DATETIME_FORMAT')}"
        " (heure de Paris) ; le texte n'est pas encore en ligne."
    )
    expect(page.locator(".workflow-panel")).to_contain_text("publication programmée le")
    assert_accessible(page, "chief-scheduled")
    _shots(page, "chief-scheduled")

    # The calendar has it tomorrow at nine (next month's page on a last day).
    page.locator("#user-tools").get_by_role("link", name="Calendrier").click()
    page.wait_for_url("**/admin/calendar/")
    if tomorrow.month != timezone.localdate().month:
        page.get_by_role("link", name="Mois suivant").click()
    day = page.locator(".calendar-month td").filter(
        has=page.locator(f'time[datetime="{tomorrow.isoformat()}"]')
    )
    entry = day.locator(".entry-publication")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(f"Publication programmée 09:00 {TITLE} AFM")
    assert_accessible(page, "chief-calendar")
    _shots(page, "chief-calendar")
    entry.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/admin/briefs/variant/{variant.pk}/change/"))

    # Back on her desk: no longer waiting; planned this week unless it is Sunday.
    page.locator(".breadcrumbs").get_by_role("link", name="Accueil").click()
    expect(page.locator("#desk-list-approved")).to_contain_text(
        "Aucun texte approuvé n'attend de publication."
    )
    scheduled = page.locator("#desk-list-scheduled .desk-line")
    if tomorrow.isocalendar()[:2] == timezone.localdate().isocalendar()[:2]:
        expect(scheduled).to_have_count(1)
        expect(scheduled).to_contain_text(
            f"programmée le {date_format(nine, 'DATETIME_FORMAT')}"
        )
    else:
        expect(scheduled).to_have_count(0)
    _shots(page, "chief-desk-after")
    context.close()

    variant = _fresh(variant)
    assert variant.state == State.APPROVED
    when = timezone.localtime(variant.scheduled_at)
    assert (when.date(), when.hour, when.minute) == (tomorrow, 9, 0)


def test_a_reviewer_certifies_a_live_text_and_its_public_date_moves(
    django_db_setup, live_server, people, browser
):
    import time_machine
    from playwright.sync_api import expect

    from tests.factories import make_variant, publish

    editor, reviewer = people["editor"], people["other"]
    long_ago = timezone.now() - dt.timedelta(days=400)
    with time_machine.travel(long_ago, tick=False):
        variant = publish(
            make_variant(author=editor, title=TITLE, body=BODY),
            reviewer=people["reviewer"],
            chief=people["chief"],
        )
    then = date_format(timezone.localtime(long_ago).date(), "DATE_FORMAT")
    today = date_format(timezone.localdate(), "DATE_FORMAT")
    device = enrol_authenticator(reviewer)

    # A reader has the page open: last reviewed long ago.
    reader_context, reader = _page(browser, live_server, PHONE)
    reader.goto(variant.get_absolute_url())
    expect(reader.locator(".notice-stale")).to_contain_text(
        f"Dernière relecture le {then}"
    )

    context, page = _page(browser, live_server, DESKTOP)
    admin_login_with_code(page, reviewer, PASSWORD, device)
    # Her desk: a live page past its review date.
    due = page.locator("#desk-list-periodic .desk-line")
    expect(due).to_have_count(1)
    expect(due.locator(".desk-title")).to_have_text(TITLE)
    expect(due).to_contain_text("approuvé par Paul Lefèvre")
    due.get_by_role("link", name=TITLE).click()
    page.wait_for_url(re.compile(rf"/admin/briefs/variant/{variant.pk}/change/"))
    page.get_by_label("Commentaire (obligatoire pour demander des modifications)").fill(
        "Relu avec les recommandations de cette année : toujours exact."
    )
    page.get_by_role("button", name="Relu, toujours exact").click()
    expect(_messages(page)).to_contain_text("Relu, toujours exact : fait.")
    assert_accessible(page, "reviewer-certified")
    _shots(page, "reviewer-certified")

    context.close()

    # The reader reloads (the browser keeps a page a minute, then asks again).
    reader.reload()
    reviewed = reader.locator(".trust-facts > div").filter(
        has_text="Dernière relecture"
    )
    expect(reviewed.locator("dd")).to_have_text(today)
    expect(reader.locator(".notice-stale")).to_have_count(0)
    _shots(reader, "public-reviewed-again")
    reader_context.close()
    assert _fresh(variant).last_reviewed_at.date() == timezone.now().date()
