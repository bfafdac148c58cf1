"""The back office shows identifier errors, unknown keys, imports and deletion refusals."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError

from briefs.editorial import workflow
from briefs.editorial.revisions import submission_problems
from briefs.models import Source, Variant
from tests.factories import make_published, make_source, make_user, make_variant

SOURCES = "/admin/briefs/source/"
IMPORT = "/admin/briefs/source/import/"


def _source_form(**overrides):
    data = {
        "key": "etude2024",
        "kind": "article",
        "authors-0-family": "Doe",
        "authors-0-given": "Jane",
        "title": "Une étude",
        "container_title": "Revue",
        "publisher": "",
        "year": "2024",
        "volume": "",
        "issue": "",
        "pages": "",
        "published_on": "",
        "doi": "",
        "pmid": "",
        "pmcid": "",
        "trial_id": "",
        "url": "",
        "accessed_on": "",
        "language": "",
        "note": "",
    }
    data.update(overrides)
    return data


def _errors(response) -> str:
    return " ".join(
        re.sub(r"<[^>]+>", " ", m)
        for m in re.findall(
            r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>',
            response.content.decode(),
            re.S,
        )
    )


def test_admin_form_shows_identifier_errors(client, editor):
    client.force_login(editor)
    response = client.post(
        f"{SOURCES}add/",
        _source_form(doi="12.34/x", pmid="12ab", pmcid="PMCX", trial_id="NCT123"),
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert "n&#x27;est pas un DOI" in errors or "n'est pas un DOI" in errors
    assert "PMID" in errors
    assert "PMCID" in errors
    assert "NCT suivi de 8 chiffres" in errors
    assert not Source.objects.exists()


def test_admin_form_stores_normalized_identifiers(client, editor):
    client.force_login(editor)
    response = client.post(
        f"{SOURCES}add/",
        _source_form(doi="https://doi.org/10.1002/ART.41105", trial_id="nct03770663"),
    )
    assert response.status_code == 302
    source = Source.objects.get(key="etude2024")
    assert (source.doi, source.trial_id) == ("10.1002/art.41105", "NCT03770663")
    page = client.get(f"{SOURCES}{source.pk}/change/").content.decode()
    assert "https://doi.org/10.1002/art.41105" in page
    assert "Doe J. Une étude. Revue. 2024." in page


def test_variant_admin_form_refuses_an_unknown_key(client, editor):
    variant = make_variant(author=editor)
    client.force_login(editor)
    data = {
        "brief": variant.brief_id,
        "audience": variant.audience_id,
        "title_fr": variant.title_fr,
        "title_en": "",
        "standfirst_fr": "",
        "standfirst_en": "",
        "body_fr": "Un résultat[@takada2091].",
        "body_en": "",
        "loaded_edit_count": variant.edit_count,
    }
    response = client.post(f"/admin/briefs/variant/{variant.pk}/change/", data)
    assert response.status_code == 200
    assert "[@takada2091] n&#x27;existe pas" in response.content.decode()
    variant.refresh_from_db()
    assert "takada2091" not in variant.body_fr


def test_unknown_key_blocks_submission_with_a_clear_message(db):
    variant = make_variant(body="Un résultat[@inconnu2024].")
    problems = submission_problems(variant)
    assert any("[@inconnu2024] n'existe pas" in p for p in problems)
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.submit(variant=variant, user=variant.author)
    assert "inconnu2024" in str(caught.value.message)
    assert Variant.objects.get(pk=variant.pk).state == "draft"


def test_body_without_citation_cannot_be_submitted(db):
    variant = make_variant(body="Aucune source ici.")
    with pytest.raises(workflow.WorkflowError) as caught:
        workflow.submit(variant=variant, user=variant.author)
    assert "ne cite aucune source" in str(caught.value.message)


def test_source_cited_by_a_published_revision_cannot_be_deleted(db):
    source = make_source("cite")
    make_published(source=source)
    with pytest.raises(ProtectedError):
        source.delete()
    assert Source.objects.filter(key="cite").exists()


def test_admin_explains_why_a_cited_source_stays(client, chief):
    source = make_source("cite")
    variant = make_published(source=source, title="Une brève publiée")
    client.force_login(chief)
    url = f"{SOURCES}{source.pk}/delete/"
    page = client.get(url).content.decode()
    assert "ne peut donc pas être supprimée" in page
    assert (
        f"« Une brève publiée » (AFM), révision {variant.live_revision.number}, en ligne"
        in page
    )
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Source.objects.filter(pk=source.pk).exists()
    # The bulk action refuses too.
    client.post(
        SOURCES,
        {"action": "delete_selected", "_selected_action": [source.pk], "post": "yes"},
    )
    assert Source.objects.filter(pk=source.pk).exists()


def test_uncited_source_can_be_deleted(client, chief):
    source = make_source("libre")
    client.force_login(chief)
    response = client.post(f"{SOURCES}{source.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(pk=source.pk).exists()


def _token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def test_admin_import_previews_then_imports_on_confirmation(client, editor, bib_text):
    client.force_login(editor)
    assert "Importer BibTeX / RIS" in client.get(SOURCES).content.decode()
    upload = SimpleUploadedFile("sources.bib", bib_text.encode(), "text/x-bibtex")
    response = client.post(IMPORT, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200
    assert "3 nouvelle(s), 0 mise(s) à jour, 0 inchangée(s)" in page
    assert "takada2019" in page
    assert not Source.objects.exists()  # a preview writes nothing
    page = client.post(IMPORT, {"token": _token(page)}).content.decode()
    assert "3 créée(s), 0 mise(s) à jour, 0 inchangée(s)" in page
    assert "takada2019" in page
    assert Source.objects.count() == 3
    again = SimpleUploadedFile("sources.bib", bib_text.encode(), "text/x-bibtex")
    page = client.post(IMPORT, {"file": again}).content.decode()
    assert "0 nouvelle(s), 0 mise(s) à jour, 3 inchangée(s)" in page
    assert "Rien à importer" in page


def test_admin_import_of_a_malformed_file_shows_the_line(client, editor):
    client.force_login(editor)
    upload = SimpleUploadedFile("export.ris", b"TY  - JOUR\nTI  - A\nTY  - JOUR\n")
    page = client.post(IMPORT, {"file": upload}).content.decode()
    assert "Rien n'a été importé" in page
    assert "ligne 3 " in page
    assert not Source.objects.exists()


@pytest.mark.parametrize("role", [None, "reviewer"])
def test_import_needs_the_right_to_add_sources(client, db, role, bib_text):
    editor = make_user("editor")
    client.force_login(editor)
    upload = SimpleUploadedFile("sources.bib", bib_text.encode())
    token = _token(client.post(IMPORT, {"file": upload}).content.decode())
    client.force_login(make_user(role))
    upload = SimpleUploadedFile("sources.bib", bib_text.encode())
    assert client.post(IMPORT, {"file": upload}).status_code == 403
    assert client.post(IMPORT, {"token": token}).status_code == 403
    assert not Source.objects.exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(IMPORT)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_source_pages_open_for_editors(client, editor):
    trial = make_source(
        "essai", kind="trial", trial_id="NCT03770663", authors=[], container_title=""
    )
    client.force_login(editor)
    assert client.get(f"{SOURCES}add/").status_code == 200
    page = client.get(f"{SOURCES}{trial.pk}/change/").content.decode()
    assert "ClinicalTrials.gov identifier: " in page
    assert 'href="https://clinicaltrials.gov/study/NCT03770663"' in page
    assert client.get(IMPORT).status_code == 200
