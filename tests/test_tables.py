"""Tables in a brief: a named scroll region, header cells with a scope, and
counted as a table (not as sentences) by readability, jargon and search."""

import re
from pathlib import Path

import pytest

from briefs.text import readability
from briefs.text.glossary import Entry
from briefs.text.jargon import unexplained_jargon
from briefs.text.markdown import render_markdown, sanitize
from briefs.text.plain import plain_text

TRIALS = (Path(__file__).parent / "data" / "essais-myosites.md").read_text()


def test_a_table_sits_in_a_named_focusable_scroll_region():
    html = render_markdown(TRIALS).html
    regions = re.findall(r"<div [^>]*>", html)
    assert len(regions) == 1
    region = regions[0]
    assert 'class="table-scroll"' in region
    assert 'role="region"' in region
    assert 'tabindex="0"' in region
    # Named by the sentence that announces it.
    assert 'aria-label="Tableau 1 : Voici où en sont les principaux essais"' in region
    assert re.search(r"<div [^>]*>\s*<table>", html)
    assert re.search(r"</table>\s*</div>", html)


def test_header_cells_have_a_scope_and_each_row_is_headed_by_its_first_cell():
    html = render_markdown(TRIALS).html
    assert html.count('<th scope="col">') == 6
    assert html.count('<th scope="row">') == 9
    assert '<th scope="row">TACRO-SAS</th>' in html
    assert html.count("<td>") == 9 * 5
    assert "<th>" not in html


def test_a_table_after_a_heading_is_named_by_it_and_others_are_numbered():
    html = render_markdown(
        "## Doses\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\nTexte.\n\n"
        "| c | d |\n| - | - |\n| 3 | 4 |\n"
    ).html
    assert 'aria-label="Tableau 1 : Doses"' in html
    assert 'aria-label="Tableau 2"' in html


def test_a_table_is_named_in_the_language_of_the_page():
    from django.utils import translation

    with translation.override("en"):
        html = render_markdown("| a | b |\n| - | - |\n| 1 | 2 |\n").html
    assert 'aria-label="Table 1"' in html


@pytest.mark.parametrize(
    "attack",
    [
        '<div class="site-header" role="button" tabindex="5" onclick="x()">x</div>',
        '<div class="table-scroll evil" role="dialog" tabindex="-1">x</div>',
        '<th scope="colgroup" onmouseover="x()">x</th>',
    ],
)
def test_the_sanitizer_allows_only_the_region_it_makes(attack):
    cleaned = sanitize(attack)
    assert "onclick" not in cleaned and "onmouseover" not in cleaned
    assert 'role="button"' not in cleaned and 'role="dialog"' not in cleaned
    assert "tabindex" not in cleaned
    assert "class=" not in cleaned
    assert 'scope="colgroup"' not in cleaned


def test_the_sanitizer_keeps_the_region_and_scopes():
    html = render_markdown(TRIALS).html
    assert sanitize(html) == html


def test_raw_html_regions_written_by_an_editor_stay_text():
    html = render_markdown('<div class="table-scroll" role="region">x</div>').html
    assert "<div" not in html
    assert "&lt;div" in html


def test_readability_leaves_the_table_out_of_its_sentences():
    result = readability.analyse(TRIALS)
    # Two sentences, a heading, the announcing sentence, two closing
    # sentences: not 60 more one-cell "sentences".
    assert result.sentences == 6
    assert result.tables == 1
    assert all("ProDERM" not in s.text for s in result.longest)
    prose = "\n".join(line for line in TRIALS.splitlines() if not line.startswith("|"))
    assert result.score == readability.analyse(prose).score


def test_a_table_row_is_one_block_with_its_cells_apart():
    rows = [b for b in readability.text_blocks(TRIALS) if b.table_row]
    assert len(rows) == 10  # the header row and nine trials
    assert rows[2].text == (
        "TACRO-SAS · Syndrome des antisynthétases · Tacrolimus contre "
        "azathioprine et cyclophosphamide · 3 · 76 adultes · Recrute en France (AP-HP)"
    )


def test_jargon_is_found_in_a_cell_but_never_across_two_cells():
    text = readability.plain_text(
        "Un texte.\n\n| Étude | Type |\n| - | - |\n| Un essai | clinique |\n"
        "| Autre | tacrolimus |\n"
    )
    missing = unexplained_jargon(text, [])
    assert "tacrolimus" in missing
    assert "essai clinique" not in missing
    covered = unexplained_jargon(
        text, [Entry("t", "tacrolimus", "un médicament", ("tacrolimus",))]
    )
    assert "tacrolimus" not in covered


def test_search_reads_a_table_row_by_row():
    text = plain_text(render_markdown(TRIALS).html)
    assert (
        "Où en est-il ? ; ProDERM · Dermatomyosite · Immunoglobulines intraveineuses"
        in text
    )
    assert "publiés en 2022 ; TACRO-SAS" in text


def test_plain_text_keeps_punctuation_against_inline_words():
    html = (
        '<p>un <dfn class="gloss" id="glossaire-i">immunosuppresseur</dfn>'
        '<span class="gloss-def" id="glossaire-def-i"> (un médicament)</span>, le '
        '<a href="#x"><em>tacrolimus</em></a>, au</p><p>Suite<br>ligne</p>'
    )
    assert plain_text(html) == "un immunosuppresseur, le tacrolimus, au Suite ligne"
