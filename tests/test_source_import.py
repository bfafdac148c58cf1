"""BibTeX and RIS files fill the source library, all or nothing, without duplicates."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from briefs.models import Source, SourceKind
from briefs.sources.importing import (
    SourceImportError,
    import_bibtex,
    import_ris,
    import_sources_file,
    parse_bibtex,
)
from tests.factories import make_source, make_user

RIS = """\
TY  - JOUR
AU  - Takada, Kazuki
AU  - Katada, Yoshinori
TI  - Impact of adding tacrolimus to initial treatment of interstitial pneumonitis in polymyositis/dermatomyositis: a single-arm clinical trial
JO  - Rheumatology (Oxford)
PY  - 2020
VL  - 59
IS  - 5
SP  - 1084
EP  - 1093
DO  - https://doi.org/10.1093/RHEUMATOLOGY/kez394
AN  - 31539061
ER  -

TY  - JOUR
AU  - Dupont, Marie
AU  - Martin, Jean-Luc
TI  - Une cohorte française de myosites
T2  - La Revue de Médecine Interne
PY  - 2023
VL  - 44
SP  - 12
EP  - 18
DO  - 10.1016/j.revmed.2023.01.002
LA  - fr
ER  -

TY  - ELEC
AU  - Haute Autorité de santé
TI  - Myosites inflammatoires : protocole national
UR  - https://www.has-sante.fr/myosites
PY  - 2021
ER  -

TY  - DATA
TI  - A trial registered in Japan
N1  - Registered as jRCTs031180001
ER  -
"""


def test_bibtex_fixture_creates_the_three_sources(db, bib_text):
    report = import_bibtex(bib_text)
    assert sorted(report.created) == ["catrpat", "takada2019", "tsuji2020"]
    takada = Source.objects.get(key="takada2019")
    assert takada.doi == "10.1093/rheumatology/kez394"
    assert (takada.pmid, takada.pmcid) == ("31539061", "PMC7850120")
    assert takada.pages == "1084-1093"
    assert len(takada.authors) == 14
    assert Source.objects.get(key="tsuji2020").authors[-1] == {"others": True}
    catrpat = Source.objects.get(key="catrpat")
    assert catrpat.kind == SourceKind.TRIAL
    assert catrpat.trial_id == "NCT03770663"
    assert catrpat.authors == [{"literal": "Assistance Publique - Hôpitaux de Paris"}]


def test_reimporting_the_same_file_skips_everything(db, bib_text):
    import_bibtex(bib_text)
    report = import_bibtex(bib_text)
    assert report.created == report.updated == []
    assert sorted(report.skipped) == ["catrpat", "takada2019", "tsuji2020"]
    assert Source.objects.count() == 3


def test_duplicate_matched_on_doi_before_key(db, bib_text):
    mine = make_source(
        "takada", doi="10.1093/rheumatology/kez394", title="Titre provisoire"
    )
    report = import_bibtex(bib_text)
    assert "takada" in report.updated
    assert "takada2019" not in report.created
    mine.refresh_from_db()
    assert mine.title.startswith("Impact of adding tacrolimus")
    assert mine.key == "takada"  # the key editors already cite is kept
    assert Source.objects.count() == 3


def test_duplicate_matched_on_pmid_when_there_is_no_doi(db):
    mine = make_source("takada", pmid="31539061", title="Titre provisoire")
    report = import_ris(
        RIS.replace("DO  - https://doi.org/10.1093/RHEUMATOLOGY/kez394\n", "")
    )
    assert "takada" in report.updated
    mine.refresh_from_db()
    assert mine.volume == "59"


def test_ris_file_written_here_is_imported(db):
    report = import_ris(RIS)
    assert len(report.created) == 4
    takada = Source.objects.get(doi="10.1093/rheumatology/kez394")
    assert takada.key == "takada2020"
    assert takada.pmid == "31539061"
    assert takada.pages == "1084-1093"
    assert takada.authors[0] == {"family": "Takada", "given": "Kazuki"}
    dupont = Source.objects.get(doi="10.1016/j.revmed.2023.01.002")
    assert dupont.container_title == "La Revue de Médecine Interne"
    assert dupont.language == "fr"
    has = Source.objects.get(kind=SourceKind.WEBPAGE)
    assert has.url == "https://www.has-sante.fr/myosites"
    assert has.authors == [{"literal": "Haute Autorité de santé"}]
    trial = Source.objects.get(kind=SourceKind.TRIAL)
    assert trial.trial_id == "jRCTs031180001"


def test_ris_and_bibtex_of_the_same_study_do_not_duplicate(db, bib_text):
    import_bibtex(bib_text)
    report = import_ris(RIS)
    assert "takada2019" in report.skipped + report.updated
    assert Source.objects.filter(doi="10.1093/rheumatology/kez394").count() == 1


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            "@article{ok, title={A}, year={2020}}\n\n@article{broken, title={B}\n",
            3,
            "illisible",
        ),
        ("@article{nodate, title={A}, year={circa 2020}}\n", 1, "année illisible"),
        ("\n@article{notitle, year={2020}}\n", 2, "sans titre"),
        ("@article{baddoi, title={A}, doi={11.1/x}}\n", 1, "n'est pas un DOI"),
        ("@article{badpmid, title={A}, pmid={12ab}}\n", 1, "n'est pas un PMID"),
    ],
)
def test_malformed_bibtex_names_the_line_and_imports_nothing(db, text, line, fragment):
    with pytest.raises(SourceImportError) as caught:
        import_bibtex(text)
    assert f"ligne {line} " in str(caught.value)
    assert fragment in str(caught.value)
    assert Source.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("TY  - JOUR\nTI  - A\n", 1, "ER  - » manquant"),
        ("TY  - JOUR\nTI  - A\nTY  - JOUR\nTI  - B\nER  -\n", 3, "pas terminée"),
        ("Hello\nTY  - JOUR\nTI  - A\nER  -\n", 1, "hors d'une référence"),
        ("TY  - JOUR\nTI  - A\nER  -\nTI  - B\n", 4, "hors d'une référence"),
        ("TY  - JOUR\nAU  - Doe, J\nER  -\n", 1, "sans titre"),
        ("TY  - JOUR\nTI  - A\nDO  - 10.12/x\nER  -\n", 1, "n'est pas un DOI"),
    ],
)
def test_malformed_ris_names_the_line_and_imports_nothing(db, text, line, fragment):
    valid = "TY  - JOUR\nTI  - Valide\nDO  - 10.1000/valid\nER  -\n"
    with pytest.raises(SourceImportError) as caught:
        import_ris(text)
    assert f"ligne {line} " in str(caught.value)
    assert fragment in str(caught.value)
    assert Source.objects.count() == 0
    # A good record before a broken one is not kept either.
    with pytest.raises(SourceImportError):
        import_ris(valid + "\n" + text)
    assert Source.objects.count() == 0


def test_invalid_entry_after_valid_ones_rolls_back_everything(db, bib_text):
    bad = (
        bib_text
        + "\n@article{dup, title={Copie}, doi={10.1002/art.41105}, pmid={31539061}}\n"
    )
    # The last entry matches tsuji2020 by DOI but would take takada's PMID.
    with pytest.raises(SourceImportError) as caught:
        import_bibtex(bad)
    assert "dup" in str(caught.value)
    assert Source.objects.count() == 0


def test_non_utf8_and_unknown_formats_are_clear_errors(db):
    with pytest.raises(SourceImportError, match="UTF-8"):
        import_sources_file(
            data="TY  - JOUR\nTI  - é\nER  -\n".encode("latin-1"), filename="x.ris"
        )
    with pytest.raises(SourceImportError, match="Format inconnu"):
        import_sources_file(data=b"just some words", filename="notes.txt")


def test_format_is_detected_from_the_extension_or_the_content(db, bib_text):
    assert (
        len(import_sources_file(data=RIS.encode(), filename="export.txt").created) == 4
    )
    assert (
        len(import_sources_file(data=bib_text.encode(), filename="refs").created) == 2
    )


def test_user_without_the_right_cannot_import(db):
    reviewer = make_user("reviewer")
    with pytest.raises(PermissionDenied):
        import_sources_file(data=RIS.encode(), filename="x.ris", user=reviewer)
    assert Source.objects.count() == 0
    editor = make_user("editor")
    assert (
        len(
            import_sources_file(
                data=RIS.encode(), filename="x.ris", user=editor
            ).created
        )
        == 4
    )


def test_command_imports_and_reports(db, fixtures_dir, capsys):
    call_command("import_sources", str(fixtures_dir / "sources-tacrolimus.bib"))
    assert "3 créée(s), 0 mise(s) à jour, 0 inchangée(s)" in capsys.readouterr().out
    call_command(
        "import_sources",
        str(fixtures_dir / "sources-tacrolimus.bib"),
        "--verbose-report",
    )
    out = capsys.readouterr().out
    assert "0 créée(s), 0 mise(s) à jour, 3 inchangée(s)" in out
    assert "inchangées : " in out and "takada2019" in out


def test_command_on_a_ris_file(db, tmp_path, capsys):
    path = tmp_path / "export.ris"
    path.write_text(RIS, encoding="utf-8")
    call_command("import_sources", str(path))
    assert "4 créée(s)" in capsys.readouterr().out


def test_command_refuses_malformed_and_missing_files(db, tmp_path):
    path = tmp_path / "broken.ris"
    path.write_text("TY  - JOUR\nTI  - A\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"ligne 1 .*Rien n'a été importé"):
        call_command("import_sources", str(path))
    with pytest.raises(CommandError, match="illisible"):
        call_command("import_sources", str(tmp_path / "absent.bib"))
    assert Source.objects.count() == 0


def test_ris_without_identifiers_keeps_other_studies_of_the_same_author_and_year(db):
    make_source("dupont2023", title="Une autre étude de Dupont")
    ris = "TY  - JOUR\nAU  - Dupont, Marie\nTI  - Myosites et grossesse\nPY  - 2023\nER  -\n"
    report = import_ris(ris)
    assert report.created == ["dupont2023b"]
    assert Source.objects.get(key="dupont2023").title == "Une autre étude de Dupont"
    # The same file again finds its own record, by key and title.
    assert import_ris(ris).skipped == ["dupont2023b"]
    assert Source.objects.count() == 2


def test_two_records_with_the_same_author_and_year_get_distinct_keys(db):
    ris = (
        "TY  - JOUR\nAU  - Doe, Jane\nTI  - Premier\nPY  - 2020\nER  -\n"
        "TY  - JOUR\nAU  - Doe, Jane\nTI  - Second\nPY  - 2020\nER  -\n"
    )
    assert import_ris(ris).created == ["doe2020", "doe2020b"]


# Hostile or broken LaTeX -------------------------------------------------------


def test_latex_links_and_notes_become_text(db):
    text = (
        "@article{liens, title={Voir \\href{https://example.org/essai}{le registre}},"
        " note={Publié en ligne\\footnote{avant impression}; 50% des patients},"
        " url={https://example.org/a%20b_c~d}}\n"
    )
    import_bibtex(text)
    source = Source.objects.get(key="liens")
    assert source.title == "Voir le registre <https://example.org/essai>"
    # A bare % is a percent sign, not a LaTeX comment eating the rest.
    assert source.note == "Publié en ligne[avant impression]; 50% des patients"
    assert source.url == "https://example.org/a%20b_c~d"  # URLs are not LaTeX


HOSTILE_FIELDS = [
    pytest.param("\\href", "LaTeX mal formé", id="href-without-arguments"),
    pytest.param("\\href{https://x.org}", "LaTeX mal formé", id="href-one-argument"),
    pytest.param("Un titre\\footnote", "LaTeX mal formé", id="footnote-at-end"),
    pytest.param("Un titre \\verb", "LaTeX mal formé", id="verb-at-end"),
    pytest.param("{" * 300 + "x" + "}" * 300, "imbriquées", id="braces-300-deep"),
    pytest.param(
        "\\begin{a}" * 100 + "x" + "\\end{a}" * 100, "imbriquées", id="env-100-deep"
    ),
    pytest.param("$x", "LaTeX mal formé", id="open-math"),
]


@pytest.mark.parametrize(("title", "fragment"), HOSTILE_FIELDS)
def test_hostile_latex_is_refused_naming_the_entry(db, title, fragment):
    text = (
        "@article{ok, title={Valide}, doi={10.1000/ok}}\n\n"
        "@article{piege, author={Doe, Jane},\n title={" + title + "}}\n"
    )
    with pytest.raises(SourceImportError) as caught:
        import_sources_file(data=text.encode(), filename="refs.bib")
    message = str(caught.value)
    assert message.startswith("ligne 3 (entrée « piege ») : ")
    assert "title" in message and fragment in message
    assert Source.objects.count() == 0


@pytest.mark.parametrize(("title", "fragment"), HOSTILE_FIELDS)
def test_command_refuses_hostile_latex_without_a_traceback(
    db, tmp_path, title, fragment
):
    path = tmp_path / "refs.bib"
    path.write_text("@article{piege, title={" + title + "}}\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("import_sources", str(path))
    assert "entrée « piege »" in str(caught.value)
    assert fragment in str(caught.value)
    assert Source.objects.count() == 0


@pytest.mark.parametrize(
    ("author", "fragment"),
    [
        ('"Doe, {Jane"', "auteur n° 1 « Doe, {Jane » illisible (accolade ouvrante"),
        ("{Doe, Jane, Jr, Extra}", "auteur n° 1 « Doe, Jane, Jr, Extra » illisible"),
        ("{Doe, Jane and Roe\\href}", "LaTeX mal formé"),
    ],
)
def test_unreadable_author_names_the_author(db, author, fragment):
    with pytest.raises(SourceImportError) as caught:
        parse_bibtex("@article{a, title={T}, author=" + author + "}")
    assert "entrée « a »" in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "@string{j={J}}\n@article{a, title={T}, journal=j # { Suppl}}",
            "concaténation",
        ),
        ("@article{a, title={T}, journal=jrheum}", "@string"),
        ("@article{a, title={A}, title={B}}", "champ(s) en double : title"),
        ("@article{, title={A}}", "sans clé"),
    ],
)
def test_bibtex_the_parser_would_misread_is_refused(db, text, fragment):
    with pytest.raises(SourceImportError, match=re.escape(fragment)):
        parse_bibtex(text)


# Files that are not what they claim --------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename", "fragment"),
    [
        (b"", "refs.bib", "Le fichier est vide"),
        (b"  \n\n", "refs.ris", "Le fichier est vide"),
        ("@article{a, title={é}}".encode("latin-1"), "refs.bib", "UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image.ris", "UTF-8"),
        (b"TY  - JOUR\nTI  - A\x00\nER  - \n", "refs.ris", "octet nul"),
        (b"Author: Doe\nTitle: A study\n", "notes.txt", "Format inconnu"),
        (b"just some words", "refs.csv", "Format inconnu"),
    ],
)
def test_files_that_are_not_bibliographies_are_refused(db, data, filename, fragment):
    with pytest.raises(SourceImportError, match=re.escape(fragment)):
        import_sources_file(data=data, filename=filename)
    assert Source.objects.count() == 0


def test_duplicate_keys_in_one_file_name_both_lines(db):
    text = "@article{a, title={Un}}\n\n@article{a, title={Deux}}\n"
    with pytest.raises(SourceImportError) as caught:
        import_bibtex(text)
    assert str(caught.value) == (
        "ligne 3 (entrée « a ») : clé « a » déjà utilisée ligne 1."
    )
    ris = "TY  - JOUR\nID  - a\nTI  - Un\nER  - \nTY  - JOUR\nID  - a\nTI  - Deux\nER  - \n"
    with pytest.raises(SourceImportError, match=r"ligne 5 .*clé « a ».*ligne 1"):
        import_ris(ris)
    assert Source.objects.count() == 0


def test_one_study_twice_in_one_file_is_refused(db):
    text = (
        "@article{a, title={Un}, doi={10.1000/x}}\n"
        "@article{b, title={Le même}, doi={https://doi.org/10.1000/X}}\n"
    )
    with pytest.raises(SourceImportError) as caught:
        import_bibtex(text)
    assert "ligne 2 (entrée « b ») : DOI « 10.1000/x »" in str(caught.value)
    assert "l'entrée « a » (ligne 1)" in str(caught.value)
    assert Source.objects.count() == 0


def test_two_entries_matching_one_source_are_refused(db):
    make_source("takada2019", doi="10.1093/rheumatology/kez394")
    text = (
        "@article{takada2019, title={Par la clé}}\n"
        "@article{autre, title={Par le DOI}, doi={10.1093/rheumatology/kez394}}\n"
    )
    with pytest.raises(SourceImportError) as caught:
        import_bibtex(text)
    message = str(caught.value)
    assert message.startswith("ligne 2 (entrée « autre ») : désigne la même source")
    assert "« takada2019 » (ligne 1)" in message
    assert Source.objects.get().title == "A study called takada2019"


def test_repeated_single_ris_tag_is_refused_rather_than_half_read(db):
    ris = "TY  - JOUR\nTI  - Premier titre\nTI  - Second titre\nER  - \n"
    with pytest.raises(SourceImportError, match="balise TI répétée"):
        import_ris(ris)
    # The same value twice loses nothing and passes.
    assert import_ris("TY  - JOUR\nTI  - A\nTI  - A\nER  - \n").created


@pytest.mark.parametrize(
    ("ris", "line", "tag"),
    [
        ("TY  - JOUR\nI  - Un titre mal balisé\nER  - \n", 2, "TY"),
        ("TY  - JOUR\nTI  - A\nAU  - Takada,\n  Kazuki\nER  - \n", 4, "AU"),
    ],
)
def test_ris_line_rispy_would_misfile_is_refused(db, ris, line, tag):
    # After TY rispy would add the line to the previous record's last field,
    # after AU it would make it one more author.
    with pytest.raises(SourceImportError) as caught:
        import_ris("TY  - JOUR\nTI  - Avant\nLA  - fr\nER  - \n" + ris)
    assert f"ligne {line + 4} : ligne sans balise après « {tag}  - »" in str(
        caught.value
    )
    assert Source.objects.count() == 0


def test_macros_given_as_arguments_are_read_without_crashing(db):
    records = parse_bibtex("@article{a, title={Lien \\href\\href\\href{} ok}}")
    assert records[0]["title"].startswith("Lien")
