"""A text's paragraphs, and finding a commented paragraph in an edited text."""

from hypothesis import given
from hypothesis import strategies as st

from briefs.text.paragraphs import blocks, find_again

TEXT = """## Ce que montre l'étude

La survie à un an a atteint 85 %[@takada2019].

- premier point
- second point

| Essai | Patients |
| --- | --- |
| A | 25 |
"""


def test_blocks_are_the_paragraphs_headings_lists_and_tables():
    found = blocks(TEXT)
    assert found == [
        "## Ce que montre l'étude",
        "La survie à un an a atteint 85 %[@takada2019].",
        "- premier point\n- second point",
        "| Essai | Patients |\n| --- | --- |\n| A | 25 |",
    ]


def test_a_code_fence_with_blank_lines_is_one_block():
    assert blocks("```\nun\n\ndeux\n```\n\nfin") == ["```\nun\n\ndeux\n```", "fin"]


def test_windows_line_endings_and_empty_text():
    assert blocks("un\r\n\r\ndeux") == ["un", "deux"]
    assert blocks("") == [] and blocks("\n\n  \n") == []


def test_a_paragraph_is_found_again_where_it_moved_or_after_an_edit():
    quote = "La survie à un an a atteint 85 %[@takada2019]."
    edited = [
        "Un nouveau premier paragraphe.",
        "## Ce que montre l'étude",
        "La survie à un an a atteint 85 % (IC 95 %)[@takada2019].",
    ]
    assert find_again(blocks(TEXT), quote, 1) == 1
    assert find_again(edited, quote, 1) == 2
    assert find_again(["Rien à voir ici."], quote, 0) is None
    assert find_again([], quote, 0) is None


@given(st.text())
def test_any_text_splits_into_blocks_without_blank_lines(text):
    for block in blocks(text):
        assert block.strip()
        assert find_again(blocks(text), block, 0) is not None


def test_each_block_as_html_numbers_its_citations_as_the_whole_text_does():
    from briefs.text.paragraphs import blocks_html

    found = blocks_html("Un[@a].\n\nDeux[@b] et un[@a].\n\n## Titre")
    assert len(found) == 3
    assert ">1</a>" in found[0]
    assert 'href="#ref-2"' in found[1] and ">2</a>" in found[1]
    assert 'href="#ref-1"' in found[1] and 'id="cite' not in found[1]
    assert found[2].startswith("<h2")
