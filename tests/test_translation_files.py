"""A variant's text handed to a translator as XLIFF and back: what comes in,
what is refused (saying why, changing nothing) and who may."""

import copy

import pytest
from lxml import etree

from briefs.editorial import workflow
from briefs.editorial.translation_files import (
    TranslationRefused,
    export_xliff,
    import_xliff,
)
from briefs.models import ReviewEvent, State, Variant
from briefs.text.markdown import citation_keys
from briefs.text.segments import split_markdown
from briefs.text.xliff import MAX_FILE_BYTES
from tests.factories import make_source, make_user, make_variant
from tests.xliff_helpers import NS, Q, fill_targets, target, to_bytes, tree, unit


def fresh(variant) -> Variant:
    return Variant.objects.get(pk=variant.pk)


def english(variant) -> tuple:
    v = fresh(variant)
    return (v.title_en, v.standfirst_en, v.body_en, v.edit_count, v.state)


def trail(variant) -> list:
    return list(
        ReviewEvent.objects.filter(variant=variant).values_list("pk", flat=True)
    )


@pytest.fixture
def demo_variants(demo):
    return {v.audience.code: v for v in Variant.objects.select_related("audience")}


@pytest.fixture
def editor(demo):
    return demo["redactrice"]


@pytest.mark.parametrize("audience", ["afm", "aim"])
def test_a_round_trip_keeps_every_segment_and_citation_of_the_demo(
    demo_variants, editor, audience
):
    variant = demo_variants[audience]
    live = variant.live_revision_id
    exported = export_xliff(variant=variant, user=editor)
    assert exported.filename == f"tacrolimus-dermatomyosite-{audience}-fr-en.xlf"
    translated = fill_targets(exported.content, lambda words: words.upper())

    imported = import_xliff(variant=variant, user=editor, data=translated)

    assert imported.changed and imported.warnings == []
    saved = fresh(variant)
    french, english_split = split_markdown(saved.body_fr), split_markdown(saved.body_en)
    assert english_split.ids() == french.ids()
    assert english_split.skeleton == french.skeleton
    for ours, theirs in zip(french.segments, english_split.segments, strict=True):
        assert citation_keys(theirs.markdown()) == citation_keys(ours.markdown())
        assert [t.markup for t in theirs.tags] == [t.markup for t in ours.tags]
        assert theirs.words == ours.words.upper()
    assert saved.title_en == saved.title_fr.upper()
    assert saved.standfirst_en == saved.standfirst_fr.upper()
    # A published text gets a new draft; the live page stays as it was.
    assert saved.state == State.DRAFT and saved.live_revision_id == live
    edit = ReviewEvent.objects.filter(variant=variant).latest("pk")
    assert edit.actor == editor and set(edit.changed_fields) <= {
        "title_en",
        "standfirst_en",
        "body_en",
    }


def test_the_export_is_xliff_1_2_with_the_current_english_and_what_checks_it(
    demo_variants, editor
):
    variant = demo_variants["aim"]
    root = tree(export_xliff(variant=variant, user=editor).content)
    assert root.get("version") == "1.2" and root.tag == f"{{{NS}}}xliff"
    file = root.find("x:file", Q)
    assert (file.get("source-language"), file.get("target-language")) == ("fr", "en")
    handoff = file.find("x:header/{urn:x-newsroom:translation-handoff:1}handoff", Q)
    assert handoff.get("variant") == str(variant.pk)
    assert handoff.get("brief") == "tacrolimus-dermatomyosite"
    assert handoff.get("edit-count") == str(variant.edit_count)
    assert len(handoff.get("fingerprint")) == 64
    citation = unit(root, "body-2").find("x:source/x:ph[@ctype='x-citation']", Q)
    assert citation.text == "[@takada2019]"
    assert unit(root, "body-3").find("x:source/x:ph", Q).text == "## "
    assert unit(root, "body-6-item-1").find("x:source/x:ph", Q).text == "- "
    assert target(root, "body-3").xpath("string()") == "## Clear benefits on mortality"


def test_a_translation_tool_edit_with_its_tags_kept_is_imported(demo_variants, editor):
    variant = demo_variants["aim"]
    root = tree(export_xliff(variant=variant, user=editor).content)
    # The tool wraps the sentence in a segment mark and the translator rewords it.
    heading = target(root, "body-3")
    ph = heading.find("x:ph", Q)
    mark = etree.SubElement(heading, f"{{{NS}}}mrk", mtype="seg", mid="1")
    heading.remove(ph)
    mark.append(ph)
    ph.tail = "Clear benefits for survival"
    cited = target(root, "body-4")
    cited.text = "Another Japanese study backs adding tacrolimus early"
    imported = import_xliff(variant=variant, user=editor, data=to_bytes(root))
    body = fresh(variant).body_en
    assert "## Clear benefits for survival\n\n" in body
    assert "Another Japanese study backs adding tacrolimus early[@tsuji2020]." in body
    assert imported.changed


def test_importing_the_unchanged_export_changes_nothing(demo_variants, editor):
    variant = demo_variants["aim"]
    before, events = english(variant), trail(variant)
    imported = import_xliff(
        variant=variant,
        user=editor,
        data=export_xliff(variant=variant, user=editor).content,
    )
    assert not imported.changed
    assert english(variant) == before and trail(variant) == events


def test_a_french_text_changed_since_the_export_is_a_warning_not_a_refusal(
    demo_variants, editor
):
    variant = demo_variants["afm"]
    translated = fill_targets(export_xliff(variant=variant, user=editor).content)
    current = fresh(variant)
    current.body_fr = current.body_fr.replace("japonais", "nippons", 1)
    workflow.save_content(
        variant=current, user=editor, expected_edit_count=current.edit_count
    )
    imported = import_xliff(variant=variant, user=editor, data=translated)
    assert imported.changed
    assert any("français a changé depuis l'export" in w for w in imported.warnings)
    assert fresh(variant).body_en.startswith("EN La dermatomyosite")


# Refusals -------------------------------------------------------------------


def _mutate(change):
    def made(content: bytes) -> bytes:
        root = tree(fill_targets(content))
        change(root)
        return to_bytes(root)

    return made


def _drop_unit(root):
    element = unit(root, "body-4")
    element.getparent().remove(element)


def _add_unit(root):
    element = copy.deepcopy(unit(root, "body-4"))
    element.set("id", "body-99")
    unit(root, "body-4").addnext(element)


def _twice(root):
    unit(root, "body-4").addnext(copy.deepcopy(unit(root, "body-4")))


def _set_ph(unit_id, text):
    def change(root):
        target(root, unit_id).find("x:ph", Q).text = text

    return change


def _drop_ph(root):
    element = target(root, "body-4")
    ph = element.find("x:ph", Q)
    element.text = (element.text or "") + (ph.tail or "")
    element.remove(ph)


def _double_ph(root):
    target(root, "body-4").append(copy.deepcopy(target(root, "body-4").find("x:ph", Q)))


def _new_ph(root):
    etree.SubElement(target(root, "body-4"), f"{{{NS}}}ph", id="9").text = "**"


def _g_element(root):
    etree.SubElement(target(root, "body-4"), f"{{{NS}}}g", id="9").text = "x"


def _typed_citation(root):
    target(root, "body-1").text += " [@tsuji2020]"


def _empty(root):
    element = target(root, "body-5")
    element.text = "  "


def _no_target(root):
    element = unit(root, "body-5")
    element.remove(target(root, "body-5"))


def _source_changed(root):
    unit(root, "body-1").find("x:source", Q).text = "Autre chose."


def _prefix_moved(root):
    element = target(root, "body-3")
    ph = element.find("x:ph", Q)
    element.text = ph.tail
    ph.tail = ""
    element.remove(ph)
    element.append(ph)


def _typed_heading(root):
    target(root, "body-1").text = "## " + target(root, "body-1").text


def _other_variant(root):
    handoff = root.find(".//{urn:x-newsroom:translation-handoff:1}handoff")
    handoff.set("variant", "999999")


def _no_header(root):
    header = root.find(".//x:header", Q)
    header.getparent().remove(header)


REFUSALS = [
    (_drop_unit, "L'unité « body-4 » manque"),
    (_add_unit, "L'unité « body-99 » n'était pas dans le texte exporté"),
    (_twice, "L'unité « body-4 » figure deux fois"),
    (
        _set_ph("body-4", "[@tsuji2021]"),
        "Unité « body-4 » : la citation « [@tsuji2020] » a été modifiée",
    ),
    (_set_ph("body-3", "### "), "Unité « body-3 » : la balise n° 1 a été modifiée"),
    (_drop_ph, "Unité « body-4 » : la citation « [@tsuji2020] » manque"),
    (
        _double_ph,
        "Unité « body-4 » : la balise n° 1 (« [@tsuji2020] ») figure deux fois",
    ),
    (
        _new_ph,
        "Unité « body-4 » : la balise n° 9 (« ** ») n'est pas dans le texte source",
    ),
    (_g_element, "Unité « body-4 » : balise « g » inconnue"),
    (_typed_citation, "Unité « body-1 » : les citations ne sont plus celles"),
    (_empty, "L'unité « body-5 » n'est pas traduite"),
    (_no_target, "L'unité « body-5 » n'est pas traduite"),
    (_source_changed, "Les textes source (français) du fichier ne sont plus ceux"),
    (_prefix_moved, "Unité « body-3 » : la balise n° 1 (« ## ») marque le début"),
    (_typed_heading, "Unité « body-1 » : la traduction contient du Markdown tapé"),
    (_other_variant, "Ce fichier est la traduction d'une autre version"),
    (_no_header, "Ce fichier n'a pas l'en-tête que le site écrit à l'export"),
]


@pytest.mark.parametrize(("change", "message"), REFUSALS)
def test_a_broken_translation_is_refused_with_its_unit_and_nothing_changes(
    demo_variants, editor, change, message
):
    variant = demo_variants["aim"]
    data = _mutate(change)(export_xliff(variant=variant, user=editor).content)
    before, events = english(variant), trail(variant)
    with pytest.raises(TranslationRefused) as refused:
        import_xliff(variant=variant, user=editor, data=data)
    assert message in refused.value.message
    assert english(variant) == before and trail(variant) == events


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file>&d;</file></xliff>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file>&x;</file></xliff>"""
XLIFF_2 = b"""<?xml version="1.0"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr"
trgLang="en"><file id="f"><unit id="u"><segment><source>a</source></segment></unit>
</file></xliff>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"Bonjour, voici la traduction.", "n'est pas un XML bien formé"),
        (b"", "n'est pas un XML bien formé"),
        (b'{"title": "x"}', "n'est pas un XML bien formé"),
        (b"<html><body>x</body></html>", "n'est pas un fichier XLIFF 1.2"),
        (XLIFF_2, "n'est pas un fichier XLIFF 1.2"),
        (
            b"<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'><file",
            "n'est pas un XML bien formé",
        ),
        (BILLION_LAUGHS, "déclare une DTD ou des entités"),
        (EXTERNAL, "déclare une DTD ou des entités"),
        (b" " * (MAX_FILE_BYTES + 1), "Fichier trop gros"),
        (b"\xff\xfe\x00<\x00x", "n'est pas un XML bien formé"),
    ],
)
def test_what_is_not_an_exported_xliff_file_is_refused(
    demo_variants, editor, data, message
):
    variant = demo_variants["aim"]
    before, events = english(variant), trail(variant)
    with pytest.raises(TranslationRefused) as refused:
        import_xliff(variant=variant, user=editor, data=data)
    assert message in refused.value.message
    assert english(variant) == before and trail(variant) == events


def test_the_file_of_the_other_audience_is_refused(demo_variants, editor):
    content = fill_targets(
        export_xliff(variant=demo_variants["afm"], user=editor).content
    )
    before = english(demo_variants["aim"])
    with pytest.raises(TranslationRefused) as refused:
        import_xliff(variant=demo_variants["aim"], user=editor, data=content)
    assert (
        "autre version" in refused.value.message and "« afm »" in refused.value.message
    )
    assert english(demo_variants["aim"]) == before


@pytest.fixture
def marked(db):
    """A draft with emphasis, a link and a table, as editors write them."""
    make_source("takada2019")
    return make_variant(
        body=(
            "Un texte **important** et [un lien](https://example.org).\n\n"
            "| Groupe | Survie |\n|---|---|\n| tacrolimus | 85 %[@takada2019] |\n"
        )
    )


def test_markup_of_a_draft_comes_back_where_the_translator_put_it(marked):
    editor = marked.author
    root = tree(export_xliff(variant=marked, user=editor).content)
    element = target(root, "body-1")
    assert element is None  # no English yet: nothing pre-filled
    data = fill_targets(
        to_bytes(root),
        lambda w: {"Un texte ": "A very ", " et ": " text and "}.get(w, w.upper()),
    )
    import_xliff(variant=marked, user=editor, data=data)
    saved = fresh(marked)
    assert saved.body_en == (
        "A very **IMPORTANT** text and [UN LIEN](https://example.org).\n\n"
        "| GROUPE | SURVIE |\n|---|---|\n| TACROLIMUS | 85 %[@takada2019] |"
    )
    assert saved.title_en == "UN TITRE DE BRÈVE"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("ept_first", "Unité « body-1 » : la balise n° 1 se ferme avant de s'ouvrir"),
        ("pipe", "Unité « body-2-cell-2-2 » : la traduction contient du Markdown tapé"),
    ],
)
def test_turned_tags_and_a_typed_pipe_are_refused(marked, change, message):
    editor = marked.author
    root = tree(fill_targets(export_xliff(variant=marked, user=editor).content))
    if change == "ept_first":
        element = target(root, "body-1")
        bpt, ept = element.findall("x:bpt", Q)[0], element.findall("x:ept", Q)[0]
        bpt.text, ept.text = ept.text, bpt.text
        bpt.tag, ept.tag = ept.tag, bpt.tag
    else:
        target(root, "body-2-cell-2-2").text = "85 | 90 %"
    before, events = english(marked), trail(marked)
    with pytest.raises(TranslationRefused) as refused:
        import_xliff(variant=marked, user=editor, data=to_bytes(root))
    assert message in refused.value.message
    assert english(marked) == before and trail(marked) == events


# Who may --------------------------------------------------------------------


def test_who_may_export_and_import(demo_variants, demo):
    variant = demo_variants["aim"]
    data = fill_targets(export_xliff(variant=variant, user=demo["redactrice"]).content)
    staff = make_user(None)
    for nobody in (staff, None):
        with pytest.raises(workflow.WorkflowError) as refused:
            export_xliff(variant=variant, user=nobody)
        assert "pas le droit" in refused.value.message
        with pytest.raises(workflow.WorkflowError):
            import_xliff(variant=variant, user=nobody, data=data)
    assert fresh(variant).state == State.PUBLISHED
    # Whoever may edit texts imports, as the editor or the chief editor.
    import_xliff(variant=variant, user=demo["chef"], data=data)
    assert fresh(variant).body_en.startswith("EN ")


def test_on_an_approved_text_nobody_imports_as_nobody_edits_it(db):
    make_source("takada2019")
    editor, reviewer, chief = (
        make_user("editor"),
        make_user("reviewer"),
        make_user("chief"),
    )
    variant = make_variant(author=editor)
    data = fill_targets(export_xliff(variant=variant, user=editor).content)
    workflow.submit(variant=fresh(variant), user=editor)
    # Exported while in review, for the translator to start.
    assert export_xliff(variant=fresh(variant), user=editor).content
    workflow.approve(variant=fresh(variant), user=reviewer)
    before, events = english(variant), trail(variant)
    for person in (editor, reviewer, chief):
        with pytest.raises(workflow.WorkflowError) as refused:
            import_xliff(variant=fresh(variant), user=person, data=data)
        assert refused.value.message
    with pytest.raises(workflow.WorkflowError):
        export_xliff(variant=fresh(variant), user=reviewer)
    assert english(variant) == before and trail(variant) == events
