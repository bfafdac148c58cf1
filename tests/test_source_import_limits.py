"""Imports refuse what no newsroom sends, and write large files in one short step."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import Source
from briefs.sources.importing import (
    MAX_AUTHORS,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_NOTE_CHARS,
    SourceImportError,
    apply_import,
    import_sources_file,
    plan_file,
)
from tests.factories import make_source


def _bib(count: int, **fields) -> str:
    extra = "".join(f", {name}={{{value}}}" for name, value in fields.items())
    return "".join(
        f"@article{{k{n}, title={{Étude {n}}}, doi={{10.1000/e{n}}}{extra}}}\n"
        for n in range(count)
    )


def _ris(count: int) -> str:
    return "".join(
        f"TY  - JOUR\nTI  - Étude {n}\nDO  - 10.1000/e{n}\nER  - \n"
        for n in range(count)
    )


@pytest.mark.parametrize(
    ("text", "filename"),
    [(_bib(MAX_ENTRIES + 1), "refs.bib"), (_ris(MAX_ENTRIES + 1), "refs.ris")],
    ids=["bibtex", "ris"],
)
def test_too_many_entries_are_refused(db, text, filename):
    with pytest.raises(SourceImportError) as caught:
        import_sources_file(data=text.encode(), filename=filename)
    assert "2001 références ; un import en prend 2000 au plus" in str(caught.value)
    assert Source.objects.count() == 0


def test_too_many_authors_are_refused(db):
    authors = " and ".join(f"Auteur{n}, A" for n in range(MAX_AUTHORS + 1))
    with pytest.raises(SourceImportError) as caught:
        import_sources_file(
            data=f"@article{{foule, title={{T}}, author={{{authors}}}}}".encode(),
            filename="refs.bib",
        )
    assert str(caught.value) == (
        "ligne 1 (entrée « foule ») : 1001 auteurs ; une référence en compte 1000 "
        "au plus."
    )
    ris = "TY  - JOUR\nTI  - T\n" + "AU  - Doe, J\n" * (MAX_AUTHORS + 1) + "ER  - \n"
    with pytest.raises(SourceImportError, match="1001 auteurs"):
        import_sources_file(data=ris.encode(), filename="refs.ris")


def test_a_file_over_2_mb_is_refused_at_every_door(db, tmp_path):
    big = ("%" + "x" * 99 + "\n") * (MAX_FILE_BYTES // 100 + 1)
    big += "@article{a, title={A}}\n"
    with pytest.raises(SourceImportError, match="2 Mo au plus"):
        import_sources_file(data=big.encode(), filename="refs.bib")
    path = tmp_path / "big.bib"
    path.write_text(big, encoding="utf-8")
    with pytest.raises(CommandError, match="2 Mo au plus"):
        call_command("import_sources", str(path))
    assert Source.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        (
            {"title": "T" * 501},
            "Titre : Assurez-vous que cette valeur comporte au plus 500",
        ),
        ({"journal": "J" * 301}, "Revue ou site : Assurez-vous"),
        ({"language": "Français, anglais"}, "Langue : Assurez-vous"),
        ({"note": "n" * (MAX_NOTE_CHARS + 1)}, "champ « note » trop long"),
        ({"volume": "v" * 200}, "champ « volume » trop long"),
    ],
    ids=["title", "journal", "language", "note", "volume"],
)
def test_fields_longer_than_the_library_keeps_are_refused_not_cut(db, fields, fragment):
    body = ", ".join(f"{name}={{{value}}}" for name, value in fields.items())
    text = "@article{long, title={Court}, " + body + "}\n"
    text = text.replace("title={Court}, title=", "title=")
    with pytest.raises(SourceImportError) as caught:
        import_sources_file(data=text.encode(), filename="refs.bib")
    assert str(caught.value).startswith("ligne 1 (entrée « long ») : ")
    assert fragment in str(caught.value)
    assert Source.objects.count() == 0


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]


def test_planning_writes_nothing_and_the_import_writes_in_a_few_statements(db):
    for n in range(0, MAX_ENTRIES, 2):  # half the file is already in the library
        make_source(f"k{n}", doi=f"10.1000/e{n}", title=f"Ancien titre {n}")
    with CaptureQueriesContext(connection) as planning:
        plan = plan_file(data=_bib(MAX_ENTRIES).encode(), filename="refs.bib")
    assert _writes(planning.captured_queries) == []
    assert len(planning.captured_queries) <= 12  # a few reads, not one per entry
    assert (len(plan.new), len(plan.updated)) == (MAX_ENTRIES // 2, MAX_ENTRIES // 2)
    with CaptureQueriesContext(connection) as applying:
        report = apply_import(plan=plan)
    # One short transaction: a few locking reads, then bulk statements (SQLite
    # takes about 50 rows per INSERT, PostgreSQL 500), never one per entry.
    assert len(applying.captured_queries) <= 50
    assert len(_writes(applying.captured_queries)) <= 40
    assert len(report.created) == len(report.updated) == MAX_ENTRIES // 2
    assert Source.objects.count() == MAX_ENTRIES
    assert Source.objects.get(key="k0").title == "Étude 0"
