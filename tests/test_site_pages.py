"""Public pages as readers see them: languages, topics, errors, budgets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.editorial import workflow
from briefs.models import Topic
from tests import budgets
from tests.factories import make_published, make_user, make_variant
from tests.queries import reads_and_writes

AFM = "/fr/afm/tacrolimus-dermatomyosite/"
AIM = "/fr/aim/tacrolimus-dermatomyosite/"


def html(response) -> str:
    return response.content.decode()


def withdraw(variant) -> None:
    """Take a variant offline through the workflow."""
    workflow.unpublish(variant=variant, user=make_user("chief"))


def test_detail_shows_everything_a_reader_needs(client, demo):
    page = html(client.get(AFM))
    assert "<h1" in page and "Dermatomyosite : le tacrolimus" in page
    assert 'class="standfirst"' in page
    assert '<ol class="references">' in page and 'id="ref-1"' in page
    assert 'href="#ref-1"' in page
    assert "Publiée le" in page and "Dernière relecture" in page
    assert "Claire Martin" in page  # author
    assert "Dr Paul Lefèvre" in page  # reviewer
    assert 'href="/fr/afm/topic/dermatomyosite/"' in page
    assert "Version professionnels de santé" in page
    assert "ne remplace pas l&#x27;avis de votre médecin" in page


def test_professional_version_links_back_and_has_no_patient_disclaimer(client, demo):
    page = html(client.get(AIM))
    assert "Version patients" in page
    assert 'href="/fr/afm/tacrolimus-dermatomyosite/"' in page
    assert 'class="disclaimer"' not in page


def test_english_pages_of_the_demo_are_in_english(client, demo):
    response = client.get("/en/afm/tacrolimus-dermatomyosite/")
    page = html(response)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Dermatomyositis: tacrolimus appears" in page
    assert "Dermatomyosite : le tacrolimus" not in page
    assert "does not replace your doctor" in page
    assert 'href="/en/aim/tacrolimus-dermatomyosite/"' in page
    aim = html(client.get("/en/aim/tacrolimus-dermatomyosite/"))
    assert "Tacrolimus improves survival" in aim
    assert aim.count('class="cite-link"') == 3


def test_switcher_offers_english_only_when_the_live_revision_has_it(client, db):
    variant = make_published(title="Seulement en français")
    page = html(client.get(f"/fr/afm/{variant.brief.slug}/"))
    assert f'href="http://testserver/en/afm/{variant.brief.slug}/"' not in page
    assert 'hreflang="en"' not in page
    assert client.get(f"/en/afm/{variant.brief.slug}/").status_code == 404
    assert variant.brief.slug not in html(client.get("/en/afm/"))
    assert variant.brief.slug not in html(client.get("/en/"))


def test_switcher_links_to_the_english_page_when_translated(client, demo):
    page = html(client.get(AFM))
    assert 'href="http://testserver/en/afm/tacrolimus-dermatomyosite/"' in page
    assert 'aria-current="true">Français<' in page


def test_english_draft_translation_is_not_shown_until_published(client, db):
    variant = make_published(title="Titre publié")
    variant.title_en, variant.body_en = "Draft title", "A draft body."
    workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    assert client.get(f"/en/afm/{variant.brief.slug}/").status_code == 404


def test_other_version_link_only_when_the_other_is_published(client, db):
    afm = make_published(audience="afm")
    make_variant(audience="aim", brief=afm.brief, title="Brouillon pro")
    page = html(client.get(f"/fr/afm/{afm.brief.slug}/"))
    assert "Version professionnels de santé" not in page
    assert f"/fr/aim/{afm.brief.slug}/" not in page


def test_topic_page_lists_only_that_topics_briefs(client, db):
    topic = Topic.objects.create(name="myosites", slug="myosites")
    on_topic = make_published(title="Sur les myosites")
    on_topic.brief.topics.add(topic)
    make_published(title="Sur autre chose")
    response = client.get("/fr/afm/topic/myosites/")
    assert response.status_code == 200
    assert "Sur les myosites" in html(response)
    assert "Sur autre chose" not in html(response)
    assert client.get("/fr/afm/topic/inconnu/").status_code == 404


def test_topic_page_query_count_does_not_grow(
    client, db, django_assert_max_num_queries
):
    topic = Topic.objects.create(name="myosites", slug="myosites")
    for _ in range(12):
        make_published().brief.topics.add(topic)
    with django_assert_max_num_queries(budgets.LISTING):
        response = client.get("/fr/afm/topic/myosites/")
    assert html(response).count('class="card"') == 12


def test_home_shows_both_audiences_within_budget(client, db):
    for _ in range(8):
        make_published(audience="afm", title="Pour les patients")
        make_published(audience="aim", title="Pour les pros")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/")
    reads, writes = reads_and_writes(queries)
    assert len(reads) <= budgets.LISTING
    assert writes == []  # a read writes nothing
    page = html(response)
    assert page.count("Pour les patients") == 5
    assert page.count("Pour les pros") == 5


def test_listing_is_paginated(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        make_published(title=f"Brève numéro {n}")
    first = html(client.get("/fr/afm/"))
    assert first.count('class="card"') == 2
    assert 'rel="next" href="?page=2"' in first
    last = html(client.get("/fr/afm/?page=3"))
    assert last.count('class="card"') == 1
    assert 'rel="prev"' in last and "Page 3 sur 3" in last


def test_withdrawn_brief_answers_410_in_the_site_design(client, db):
    variant = make_published()
    withdraw(variant)
    response = client.get(f"/fr/afm/{variant.brief.slug}/")
    assert response.status_code == 410
    assert "Page retirée" in html(response)
    assert "css/site.css" in html(response)


def test_unknown_page_answers_404_in_the_site_design_and_language(client, db):
    response = client.get("/en/afm/nothing-here/")
    assert response.status_code == 404
    assert '<html lang="en">' in html(response)
    assert "css/site.css" in html(response)
    assert 'href="/en/"' in html(response)


def test_unknown_language_prefix_answers_404_without_redirect(client, db):
    for url in ("/de/", "/de/afm/", "/es/afm/tacrolimus-dermatomyosite/"):
        response = client.get(url)
        assert response.status_code == 404, url


def test_missing_prefix_still_redirects_to_french(client, demo):
    response = client.get("/afm/tacrolimus-dermatomyosite/")
    assert response.status_code == 302
    assert response["Location"] == AFM


def test_pages_have_no_inline_script_or_style(client, demo):
    for url in ("/fr/", "/fr/afm/", AFM, "/fr/search/?q=tacrolimus", "/fr/nope/"):
        page = html(client.get(url))
        assert "style=" not in page, url
        assert "<style" not in page, url
        inline = [
            tag
            for tag in re.findall(r"<script[^>]*>", page)
            if "src=" not in tag and 'type="application/ld+json"' not in tag
        ]
        assert inline == [], url


def test_skip_link_and_single_h1(client, demo):
    for url in ("/fr/", "/fr/afm/", AFM, "/fr/search/?q=x"):
        page = html(client.get(url))
        assert 'class="skip-link" href="#main"' in page
        assert page.count("<h1") == 1, url


def test_a_brief_cannot_take_a_slug_the_urls_use(db):
    from django.core.exceptions import ValidationError

    from briefs.models import Brief

    for slug in ("feed", "atom", "topic"):
        with pytest.raises(ValidationError, match="réservé"):
            Brief(slug=slug).full_clean()


def test_the_browser_finds_the_site_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = response["Location"]
    assert icon.endswith("favicon.ico") and icon.startswith("/static/")
    page = html(client.get("/fr/"))
    assert f'<link rel="icon" href="{icon}"' in page
    assert 'type="image/svg+xml"' in page
    assert client.post("/favicon.ico").status_code == 405


def test_the_search_page_describes_itself(client, db):
    for url in ("/fr/search/", "/fr/search/?q=tacrolimus"):
        page = html(client.get(url))
        assert re.search(r'<meta name="description" content="Chercher un mot', page)
    page = html(client.get("/en/search/"))
    assert '<meta name="description" content="Search' in page
