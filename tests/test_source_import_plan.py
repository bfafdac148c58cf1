"""An import is planned first; an update never loses information without consent."""

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from briefs.models import Source, SourceKind
from briefs.sources.importing import (
    ImportPlanChanged,
    apply_import,
    import_bibtex,
    plan_file,
)
from tests.factories import make_source, make_user

ZOTERO_RIS = Path(__file__).parent / "data" / "sources-tacrolimus-zotero.ris"


def _plan(text: str, filename: str = "refs.bib", **kwargs):
    return plan_file(data=text.encode(), filename=filename, **kwargs)


def _changes(plan, key: str) -> dict:
    entry = next(e for e in plan.entries if e.key == key)
    return {c.field: c for c in entry.changes}


def test_zotero_reimport_keeps_authors_and_et_al(db, bib_text):
    """The seed's studies exported from Zotero: 7 of 14 authors, no "et al."."""
    import_bibtex(bib_text)
    plan = plan_file(data=ZOTERO_RIS.read_bytes(), filename=ZOTERO_RIS.name)
    assert plan.summary() == (
        "0 nouvelle(s), 2 mise(s) à jour, 1 inchangée(s), 2 conflits"
    )
    takada = _changes(plan, "takada2019")
    assert takada["authors"].conflict == "moins d'auteurs (7 au lieu de 14)"
    assert not takada["container_title"].conflict
    assert (takada["container_title"].old, takada["container_title"].new) == (
        "Rheumatology (Oxford)",
        "Rheumatology (Oxford, England)",
    )
    assert _changes(plan, "tsuji2020")["authors"].conflict == "« et al. » serait perdu"
    assert [e.key for e in plan.unchanged] == ["catrpat"]  # found by its NCT number

    report = apply_import(plan=plan)
    assert report.kept == [("takada2019", "Auteurs"), ("tsuji2020", "Auteurs")]
    takada = Source.objects.get(key="takada2019")
    assert len(takada.authors) == 14
    assert takada.container_title == "Rheumatology (Oxford, England)"
    assert takada.language == "eng"
    assert Source.objects.get(key="tsuji2020").authors[-1] == {"others": True}
    assert Source.objects.count() == 3


def test_accepting_one_conflict_takes_that_value_only(db, bib_text):
    import_bibtex(bib_text)
    plan = plan_file(data=ZOTERO_RIS.read_bytes(), filename=ZOTERO_RIS.name)
    takada = next(e for e in plan.entries if e.key == "takada2019")
    report = apply_import(plan=plan, accept={f"{takada.number}:authors"})
    assert report.kept == [("tsuji2020", "Auteurs")]
    assert len(Source.objects.get(key="takada2019").authors) == 7
    assert Source.objects.get(key="tsuji2020").authors[-1] == {"others": True}


@pytest.mark.parametrize(
    ("existing", "entry", "field", "conflict"),
    [
        (
            {"doi": "10.1000/a", "pmid": "111"},
            "pmid={222}, doi={10.1000/a}",
            "pmid",
            "remplace un autre identifiant",
        ),
        (
            {"pmid": "111", "doi": "10.1000/a"},
            "pmid={111}, doi={10.1000/b}",
            "doi",
            "remplace un autre identifiant",
        ),
        (
            {"pmid": "111", "pmcid": "PMC1"},
            "pmid={111}, pmcid={PMC2}",
            "pmcid",
            "identifiant",
        ),
        (
            {"pmid": "111", "url": "https://example.org/a"},
            "pmid={111}, url={https://example.org/b}",
            "url",
            "identifiant",
        ),
        (
            {"pmid": "111", "kind": "trial", "trial_id": "NCT03770663"},
            "pmid={111}, note={NCT01234567}",
            "trial_id",
            "identifiant",
        ),
        (
            {"pmid": "111", "title": "Impact of tacrolimus: a single-arm trial"},
            "pmid={111}",
            "title",
            "version tronquée de la valeur actuelle",
        ),
        (
            {"pmid": "111", "pages": "1084-1093"},
            "pmid={111}, pages={1084}",
            "pages",
            "version tronquée",
        ),
        (
            {"pmid": "111", "note": "Vu par le Dr Martin"},
            "pmid={111}, note={Autre chose}",
            "note",
            "remplace la note actuelle",
        ),
    ],
    ids=["pmid", "doi", "pmcid", "url", "trial", "title", "pages", "note"],
)
def test_changes_that_lose_information_are_conflicts_kept_by_default(
    db, existing, entry, field, conflict
):
    make_source("mine", **existing)
    plan = _plan("@article{fichier, title={Impact of tacrolimus}, " + entry + "}")
    change = _changes(plan, "mine")[field]
    assert conflict in change.conflict
    report = apply_import(plan=plan)
    assert ("mine", change.label) in report.kept
    assert getattr(Source.objects.get(key="mine"), field) == change.old
    apply_import(
        plan=_plan("@article{f, title={Impact of tacrolimus}, " + entry + "}"),
        accept=True,
    )
    assert getattr(Source.objects.get(key="mine"), field) == change.new


def test_filling_and_correcting_are_plain_updates(db):
    make_source(
        "mine",
        pmid="111",
        title="Impact of tacrolimus",
        authors=[{"family": "Takada", "given": "K"}],
        kind="guideline",
        volume="59",
    )
    plan = _plan(
        "@misc{f, pmid={111}, title={Impact of tacrolimus: a trial}, doi={10.1000/x},"
        " author={Takada, Kazuki and Katada, Yoshinori}, year={2021}}"
    )
    changes = _changes(plan, "mine")
    assert set(changes) == {"title", "doi", "authors", "year"}
    assert not any(c.conflict for c in changes.values())
    apply_import(plan=plan)
    mine = Source.objects.get(key="mine")
    assert mine.doi == "10.1000/x"
    assert mine.kind == SourceKind.GUIDELINE  # @misc says nothing about the kind
    assert mine.volume == "59"  # a field the file leaves empty is never blanked


def test_confirming_after_the_library_changed_writes_nothing(db):
    mine = make_source("mine", doi="10.1000/a", title="Avant")
    plan = _plan(
        "@article{x, title={Après}, doi={10.1000/a}}\n@article{nouv, title={Neuve}}"
    )
    mine.title = "Corrigé entre-temps"
    mine.save()
    with pytest.raises(ImportPlanChanged, match="a changé depuis l'aperçu"):
        apply_import(plan=plan)
    assert Source.objects.get(key="mine").title == "Corrigé entre-temps"
    assert not Source.objects.filter(key="nouv").exists()


def test_a_source_added_since_the_plan_stops_the_import(db):
    plan = _plan("@article{nouv, title={Neuve}, doi={10.1000/n}}")
    make_source("autre", doi="10.1000/n")
    with pytest.raises(ImportPlanChanged):
        apply_import(plan=plan)
    assert Source.objects.count() == 1


def test_plan_and_apply_check_the_right_to_import(db, bib_text):
    reviewer = make_user("reviewer")
    with pytest.raises(PermissionDenied):
        _plan(bib_text, user=reviewer)
    plan = _plan(bib_text, user=make_user("editor"))
    with pytest.raises(PermissionDenied):
        apply_import(plan=plan, user=reviewer)
    assert Source.objects.count() == 0


def test_command_prints_the_plan_and_keeps_conflicts(db, bib_text, capsys):
    import_bibtex(bib_text)
    call_command("import_sources", str(ZOTERO_RIS))
    out = capsys.readouterr().out
    assert "0 nouvelle(s), 2 mise(s) à jour, 1 inchangée(s), 2 conflits" in out
    assert "~ mise à jour : takada2019 (ligne 1)" in out
    assert (
        "Revue ou site : Rheumatology (Oxford) → Rheumatology (Oxford, England)" in out
    )
    assert "! conflit, Auteurs" in out and "moins d'auteurs (7 au lieu de 14)" in out
    assert "gardé : tsuji2020, Auteurs (conflit non accepté)" in out
    assert "2 mise(s) à jour, 1 inchangée(s), 2 conflits laissés tels quels" in out
    assert len(Source.objects.get(key="takada2019").authors) == 14


def test_command_dry_run_writes_nothing(db, capsys):
    call_command("import_sources", str(ZOTERO_RIS), "--dry-run", "--verbose-report")
    out = capsys.readouterr().out
    assert "+ nouvelle : takada2020 (ligne 1)" in out
    assert "rien n'a été enregistré" in out
    assert Source.objects.count() == 0


def test_command_accept_conflicts_takes_the_file(db, bib_text, capsys):
    import_bibtex(bib_text)
    call_command("import_sources", str(ZOTERO_RIS), "--accept-conflicts")
    out = capsys.readouterr().out
    assert "gardé" not in out
    assert len(Source.objects.get(key="takada2019").authors) == 7


def test_command_refuses_a_file_naming_the_entry(db, tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={\\href}}\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"ligne 1 \(entrée « a »\).*Rien n'a"):
        call_command("import_sources", str(path), "--dry-run")
