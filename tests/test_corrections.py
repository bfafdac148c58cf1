"""A correction of substance is told to readers on the page; a minor one is not."""

import re

import pytest
import time_machine

from briefs.editorial import workflow
from briefs.models import Variant
from tests import budgets
from tests.factories import make_source, make_user, make_variant

FR = "Le tacrolimus a été donné à 25 patients[@{key}].\n\nUne phrase sans chiffre.\n"
EN = "Tacrolimus was given to 25 patients[@{key}].\n\nA sentence.\n"


@pytest.fixture
def live(db):
    """A brief published in French and English on 2 March 2026."""
    source = make_source("takada2019")
    variant = make_variant(
        body=FR.format(key=source.key),
        title_en="Tacrolimus",
        body_en=EN.format(key=source.key),
        slug="tacrolimus",
    )
    variant.people = {"reviewer": make_user("reviewer"), "chief": make_user("chief")}
    with time_machine.travel("2026-03-02 10:00 +01:00", tick=False):
        republish(variant, kind="", note="")
    return variant


def republish(variant, *, kind, note):
    """Edit (unless first published), submit as ``kind``, approve, publish."""
    fresh = Variant.objects.get(pk=variant.pk)
    options = {}
    if fresh.is_live:
        fresh.body_fr = fresh.body_fr + "\nEncore une phrase.\n"
        fresh.body_en = fresh.body_en + "\nOne more sentence.\n"
        fresh = workflow.save_content(
            variant=fresh, user=variant.author, expected_edit_count=fresh.edit_count
        )
        options = {"change_kind": kind, "change_note": note, "translation": "updated"}
    workflow.perform("submit", variant=fresh, user=variant.author, **options)
    workflow.perform("approve", variant=fresh, user=variant.people["reviewer"])
    workflow.publish(variant=fresh, user=variant.people["chief"])
    return Variant.objects.get(pk=variant.pk)


def notice(page: str) -> str:
    found = re.search(r'<p class="notice correction-latest">(.*?)</p>', page, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def test_a_first_publication_says_nothing_of_corrections(live, client):
    page = client.get("/fr/afm/tacrolimus/").content.decode()
    assert notice(page) == ""
    assert Variant.objects.get(pk=live.pk).corrections == []


def test_a_correction_of_substance_is_shown_with_its_date_and_note(live, client):
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        republish(live, kind="substance", note="Le nombre de patients était faux.")
    page = client.get("/fr/afm/tacrolimus/").content.decode()
    assert (
        notice(page)
        == "Mis à jour le 15 avril 2026 : Le nombre de patients était faux."
    )


def test_a_minor_correction_stays_silent(live, client):
    republish(live, kind="minor", note="")
    page = client.get("/fr/afm/tacrolimus/").content.decode()
    assert notice(page) == ""
    assert "correction-history" not in page


def test_the_english_page_says_updated_on_with_the_note_in_french(live, client):
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        republish(live, kind="substance", note="Le nombre de patients était faux.")
    page = client.get("/en/afm/tacrolimus/").content.decode()
    assert notice(page) == (
        "Updated on April 15, 2026: Le nombre de patients était faux. "
        "(note written in French)"
    )
    assert '<span lang="fr">Le nombre de patients était faux.</span>' in page


def test_the_history_keeps_every_substance_correction_newest_first(live, client):
    with time_machine.travel("2026-04-15 09:00 +02:00", tick=False):
        republish(live, kind="substance", note="Premier correctif.")
    republish(live, kind="minor", note="")
    with time_machine.travel("2026-05-20 09:00 +02:00", tick=False):
        republish(live, kind="substance", note="Second correctif.")
    page = client.get("/fr/afm/tacrolimus/").content.decode()
    assert notice(page) == "Mis à jour le 20 mai 2026 : Second correctif."
    history = re.search(
        r'<details class="correction-history">(.*?)</details>', page, re.S
    )
    assert history, "two corrections: the history is offered"
    items = re.findall(r"<li>(.*?)</li>", history.group(1), re.S)
    texts = [re.sub(r"<[^>]+>", "", item) for item in items]
    assert texts == [
        "20 mai 2026 : Second correctif.",
        "15 avril 2026 : Premier correctif.",
    ]
    assert "Historique des corrections (2)" in history.group(1)


def test_a_corrected_page_costs_no_more_queries(
    live, client, django_assert_max_num_queries
):
    for n in range(3):
        republish(live, kind="substance", note=f"Correctif {n}.")
    with django_assert_max_num_queries(budgets.DETAIL):
        response = client.get("/fr/afm/tacrolimus/")
    assert "Correctif 2." in response.content.decode()
