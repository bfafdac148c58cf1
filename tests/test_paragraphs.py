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
