"""No file, however broken or hostile, makes an import fail other than with a clear refusal."""

from pathlib import Path

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.models import Source
from briefs.sources.importing import (
    SourceImportError,
    apply_import,
    import_bibtex,
    parse_bibtex,
    parse_ris,
    plan_file,
)
from tests.conftest import DEMO_CONTENT

DEMO_BIB = (DEMO_CONTENT / "sources-tacrolimus.bib").read_bytes()
ZOTERO_RIS = (
    Path(__file__).parent / "data" / "sources-tacrolimus-zotero.ris"
).read_bytes()
# Pieces that mean something to BibTeX, LaTeX or RIS, to splice into real files.
PIECES = [
    "\\href", "\\href{http://x}{y}", "\\footnote", "\\verb", "\\url", "\\begin{a}",
    "\\end{a}", "\\(", "\\[", "{", "}", "[", "]", "$", "\\", "%", "#", "@", ",", "=",
    '"', "\\'", "~", "--", " and ", "others", "{" * 40, "}" * 40, "@string{x={y}}",
    "@article{", "@comment{", "\n", "\r\n", "\x00", "\ufeff", "TY  - JOUR\n",
    "ER  - \n", "AU  - ", "TI  - ", "DO  - 10.1000/x", "AN  - 31539061", "PY  - 99999",
    "N1  - NCT03770663", "ID  - k", "  ", "é", "\u202e", "10.1093/rheumatology/kez394",
]  # fmt: skip
FILENAMES = ["refs.bib", "refs.ris", "export.txt", "refs", "refs.csv"]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@st.composite
def mutated(draw, original: bytes) -> bytes:
    """``original`` with a few spans deleted, duplicated, overwritten or spliced in."""
    data = bytearray(original)
    for _step in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(data)))
        end = draw(st.integers(position, min(len(data), position + 60)))
        operation = draw(st.sampled_from(["delete", "insert", "duplicate", "byte"]))
        if operation == "delete":
            del data[position:end]
        elif operation == "insert":
            piece = draw(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)))
            data[position:position] = piece.encode("utf-8", "surrogatepass")
        elif operation == "duplicate":
            data[position:position] = data[position:end] * draw(st.integers(1, 3))
        elif position < len(data):
            data[position] = draw(st.integers(0, 255))
    return bytes(data)


def _parsed_or_refused(parse, text: str) -> None:
    try:
        records = parse(text)
    except SourceImportError as exc:
        assert str(exc)
    else:
        assert records and all(r["title"] for r in records)


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_are_parsed_or_refused(data):
    text = data.decode("utf-8", "replace")
    _parsed_or_refused(parse_bibtex, text)
    _parsed_or_refused(parse_ris, text)


@FUZZ
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_any_mix_of_syntax_is_parsed_or_refused(text):
    _parsed_or_refused(parse_bibtex, "@article{k, title={" + text + "}}")
    _parsed_or_refused(parse_bibtex, text)
    _parsed_or_refused(parse_ris, "TY  - JOUR\nTI  - " + text + "\nER  - \n")
    _parsed_or_refused(parse_ris, text)


@pytest.fixture
def library(db, bib_text):
    """The demo sources, so that mutated files also update and conflict."""
    import_bibtex(bib_text)
    return {s.key: s.updated_at for s in Source.objects.all()}


def _imported_or_refused(data: bytes, filename: str, library: dict) -> None:
    with transaction.atomic():
        try:
            plan = plan_file(data=data, filename=filename)
            apply_import(plan=plan, accept=True)
        except SourceImportError as exc:
            assert str(exc)
            assert {s.key: s.updated_at for s in Source.objects.all()} == library
        transaction.set_rollback(True)  # each example starts from the same library


@FUZZ
@given(data=mutated(DEMO_BIB), filename=st.sampled_from(FILENAMES))
def test_mutated_demo_bibtex_is_imported_or_refused(library, data, filename):
    _imported_or_refused(data, filename, library)


@FUZZ
@given(data=mutated(ZOTERO_RIS), filename=st.sampled_from(FILENAMES))
def test_mutated_zotero_ris_is_imported_or_refused(library, data, filename):
    _imported_or_refused(data, filename, library)


@FUZZ
@given(data=st.binary(max_size=2000), filename=st.sampled_from(FILENAMES))
def test_arbitrary_bytes_are_imported_or_refused(library, data, filename):
    _imported_or_refused(data, filename, library)
