"""A published page as an A4 PDF: what it says, in which language, made once
per change of what it shows, and refused for anything not published."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from briefs.editorial import workflow
from briefs.public import freshness, page_cache
from briefs.public import pdf as pdf_module
from tests.factories import (
    make_published,
    make_source,
    make_user,
    make_variant,
    publish,
)

DEMO = "tacrolimus-dermatomyosite"
A4 = (595.28, 841.89)  # points


def text_of(content: bytes) -> str:
    """The PDF's text on one line (words broken across lines put back)."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text)


def page_sizes(content: bytes) -> set[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(content))
    return {
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in reader.pages
    }


@pytest.fixture
def renders(monkeypatch):
    """How many PDFs were made (WeasyPrint runs)."""
    made = []
    original = pdf_module.write_pdf

    def counting(*args, **kwargs):
        made.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf_module, "write_pdf", counting)
    return made


# -- What the PDF says ---------------------------------------------------------


def test_patient_pdf_is_an_a4_document_with_everything_the_page_says(
    client, demo, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get(f"/fr/afm/{DEMO}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{DEMO}-afm-fr.pdf"'
    )
    assert response["Content-Language"] == "fr"
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Link"] == (f'<http://testserver/fr/afm/{DEMO}/>; rel="canonical"')
    content = response.content
    assert content.startswith(b"%PDF-")
    assert page_sizes(content) == {A4}
    text = text_of(content)
    assert "Dermatomyosite : le tacrolimus semble augmenter" in text
    assert "Deux études plaident en faveur" in text  # standfirst
    # A glossary term with its definition, in brackets.
    assert "dermatomyosite (une maladie rare où les défenses du corps" in text
    # References with their identifiers.
    assert "10.1002/art.41105" in text
    assert "PMID: 31539061" in text
    assert "NCT03770663" in text
    # The trust block: who wrote and reviewed it, when; the disclaimer.
    assert "Rédigé par Claire Martin" in text
    assert "Relu par Dr Paul Lefèvre" in text
    assert "Dernière relecture" in text
    assert "Cette information ne remplace pas l'avis de votre médecin" in text
    assert "Hors AMM" in text
    # The page's address, at the top and at the foot of each page.
    assert text.count(f"http://testserver/fr/afm/{DEMO}/") >= 2
    assert PdfReader(io.BytesIO(content)).metadata.title.startswith("Dermatomyosite")


def test_english_pdf_is_in_english(client, demo):
    response = client.get(f"/en/afm/{DEMO}/pdf/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert response["Content-Disposition"].endswith(f'filename="{DEMO}-afm-en.pdf"')
    text = text_of(response.content)
    assert "Dermatomyositis: tacrolimus appears to make" in text
    assert "Written by Claire Martin" in text
    assert "Reviewed by" in text
    assert "This information does not replace your doctor's advice" in text
    assert "Page address:" in text
    assert f"http://testserver/en/afm/{DEMO}/" in text
    assert "Relu par" not in text
    assert "Cette information ne remplace pas" not in text


def test_professional_pdf_has_its_references_and_no_patient_disclaimer(client, demo):
    response = client.get(f"/fr/aim/{DEMO}/pdf/")
    assert response.status_code == 200
    text = text_of(response.content)
    assert "Tacrolimus" in text
    assert "10.1093/rheumatology/kez394" in text
    assert "Relu par" in text
    assert "ne remplace pas l'avis de votre médecin" not in text


def test_published_page_links_to_its_pdf_and_a_preview_does_not(client, demo):
    page = client.get(f"/fr/afm/{DEMO}/").content.decode()
    assert f'href="/fr/afm/{DEMO}/pdf/"' in page
    assert "Télécharger en PDF" in page
    english = client.get(f"/en/aim/{DEMO}/").content.decode()
    assert f'href="/en/aim/{DEMO}/pdf/"' in english
    assert "Download PDF" in english

    variant = make_variant(title="Texte en relecture")
    workflow.submit(variant=variant, user=variant.author)
    staff = Client()
    staff.force_login(make_user("reviewer"))
    preview = staff.get(f"/admin/briefs/variant/{variant.pk}/revisions/1/preview/")
    assert preview.status_code == 200
    assert "Texte en relecture" in preview.content.decode()
    assert "/pdf/" not in preview.content.decode()


# -- Refused -----------------------------------------------------------------


def test_pdf_of_anything_not_published_is_404(client, db, renders):
    draft = make_variant(title="Un brouillon")
    published = make_published(title="Une brève en ligne")
    slug = published.brief.slug
    assert client.get(f"/fr/afm/{draft.brief.slug}/pdf/").status_code == 404
    assert client.get("/fr/afm/aucune-breve/pdf/").status_code == 404
    assert client.get(f"/fr/aim/{slug}/pdf/").status_code == 404  # no such version
    assert client.get(f"/fr/xyz/{slug}/pdf/").status_code == 404
    assert client.get(f"/en/afm/{slug}/pdf/").status_code == 404  # no English
    assert client.get(f"/de/afm/{slug}/pdf/").status_code == 404
    workflow.unpublish(variant=published, user=make_user("chief"))
    assert client.get(f"/fr/afm/{slug}/pdf/").status_code == 404
    assert renders == []


@pytest.mark.parametrize(
    "path",
    [
        "/fr/afm/" + "a" * 5000 + "/pdf/",
        "/fr/afm/%00/pdf/",
        "/fr/afm/..%2F..%2Fetc/pdf/",
        "/fr/afm/%C3%A9t%C3%A9/pdf/",
        "/fr/afm/topic/pdf/",
        "/fr/afm/feed/pdf/",
        "/fr/afm/x/pdf/pdf/",
        "/fr/afm/x/pdf",
        "/fr/afm/x/pdf/?page=abc&x=%ff",
    ],
)
def test_hostile_pdf_addresses_answer_without_error(client, db, path):
    response = client.get(path)
    assert response.status_code in (301, 404)


def test_pdf_answers_only_reads(client, demo):
    url = f"/fr/afm/{DEMO}/pdf/"
    assert client.post(url).status_code == 405
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert int(head["Content-Length"]) > 1000


def test_a_missing_system_library_is_a_clear_503(client, db, monkeypatch):
    variant = make_published()

    def broken(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf_module, "write_pdf", broken)
    response = client.get(f"/fr/afm/{variant.brief.slug}/pdf/")
    assert response.status_code == 503
    assert "PDF n'est pas disponible" in response.content.decode()


def test_the_page_cache_leaves_the_pdf_to_its_view():
    assert page_cache.page_scopes(f"/fr/afm/{DEMO}/pdf/") is None


# -- Kept with the page ----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestKeptWithThePage:
    """Writes commit for real here, as in production (tokens change on commit)."""

    @pytest.fixture(autouse=True)
    def _empty_search_table(self):
        yield
        from briefs.public import search

        search.clear()

    def test_second_request_is_served_without_making_it_again(self, client, renders):
        variant = make_published(title="Titre en ligne")
        url = f"/fr/afm/{variant.brief.slug}/pdf/"
        first = client.get(url)
        assert first.status_code == 200
        assert renders == [1]
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
            tracked = client.get(url + "?utm_source=mail")
        assert len(queries) == 0
        assert renders == [1]
        assert second.content == tracked.content == first.content
        assert second["Content-Type"] == "application/pdf"
        assert second["Content-Disposition"] == first["Content-Disposition"]
        assert second["ETag"] == first["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        # A signed-in reader gets the same file, not a new rendering.
        reader = Client()
        reader.force_login(make_user(None, staff=False))
        assert reader.get(url).content == first.content
        assert renders == [1]

    def test_a_new_publication_makes_a_new_pdf(self, client, renders):
        variant = make_published(title="Titre en ligne")
        url = f"/fr/afm/{variant.brief.slug}/pdf/"
        assert "Titre en ligne" in text_of(client.get(url).content)
        variant.title_fr = "Titre corrigé"
        draft = workflow.save_content(
            variant=variant, user=variant.author, expected_edit_count=variant.edit_count
        )
        assert "Titre en ligne" in text_of(client.get(url).content)  # a draft: same
        assert renders == [1]
        publish(draft)
        text = text_of(client.get(url).content)
        assert "Titre corrigé" in text
        assert "Titre en ligne" not in text
        assert renders == [1, 1]
        workflow.unpublish(variant=draft, user=make_user("chief"))
        assert client.get(url).status_code == 404

    def test_a_change_to_the_brief_alone_makes_a_new_pdf(self, client, renders):
        reviewer = make_user("reviewer", first_name="Jeanne", last_name="Roux")
        variant = publish(make_variant(), reviewer=reviewer)
        url = f"/fr/afm/{variant.brief.slug}/pdf/"
        assert "Jeanne Roux" in text_of(client.get(url).content)
        # Behind the signals' back, then the brief's pages (not the listings)
        # are made stale: the PDF is kept with them.
        get_user_model().objects.filter(pk=reviewer.pk).update(last_name="Morel")
        freshness.invalidate(slugs=[variant.brief.slug])
        assert "Jeanne Morel" in text_of(client.get(url).content)
        assert renders == [1, 1]

    def test_each_language_has_its_own_pdf(self, client, renders):
        variant = make_variant(title="Titre français")
        variant.title_en = "English title"
        variant.body_en = variant.body_fr
        variant = workflow.save_content(
            variant=variant, user=variant.author, expected_edit_count=variant.edit_count
        )
        variant = publish(variant)
        slug = variant.brief.slug
        assert "Titre français" in text_of(client.get(f"/fr/afm/{slug}/pdf/").content)
        assert "English title" in text_of(client.get(f"/en/afm/{slug}/pdf/").content)
        client.get(f"/fr/afm/{slug}/pdf/"), client.get(f"/en/afm/{slug}/pdf/")
        assert renders == [1, 1]


def _images(content: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages)


def test_uploaded_images_are_printed_and_nothing_is_fetched_from_elsewhere(
    client, db, settings, tmp_path, monkeypatch
):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    Image.new("RGB", (40, 20), "#0b5c7a").save(tmp_path / "uploads" / "figure.png")

    fetched = []

    def no_network(self, url, *args, **kwargs):
        fetched.append(url)  # WeasyPrint would swallow an exception
        raise OSError("no network in tests")

    monkeypatch.setattr("urllib.request.OpenerDirector.open", no_network)
    source = make_source()
    uploaded = make_published(
        body=f"Une figure[@{source.key}].\n\n![Figure](/media/uploads/figure.png)\n"
    )
    elsewhere = make_published(
        body=f"Une image d'ailleurs[@{source.key}].\n\n"
        "![Pixel](http://169.254.169.254/latest/x.png)\n\n"
        "![Fichier](/media/../../../../etc/passwd)\n"
    )
    with_image = client.get(f"/fr/afm/{uploaded.brief.slug}/pdf/")
    without = client.get(f"/fr/afm/{elsewhere.brief.slug}/pdf/")
    assert with_image.status_code == without.status_code == 200
    assert fetched == []
    assert _images(with_image.content) == 1
    assert _images(without.content) == 0
    assert "Une image d'ailleurs" in text_of(without.content)
