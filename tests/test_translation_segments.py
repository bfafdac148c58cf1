"""A Markdown body cut into translation segments, its markup kept as tags, and put back."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.ops.demo import ENGLISH
from briefs.text.markdown import citation_keys
from briefs.text.segments import (
    BPT,
    CITATION,
    EPT,
    PH,
    PREFIX,
    Slot,
    rebuild,
    split_markdown,
    split_plain,
)

BODY = (
    "## Un titre **important**\n\n"
    "Un paragraphe *en italique* avec [un lien](https://example.org/a_(b)) "
    "et `du code [@pas]` cité[@takada2019; @tsuji2020].\n\n"
    "- un premier point[@catrpat]\n"
    "- un second\n"
    "  1. imbriqué\n\n"
    "| Groupe | Survie |\n"
    "|---|:-:|\n"
    "| tacrolimus | 85 % |\n"
    "| témoins | [@tsuji2020] |\n\n"
    "```\nx = 1\n```\n\n"
    "3 * 4 font douze, snake_case reste du texte, \\*échappé\\*."
)


def identity(split):
    return rebuild(split.skeleton, {s.id: s.markdown() for s in split.segments})


def test_each_paragraph_heading_item_and_cell_is_a_unit_with_a_meaningful_id():
    split = split_markdown(BODY)
    assert split.ids() == [
        "body-1",
        "body-2",
        "body-3-item-1",
        "body-3-item-2",
        "body-3-item-3",
        "body-4-cell-1-1",
        "body-4-cell-1-2",
        "body-4-cell-2-1",
        "body-4-cell-2-2",
        "body-4-cell-3-1",
        "body-6",
    ]
    # A cell holding only a citation, and the code block, stay in the skeleton.
    assert "[@tsuji2020]" in split.skeleton
    assert "```\nx = 1\n```" in split.skeleton


def test_markup_citations_and_prefixes_are_tags_not_words():
    segments = {s.id: s for s in split_markdown(BODY).segments}
    heading = segments["body-1"]
    assert heading.parts[0].kind == PH and heading.parts[0].markup == "## "
    assert heading.parts[0].role == PREFIX
    assert heading.words == "Un titre important"
    assert [(t.kind, t.markup) for t in heading.tags[1:]] == [(BPT, "**"), (EPT, "**")]
    paragraph = segments["body-2"]
    assert [t.markup for t in paragraph.tags] == [
        "*",
        "*",
        "[",
        "](https://example.org/a_(b))",
        "`du code [@pas]`",
        "[@takada2019; @tsuji2020]",
    ]
    assert paragraph.tags[-1].role == CITATION
    # A pair shares its id; each other tag has its own.
    assert [t.id for t in paragraph.tags] == ["1", "1", "2", "2", "3", "4"]
    assert segments["body-3-item-3"].parts[0].markup == "  1. "
    assert segments["body-6"].tags == ()
    assert segments["body-6"].words.startswith("3 * 4 font douze, snake_case")


def test_putting_the_segments_back_gives_the_same_text_and_the_same_segments():
    split = split_markdown(BODY)
    assert identity(split) == BODY
    assert split_markdown(identity(split)) == split


def test_the_demo_texts_and_their_translations_have_the_same_structure(demo):
    from briefs.models import Variant

    for variant in Variant.objects.all():
        french = split_markdown(variant.body_fr)
        english = split_markdown(ENGLISH[variant.audience.code]["body"])
        assert french.ids() == english.ids()
        assert identity(french) == variant.body_fr.strip()
        for ours, theirs in zip(french.segments, english.segments, strict=True):
            assert citation_keys(ours.markdown()) == citation_keys(theirs.markdown())


def test_a_title_is_one_unit_and_an_empty_standfirst_none():
    assert split_plain("title", " Un *titre* ").segments[0].parts == ("Un *titre*",)
    assert split_plain("standfirst", "  ").segments == ()
    assert split_plain("title", "Titre").skeleton == (Slot("title"),)


PIECES = [
    "Mot", " ", "  ", "\n", "\n\n", "\n- ", "\n1. ", "\n  - ", "## ", "# ", "> ",
    "**", "*", "_", "__", "`", "``", "[", "]", "(", ")", "](http://x.org)", "![",
    "[@k1]", "[@a; @b]", "[@", "|", "\n|---|---|\n", "| a | b |", "\\", "\\*",
    "<https://x.org>", "```", "\n```\n", "---", "\n===", "    ", "\t", "é", "«", "1.",
]  # fmt: skip


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_text_splits_into_segments_that_rebuild_it_with_its_citations(text):
    split = split_markdown(text)
    rebuilt = identity(split)
    assert split_markdown(rebuilt) == split
    assert Counter(citation_keys(rebuilt)) == Counter(citation_keys(text))
    for segment in split.segments:
        assert segment.words.strip()
        ids = Counter((t.kind, t.id) for t in segment.tags)
        assert all(n == 1 for n in ids.values())
