"""Glossary: first use of each term defined on patient pages, jargon listed."""

import re
import shutil

import pytest

from briefs.editorial import workflow
from briefs.editorial.revisions import glossary_entries
from briefs.models import GlossaryTerm, Variant
from briefs.text.glossary import Entry, mark_first_uses
from briefs.text.jargon import find_jargon, unexplained_jargon
from briefs.text.markdown import render_markdown
from briefs.text.readability import plain_text
from tests.factories import make_published, make_source

MYOSITE = Entry("myosite", "myosite", "une inflammation des muscles", ("myosite",))
AMM = Entry("amm", "AMM", "l'accord pour vendre un médicament", ("AMM",))
HORS_AMM = Entry("hors-amm", "hors AMM", "sans cet accord", ("hors AMM",))
GLOSSARY = [MYOSITE, AMM, HORS_AMM]


def marked(markdown_text: str, glossary=GLOSSARY) -> str:
    # "myosite" is not a known source: its citation shows as "[?myosite]".
    html = render_markdown(markdown_text, known_keys={"other"}).html
    return mark_first_uses(html, glossary)


def test_only_the_first_use_is_defined():
    html = marked("La myosite est rare. Une myosite se soigne.\n\nEncore une myosite.")
    assert html.count("<dfn") == 1
    assert html.count("une inflammation des muscles") == 1
    assert html.index("<dfn") < html.index("est rare")


def test_plural_and_case_are_found():
    html = marked("Les Myosites sont rares.")
    assert '<dfn class="gloss" id="glossaire-myosite">Myosites</dfn>' in html


def test_never_inside_a_word():
    html = marked("La dermatomyosite et la polymyosite ne sont pas des myosites-like.")
    assert "<dfn" not in html


def test_never_inside_links_headings_or_citations():
    html = marked(
        "## La myosite\n\n[une myosite](https://example.org) puis [@myosite] "
        "et enfin la myosite."
    )
    assert html.count("<dfn") == 1
    # The one definition is in the paragraph's last words, not the heading,
    # the link text or the citation.
    assert re.search(r"enfin la <dfn[^>]*>myosite</dfn>", html)
    assert "<h2>La myosite</h2>" in html
    assert '<span class="cite-unknown">[?myosite]</span>' in html
    assert (
        '<a href="https://example.org" rel="noopener noreferrer">une myosite</a>'
        in html
    )


def test_longer_term_wins_and_both_are_defined_once():
    html = marked("Prescrit hors AMM, car sans AMM en France.")
    assert '<dfn class="gloss" id="glossaire-hors-amm">hors AMM</dfn>' in html
    assert '<dfn class="gloss" id="glossaire-amm">AMM</dfn>' in html
    assert html.count("<dfn") == 2


def test_definitions_are_escaped():
    evil = Entry("x", "myosite", "<script>alert(1)</script>", ("myosite",))
    html = marked("Une myosite.", [evil])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_seeded_glossary_is_translated(db):
    term = GlossaryTerm.objects.get(slug="pneumopathie-interstitielle")
    assert term.term_en == "interstitial lung disease"
    assert term.definition_fr and term.definition_en
    assert {e.slug for e in glossary_entries("en")} >= {
        "amm",
        "hors-amm",
        "plasmapherese",
    }


@pytest.fixture
def afm_body(demo):
    return Variant.objects.get(audience__code="afm").body_fr


def test_jargon_detection_on_the_demo_afm_text(afm_body):
    text = plain_text(afm_body)
    found = {term.lower() for _, _, term in find_jargon(text)}
    assert {"tacrolimus", "pneumopathie interstitielle", "indication"} <= found
    # Every clinical term of the demo has a glossary entry except "indication".
    assert unexplained_jargon(text, glossary_entries("fr")) == ["indication"]
    # Without a glossary, the drugs and diseases are all reported.
    missing = unexplained_jargon(text, [])
    assert {"tacrolimus", "cyclophosphamide", "azathioprine", "hors amm"} <= set(
        missing
    )


def test_demo_afm_page_defines_the_glossary_terms_it_uses(client, demo):
    html = client.get("/fr/afm/tacrolimus-dermatomyosite/").content.decode()
    revision = Variant.objects.get(audience__code="afm").live_revision
    used = revision.metrics["glossary_terms"]
    assert len(used) >= 10
    for term in GlossaryTerm.objects.filter(term_fr__in=used):
        assert f'id="glossaire-{term.slug}"' in html
        assert f'id="glossaire-def-{term.slug}"' in html
        assert term.definition_fr.replace("'", "&#x27;") in html or (
            term.definition_fr in html
        )
    assert "js/glossary.js" in html


def test_professional_page_has_no_glossary_markup(client, demo):
    html = client.get("/fr/aim/tacrolimus-dermatomyosite/").content.decode()
    assert "<dfn" not in html


def test_english_patient_page_uses_english_definitions(db):
    source = make_source()
    variant = make_published(body=f"La myosite est rare[@{source.key}].\n")
    variant.body_en = f"Myositis is rare[@{source.key}].\n"
    variant.title_en = "A title"
    variant = workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    workflow.submit(variant=variant, user=variant.author, change_kind="minor")
    revision = Variant.objects.get(pk=variant.pk).latest_revision
    assert "une inflammation des muscles" in revision.body_html_fr
    assert "inflammation of the muscles" in revision.body_html_en
    assert "glossaire-myosite" in revision.body_html_en


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
# The live server reads the data from another thread: commit it, and give the
# seeded rows (audiences, roles, glossary) back to the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_definition_opens_on_tap_and_keyboard(demo, live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, has_touch=True)
        page.goto(f"{live_server.url}/fr/afm/tacrolimus-dermatomyosite/")
        term = page.locator("#glossaire-dermatomyosite button.gloss-toggle")
        definition = page.locator("#glossaire-def-dermatomyosite")
        assert term.get_attribute("aria-expanded") == "false"
        assert not definition.is_visible()
        term.tap()
        assert term.get_attribute("aria-expanded") == "true"
        assert definition.is_visible()
        term.press("Escape")
        assert not definition.is_visible()
        term.focus()
        page.keyboard.press("Enter")
        assert definition.is_visible()
        browser.close()
