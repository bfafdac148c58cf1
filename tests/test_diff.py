"""Differences between revisions, word by word: no word is ever cut."""

from types import SimpleNamespace

from briefs.text.diff import DELETED, EQUAL, INSERTED, compare, rows, tokens, word_diff


def changed(pieces, kind) -> list[str]:
    return [text for piece_kind, text in pieces if piece_kind == kind]


def text_of(pieces) -> str:
    return "".join(text for _kind, text in pieces)


def test_a_replaced_word_is_shown_whole_not_cut_in_letters():
    row = word_diff(
        "La survie atteint 88 % en France.", "La survie atteint 88 % en Allemagne."
    )
    assert changed(row.old, DELETED) == ["France"]
    assert changed(row.new, INSERTED) == ["Allemagne"]
    assert changed(row.unified, DELETED) == ["France"]
    assert changed(row.unified, INSERTED) == ["Allemagne"]


def test_french_accents_apostrophes_and_hyphens_stay_inside_their_word():
    row = word_diff(
        "L'équipe a étudié l'anti-MDA5 chez l'enfant.",
        "L'équipe a étudié l'anti-MDA5 chez l'adulte âgé.",
    )
    assert changed(row.old, DELETED) == ["l'enfant"]
    assert changed(row.new, INSERTED) == ["l'adulte âgé"]
    assert tokens("l’anti-MDA5 très-élevé") == ["l’anti-MDA5", " ", "très-élevé"]


def test_a_number_with_a_decimal_comma_changes_as_one_number():
    row = word_diff(
        "Une réponse chez 76,4 % des patients.", "Une réponse chez 80,1 % des patients."
    )
    assert changed(row.old, DELETED) == ["76,4"]
    assert changed(row.new, INSERTED) == ["80,1"]
    # The percent sign and the words around stay as they were.
    assert text_of(row.new) == "Une réponse chez 80,1 % des patients."


def test_punctuation_changes_alone_without_touching_the_words():
    row = word_diff("Deux études, au Japon.", "Deux études ; au Japon !")
    assert changed(row.old, DELETED) == [",", "."]
    assert changed(row.new, INSERTED) == [" ;", " !"]
    assert "études" in changed(row.new, EQUAL)[0]


def test_a_citation_is_one_piece():
    assert tokens("personnes[@takada2019; @hornung2018].") == [
        "personnes",
        "[@takada2019; @hornung2018]",
        ".",
    ]


def test_neighbouring_changed_words_read_as_one_change():
    row = word_diff("un essai japonais", "deux études japonaises")
    assert row.unified == (
        (DELETED, "un essai japonais"),
        (INSERTED, "deux études japonaises"),
    )


def test_each_side_keeps_its_text_exactly():
    before = "Le tacrolimus,\u00a0à 0,1 mg/kg : 25 personnes."
    after = "Le tacrolimus, à 0,06 mg/kg : 26 personnes (Japon)."
    row = word_diff(before, after)
    assert text_of(row.old) == before and text_of(row.new) == after


def test_unchanged_paragraphs_are_kept_and_blank_lines_dropped():
    found = rows("Un.\n\nDeux.\n\nTrois.", "Un.\n\nDeux bis.\n\nTrois.")
    assert [row.changed for row in found] == [False, True, False]
    assert changed(found[1].new, INSERTED) == [" bis"]


def test_a_first_revision_shows_everything_added():
    revision = SimpleNamespace(
        number=1,
        sources=[{"number": 1, "key": "takada2019", "title": "Tacrolimus"}],
        localized=lambda name, lang: (
            {"title": "Le titre"}.get(name, "") if lang == "fr" else ""
        ),
    )
    diffs = compare(None, revision, languages=("fr", "en"))
    assert [(d.label, d.language) for d in diffs] == [
        ("Titre", "fr"),
        ("Sources citées", ""),
    ]
    assert diffs[0].changed and changed(diffs[0].rows[0].new, INSERTED) == ["Le titre"]
