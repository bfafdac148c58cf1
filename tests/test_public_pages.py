"""Public detail and list pages read live revisions only, within budget."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.editorial import workflow
from briefs.models import Variant
from briefs.text import markdown as rendering
from tests import budgets
from tests.factories import make_published, make_variant
from tests.queries import reads_and_writes

DETAIL = "/fr/{aud}/{slug}/"


def test_demo_pages_show_the_real_texts(client, demo):
    afm = client.get("/fr/afm/tacrolimus-dermatomyosite/")
    aim = client.get("/fr/aim/tacrolimus-dermatomyosite/")
    assert afm.status_code == aim.status_code == 200
    afm_html, aim_html = afm.content.decode(), aim.content.decode()
    assert "le tacrolimus semble augmenter l’efficacité" in afm_html
    assert "Dix-huit étaient atteints" in aim_html
    assert "Dix- huit" not in aim_html
    assert "<h2>À venir en France</h2>" in afm_html
    assert aim_html.count("<li>") >= 3
    assert 'href="/fr/aim/tacrolimus-dermatomyosite/"' in afm_html
    assert '<html lang="fr">' in afm_html


def test_audience_list_shows_the_brief(client, demo):
    response = client.get("/fr/afm/")
    assert response.status_code == 200
    assert "/fr/afm/tacrolimus-dermatomyosite/" in response.content.decode()


def test_draft_answers_404_everywhere(client, db):
    variant = make_variant(title="Brouillon secret")
    assert (
        client.get(DETAIL.format(aud="afm", slug=variant.brief.slug)).status_code == 404
    )
    assert "Brouillon secret" not in client.get("/fr/afm/").content.decode()
    assert "Brouillon secret" not in client.get("/fr/").content.decode()


def test_in_review_and_approved_answer_404(client, db, reviewer):
    variant = make_variant()
    url = DETAIL.format(aud="afm", slug=variant.brief.slug)
    workflow.submit(variant=variant, user=variant.author)
    assert client.get(url).status_code == 404
    workflow.approve(variant=variant, user=reviewer)
    assert client.get(url).status_code == 404


def test_wrong_audience_answers_404(client, db):
    variant = make_published(audience="afm")
    assert (
        client.get(DETAIL.format(aud="aim", slug=variant.brief.slug)).status_code == 404
    )
    assert client.get(f"/fr/xyz/{variant.brief.slug}/").status_code == 404


def test_english_url_without_translation_is_404(client, db):
    variant = make_published()
    assert client.get(f"/en/afm/{variant.brief.slug}/").status_code == 404


def test_detail_renders_no_markdown(client, demo, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown rendered during a public request")

    monkeypatch.setattr(rendering, "render_markdown", forbidden)
    monkeypatch.setattr(rendering.markdown.Markdown, "convert", forbidden)
    response = client.get("/fr/aim/tacrolimus-dermatomyosite/")
    assert response.status_code == 200


def test_list_query_count_does_not_grow_with_length(client, db):
    for _ in range(12):
        make_published()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/afm/")
    reads, writes = reads_and_writes(queries)
    assert len(reads) <= budgets.LISTING
    assert writes == []  # a read writes nothing
    assert response.status_code == 200
    assert response.content.decode().count('class="card"') == 12


def test_list_pagination_out_of_range_is_not_an_error(client, demo):
    assert client.get("/fr/afm/?page=999999999").status_code == 200
    assert client.get("/fr/afm/?page=abc").status_code == 200


def test_root_redirects_to_french(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_healthz_checks_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_live_revision_stays_while_a_new_draft_is_written(client, db):
    variant = make_published(title="Titre publié")
    variant.title_fr = "Titre en cours de réécriture"
    workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    response = client.get(DETAIL.format(aud="afm", slug=variant.brief.slug))
    assert response.status_code == 200
    assert "Titre publié" in response.content.decode()
    assert "réécriture" not in response.content.decode()
    assert Variant.objects.get(pk=variant.pk).state == "draft"
