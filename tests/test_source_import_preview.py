"""The admin import shows a preview first and writes only what the editor confirms."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from briefs.models import Source
from briefs.sources.importing import MAX_ENTRIES, import_bibtex
from tests.admin_helpers import login
from tests.factories import make_user

IMPORT = "/admin/briefs/source/import/"
ZOTERO_RIS = Path(__file__).parent / "data" / "sources-tacrolimus-zotero.ris"


def _upload(client, data: bytes, name: str = "export.ris"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


def _page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def _checkboxes(page: str, label: str) -> list[str]:
    """The values of the checkboxes whose label reads ``label``, in page order."""
    boxes = {
        box_id: value
        for value, box_id in re.findall(
            r'<input type="checkbox" name="accept" value="([^"]+)" id="([^"]+)">', page
        )
    }
    return [
        boxes[for_id]
        for for_id, text in re.findall(r'<label for="([^"]+)">([^<]+)</label>', page)
        if text == label and for_id in boxes
    ]


@pytest.fixture
def editor_client(db, bib_text):
    import_bibtex(bib_text)
    return login(make_user("editor"))


def test_preview_shows_each_source_and_its_conflicts(editor_client):
    page = _page(_upload(editor_client, ZOTERO_RIS.read_bytes()))
    assert "Aperçu de l'import de sources-tacrolimus-zotero.ris" not in page
    assert "Aperçu de l'import de export.ris" in page
    assert "0 nouvelle(s), 2 mise(s) à jour, 1 inchangée(s), 2 conflits." in page
    assert "Rien n'est encore enregistré" in page
    # takada2019: a table with the field, the current and the file's value.
    takada = page[page.index(">takada2019</a>") : page.index(">tsuji2020</a>")]
    assert "reconnue par son DOI" in takada
    assert re.search(
        r"<th scope=\"row\">Revue ou site</th>\s*<td>Rheumatology \(Oxford\)</td>\s*"
        r"<td>Rheumatology \(Oxford, England\)</td>",
        takada,
    )
    conflict = re.search(r'<tr class="import-conflict">(.*?)</tr>', takada, re.S)
    assert "Auteurs" in conflict.group(1)
    assert "(14 auteurs)" in conflict.group(1) and "(7 auteurs)" in conflict.group(1)
    assert "Conflit :</strong> moins d'auteurs (7 au lieu de 14)" in conflict.group(1)
    assert "La valeur actuelle est gardée." in conflict.group(1)
    assert "« et al. » serait perdu" in page
    assert len(_checkboxes(page, "Prendre la valeur du fichier (auteurs)")) == 2
    assert "1 source inchangée" in page and "catrpat" in page
    assert 'value="Confirmer l’import"' in page
    assert len(Source.objects.get(key="takada2019").authors) == 14  # nothing written


def test_confirming_keeps_conflicts_unless_ticked(editor_client):
    page = _page(_upload(editor_client, ZOTERO_RIS.read_bytes()))
    takada_box, _tsuji_box = _checkboxes(page, "Prendre la valeur du fichier (auteurs)")
    page = _page(
        editor_client.post(IMPORT, {"token": _token(page), "accept": [takada_box]})
    )
    assert (
        "0 créée(s), 2 mise(s) à jour, 1 inchangée(s), 1 conflit laissé tel quel"
        in page
    )
    assert "tsuji2020 — Auteurs" in page
    assert len(Source.objects.get(key="takada2019").authors) == 7
    assert Source.objects.get(key="tsuji2020").authors[-1] == {"others": True}
    assert Source.objects.get(key="takada2019").language == "eng"


def test_a_forged_choice_is_ignored(editor_client):
    page = _page(_upload(editor_client, ZOTERO_RIS.read_bytes()))
    editor_client.post(
        IMPORT, {"token": _token(page), "accept": ["1:note", "99:authors", "x"]}
    )
    assert len(Source.objects.get(key="takada2019").authors) == 14


def test_library_changed_since_the_preview_shows_it_again(editor_client):
    page = _page(_upload(editor_client, ZOTERO_RIS.read_bytes()))
    takada = Source.objects.get(key="takada2019")
    takada.container_title = "Rheumatology"
    takada.save()
    page = _page(editor_client.post(IMPORT, {"token": _token(page)}))
    assert "La bibliothèque de sources a changé depuis l'aperçu" in page
    assert "Voici l'aperçu à jour" in page
    assert "<td>Rheumatology</td>" in page  # the fresh preview shows the new value
    assert Source.objects.get(key="takada2019").language == ""  # nothing written
    page = _page(editor_client.post(IMPORT, {"token": _token(page)}))
    assert "2 mise(s) à jour" in page
    assert Source.objects.get(key="takada2019").language == "eng"


def test_a_preview_is_confirmed_once_and_only_by_its_author(editor_client, db):
    page = _page(_upload(editor_client, ZOTERO_RIS.read_bytes()))
    token = _token(page)
    other = login(make_user("editor"))
    page = _page(other.post(IMPORT, {"token": token}))
    assert "Cet aperçu a expiré ou a déjà été confirmé" in page
    assert Source.objects.get(key="takada2019").language == ""
    _page(editor_client.post(IMPORT, {"token": token}))
    page = _page(editor_client.post(IMPORT, {"token": token}))
    assert "Cet aperçu a expiré ou a déjà été confirmé" in page
    page = _page(editor_client.post(IMPORT, {"token": "../../etc"}))
    assert "Cet aperçu a expiré" in page


def test_a_new_file_is_previewed_then_created(db):
    client = login(make_user("editor"))
    page = _page(_upload(client, ZOTERO_RIS.read_bytes()))
    assert "3 nouvelles sources" in page
    assert "takada2020" in page and "(7 auteurs)" in page
    assert not Source.objects.exists()
    page = _page(client.post(IMPORT, {"token": _token(page)}))
    assert "3 créée(s)" in page
    assert Source.objects.count() == 3


BAD_FILES = [
    pytest.param(b"@article{a, title={\\href}}", "refs.bib", "entrée « a »", id="href"),
    pytest.param(
        b"@article{a, title={A\\footnote}}", "refs.bib", "LaTeX mal form", id="footnote"
    ),
    pytest.param(
        b"@article{a, title={" + b"{" * 300 + b"x" + b"}" * 300 + b"}}",
        "refs.bib",
        "imbriquées",
        id="nested",
    ),
    pytest.param(
        "TY  - JOUR\nTI  - é\nER  - \n".encode("latin-1"),
        "a.ris",
        "UTF-8",
        id="latin-1",
    ),
    pytest.param(b"   \n", "refs.bib", "vide", id="blank"),
    pytest.param(b"hello", "refs.docx", "Format inconnu", id="unknown"),
    pytest.param(
        b"@article{a, title={A}}\n@article{a, title={B}}",
        "r.bib",
        "déjà utilisée",
        id="dup",
    ),
    pytest.param(
        b"@article{takada2019, title={A}}\n"
        b"@article{b, title={B}, doi={10.1093/rheumatology/kez394}}",
        "r.bib",
        "désigne la même source « takada2019 »",
        id="same-source",
    ),
    pytest.param(
        "".join(
            f"TY  - JOUR\nTI  - T{n}\nER  - \n" for n in range(MAX_ENTRIES + 1)
        ).encode(),
        "r.ris",
        "2000 au plus",
        id="too-many",
    ),
]


@pytest.mark.parametrize(("data", "name", "fragment"), BAD_FILES)
def test_bad_files_get_a_clear_message_and_change_nothing(
    editor_client, data, name, fragment
):
    before = list(Source.objects.values_list("key", "updated_at"))
    page = _page(_upload(editor_client, data, name))
    assert "Rien n'a été importé." in page
    assert fragment in page
    assert 'name="token"' not in page
    assert list(Source.objects.values_list("key", "updated_at")) == before


def test_empty_and_oversized_uploads_are_refused_by_the_form(editor_client):
    page = _page(_upload(editor_client, b"", "refs.bib"))
    assert "Le fichier soumis est vide." in page
    page = _page(_upload(editor_client, b"%" * (2 * 1024 * 1024 + 1), "refs.bib"))
    assert "Fichier trop volumineux (2 Mo au plus)." in page


def test_preview_is_in_english_for_an_english_editor(editor_client):
    page = _page(
        editor_client.post(
            IMPORT,
            {"file": SimpleUploadedFile("export.ris", ZOTERO_RIS.read_bytes())},
            headers={"accept-language": "en"},
        )
    )
    assert "Import preview of export.ris" in page
    assert "fewer authors (7 instead of 14)" in page
    assert "Take the file's value (authors)" in page
