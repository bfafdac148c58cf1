"""The legacy plain-text importer, on the real AFM/AIM fixture."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from briefs.models import Brief, Source, Variant
from briefs.text.legacy import LegacyFormatError, parse_legacy_brief

AFM_TITLE = (
    "Dermatomyosite : le tacrolimus semble augmenter l’efficacité du traitement "
    "immunosuppresseur de la maladie pulmonaire"
)
AIM_TITLE = (
    "Le tacrolimus améliore la survie dans la dermatomyosite avec pneumopathie "
    "interstitielle, selon deux études menées au Japon"
)


@pytest.fixture
def parsed(brief_text):
    return parse_legacy_brief(brief_text)


def test_titles_and_standfirst_are_found(parsed):
    assert parsed["afm"].title == AFM_TITLE
    assert parsed["aim"].title == AIM_TITLE
    assert parsed["afm"].standfirst == (
        "Deux études plaident en faveur de l’utilisation d’un médicament antirejet "
        "de greffe, le tacrolimus, dans la dermatomyosite avec atteinte pulmonaire."
    )


def test_paragraphs_are_rejoined(parsed):
    assert len(parsed["afm"].paragraphs) == 5
    assert len(parsed["aim"].paragraphs) == 6
    assert parsed["afm"].paragraphs[3].startswith("Ce résultat conforte celui")
    assert parsed["aim"].paragraphs[5].startswith("À noter que l’équipe du Pr")
    for variant in parsed.values():
        for paragraph in variant.paragraphs:
            assert "\n" not in paragraph
            assert "  " not in paragraph


def test_words_cut_at_line_end_are_mended(parsed):
    body = parsed["aim"].body
    assert "Dix-huit étaient atteints" in body
    assert "Dix- huit" not in body and "Dixhuit" not in body
    # A spaced dash at a line end stays a spaced dash.
    assert "azathioprine - cyclophosphamide" in body


def test_hyphenated_word_split_by_the_typesetter_is_joined():
    text = (
        "Brève AFM\n\nUn titre court\n\n"
        "Le tacrolimus est un médicament immuno-\n"
        "suppresseur utilisé après une greffe de rein, de foie ou de cœur chez\n"
        "l'adulte.\n\n"
        "Brève AIM\n\nUn autre titre\n\nUn texte pour les soignants.\n"
    )
    body = parse_legacy_brief(text)["afm"].body
    assert "médicament immunosuppresseur utilisé" in body


def test_subheadings_and_lists(parsed):
    afm_headings = [
        ln for ln in parsed["afm"].body.splitlines() if ln.startswith("## ")
    ]
    assert afm_headings == [
        "## Un taux de survie deux fois et demi supérieur",
        "## À venir en France",
    ]
    aim_lines = parsed["aim"].body.splitlines()
    assert [ln for ln in aim_lines if ln.startswith("## ")] == [
        "## Des bénéfices nets sur la mortalité"
    ]
    items = [ln for ln in aim_lines if ln.startswith("- ")]
    assert len(items) == 3
    assert items[0].startswith("- une survie à 6 mois de 89%")
    assert items[2].endswith("et sans plasmaphérèse")
    # The list is a Markdown block of its own: a blank line before it.
    index = aim_lines.index(items[0])
    assert aim_lines[index - 1] == ""


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Brève AFM\n\nTitre\n\nTexte.\n", 6, "Brève AIM"),
        ("Préambule\nBrève AFM\n\nT\n\nX.\nBrève AIM\n\nT\n\nX.\n", 1, "précède"),
        (
            "Brève AFM\n\nT\n\nX.\nBrève AIM\n\nT\n\nX.\nBrève AFM\n\nT\n",
            11,
            "deuxième",
        ),
        ("Brève AFM\n\n\nBrève AIM\n\nT\n\nX.\n", 1, "vide"),
        ("Brève AFM\n\nSeulement un titre\nBrève AIM\n\nT\n\nX.\n", 3, "pas de texte"),
    ],
)
def test_malformed_files_name_the_line(text, line, fragment):
    with pytest.raises(LegacyFormatError) as error:
        parse_legacy_brief(text)
    assert error.value.line == line
    assert fragment in str(error.value)
    assert str(error.value).startswith(f"ligne {line} :")


def test_command_imports_two_variants_and_is_idempotent(db, fixtures_dir, editor):
    path = fixtures_dir / "breve-tacrolimus-dermatomyosite.txt"
    bib = fixtures_dir / "sources-tacrolimus.bib"
    call_command("import_brief", str(path), sources=str(bib), user=editor.username)
    call_command("import_brief", str(path), sources=str(bib), user=editor.username)
    assert Brief.objects.count() == 1
    brief = Brief.objects.get()
    assert brief.slug == "tacrolimus-dermatomyosite"
    assert Variant.objects.count() == 2
    assert Source.objects.count() == 3
    afm = Variant.objects.get(audience__code="afm")
    assert afm.title_fr == AFM_TITLE
    assert afm.edit_count == 1  # the second import changed nothing


def test_malformed_file_writes_nothing(db, tmp_path, fixtures_dir, editor):
    bad = tmp_path / "breve-cassee.txt"
    bad.write_text("Brève AFM\n\nTitre\n\nTexte.\n", encoding="utf-8")
    bib = fixtures_dir / "sources-tacrolimus.bib"
    with pytest.raises(CommandError, match="ligne 6"):
        call_command("import_brief", str(bad), sources=str(bib), user=editor.username)
    assert Brief.objects.count() == 0
    assert Source.objects.count() == 0  # the sources were rolled back too


def test_non_utf8_and_missing_files_are_clear_errors(db, tmp_path, editor):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0 not text")
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_brief", str(binary), user=editor.username)
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_brief", str(tmp_path / "absent.txt"), user=editor.username)
