"""No file, however broken or hostile, makes a translation import fail other
than with a clear refusal (and then nothing is saved)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.editorial import workflow
from briefs.editorial.translation_files import export_xliff, import_xliff
from briefs.models import ReviewEvent, Variant
from briefs.text.translated import translated_texts
from briefs.text.xliff import XliffRefused, read_xliff
from tests.test_source_import_fuzz import mutated
from tests.xliff_helpers import fill_targets

# Pieces that mean something to XML, XLIFF or Markdown, to splice into real files.
PIECES = [
    "<", ">", "&", "&amp;", "&lt;", "&#0;", "&#x1F600;", "&x;", "<![CDATA[x]]>",
    "<!--", "-->", "<?xml version='1.0'?>", "<!DOCTYPE x>", '<!ENTITY a "b">',
    '<ph id="1">', "</ph>", '<ph id="1">[@tsuji2020]</ph>', '<bpt id="7">**</bpt>',
    '<ept id="7">**</ept>', '<g id="1">', "</g>", '<x id="1"/>', '<mrk mtype="seg">',
    "</mrk>", "<target>", "</target>", "<source>", '<trans-unit id="body-1">',
    "</trans-unit>", 'id="body-2"', 'xml:space="default"', "[@", "]", "[@x]", "## ",
    "- ", "|", "**", "`", "\n\n", "\x00", "\ufeff", "\u202e", "é", '"', "'",
]  # fmt: skip
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def exported(demo):
    variant = Variant.objects.get(audience__code="aim")
    content = export_xliff(variant=variant, user=demo["redactrice"]).content
    return variant, demo["redactrice"], fill_targets(content)


def _read_or_refused(data: bytes) -> None:
    try:
        texts = translated_texts(read_xliff(data))
    except XliffRefused as exc:
        assert exc.message
    else:
        assert texts["title"] and texts["body"]


@FUZZ
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_are_read_or_refused(data):
    _read_or_refused(data)


def _spliced(original: bytes):
    return st.lists(
        st.tuples(st.integers(0, len(original)), st.sampled_from(PIECES)), max_size=6
    ).map(lambda edits: _apply(original, edits))


def _apply(original: bytes, edits) -> bytes:
    data = bytearray(original)
    for position, piece in sorted(edits, reverse=True):
        data[position:position] = piece.encode("utf-8")
    return bytes(data)


def _imported_or_refused(variant, user, data: bytes) -> None:
    before = Variant.objects.filter(pk=variant.pk).values().get()
    events = ReviewEvent.objects.count()
    with transaction.atomic():
        try:
            import_xliff(variant=variant, user=user, data=data)
        except workflow.WorkflowError as exc:
            assert exc.message
            assert Variant.objects.filter(pk=variant.pk).values().get() == before
            assert ReviewEvent.objects.count() == events
        transaction.set_rollback(True)  # each example starts from the same text


@FUZZ
@given(data=st.data())
def test_mutated_exports_are_imported_or_refused(exported, data):
    variant, user, content = exported
    _imported_or_refused(variant, user, data.draw(mutated(content)))


@FUZZ
@given(data=st.data())
def test_exports_with_xml_and_markdown_spliced_in_are_imported_or_refused(
    exported, data
):
    variant, user, content = exported
    _imported_or_refused(variant, user, data.draw(_spliced(content)))
