"""The public pages' cache: served to anonymous readers, fresh after publishing."""

import pytest

from briefs.editorial import workflow
from briefs.models import Topic
from briefs.public import selectors
from tests import budgets
from tests.factories import make_published, make_user, publish

DETAIL = "/fr/afm/{slug}/"


@pytest.fixture
def published(db):
    variant = make_published(title="Titre en ligne")
    variant.brief.topics.add(Topic.objects.create(name="myosites", slug="myosites"))
    return variant


def test_anonymous_pages_do_not_vary_on_cookies(client, published):
    for path in ("/fr/", "/fr/afm/", DETAIL.format(slug=published.brief.slug)):
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies, path
        assert "cookie" not in response.get("Vary", "").lower(), path
        assert "public" in response["Cache-Control"], path
        assert "max-age=" in response["Cache-Control"], path


def test_second_reader_is_served_from_the_cache(
    client, published, django_assert_num_queries
):
    url = DETAIL.format(slug=published.brief.slug)
    first = client.get(url)
    with django_assert_num_queries(budgets.CACHED):
        second = client.get(url)
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "fr"


def test_logged_in_editor_is_never_served_from_the_cache(
    client, published, django_assert_max_num_queries
):
    url = DETAIL.format(slug=published.brief.slug)
    client.get(url)
    client.force_login(make_user("editor"))
    with django_assert_max_num_queries(5) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert "Titre en ligne" in response.content.decode()
    assert len(queries) > 0  # rendered for them, not taken from the cache


def test_publishing_shows_the_brief_at_once(
    client, published, django_capture_on_commit_callbacks
):
    assert "Nouvelle brève" not in client.get("/fr/afm/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = make_published(title="Nouvelle brève")
    listing = client.get("/fr/afm/").content.decode()
    assert "Nouvelle brève" in listing
    assert "Nouvelle brève" in client.get("/fr/").content.decode()
    assert client.get(DETAIL.format(slug=fresh.brief.slug)).status_code == 200


def test_unpublishing_withdraws_the_cached_page(
    client, published, django_capture_on_commit_callbacks
):
    url = DETAIL.format(slug=published.brief.slug)
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(variant=published, user=make_user("chief"))
    assert client.get(url).status_code == 410
    assert "Titre en ligne" not in client.get("/fr/afm/").content.decode()


def test_a_new_revision_replaces_the_cached_one(
    client, published, django_capture_on_commit_callbacks
):
    url = DETAIL.format(slug=published.brief.slug)
    assert "Titre en ligne" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        published.title_fr = "Titre corrigé"
        variant = workflow.save_content(
            variant=published,
            user=published.author,
            expected_edit_count=published.edit_count,
        )
    # A draft in progress changes nothing online.
    assert "Titre en ligne" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish(variant)
    assert "Titre corrigé" in client.get(url).content.decode()


def test_renaming_a_topic_refreshes_the_pages(
    client, published, django_capture_on_commit_callbacks
):
    url = DETAIL.format(slug=published.brief.slug)
    assert "myosites" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.get(slug="myosites")
        topic.name = "myosites inflammatoires"
        topic.save()
    assert "myosites inflammatoires" in client.get(url).content.decode()


def test_detail_answers_304_to_a_matching_etag(client, published):
    url = DETAIL.format(slug=published.brief.slug)
    first = client.get(url)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified.content == b""
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_etag_changes_when_the_page_changes(
    client, published, django_capture_on_commit_callbacks
):
    url = DETAIL.format(slug=published.brief.slug)
    etag = client.get(url)["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        topic = Topic.objects.get(slug="myosites")
        topic.name = "myosites de l'adulte"
        topic.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag


def test_with_the_cache_off_pages_still_have_validators(
    client, published, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    url = DETAIL.format(slug=published.brief.slug)
    first = client.get(url)
    with django_assert_max_num_queries(budgets.DETAIL) as queries:
        second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert len(queries) > 0
    assert second.status_code == 304


def test_missing_pages_are_not_cached(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        variant = make_published()
    assert client.get("/fr/afm/pas-encore/").status_code == 404
    # Renamed without running the invalidation: only an uncached 404 shows it.
    variant.brief.slug = "pas-encore"
    variant.brief.save()
    response = client.get("/fr/afm/pas-encore/")
    assert response.status_code == 200
    assert "Un titre de brève" in response.content.decode()


def test_head_from_the_cache_has_headers_and_no_body(client, published):
    url = DETAIL.format(slug=published.brief.slug)
    page = client.get(url)
    head = client.head(url)
    assert head.status_code == 200
    assert head.content == b""
    assert head["ETag"] == page["ETag"]
    assert head["Content-Length"] == str(len(page.content))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_listing_count_is_kept_until_the_next_publication(
    client, settings, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0  # the count is kept without the page cache
    first = make_published(title="Première brève", audience="afm")
    make_published(title="Deuxième brève", audience="afm")
    settings.NEWSROOM_PAGE_SIZE = 1
    assert "Page 1 sur 2" in client.get("/fr/afm/").content.decode()
    listing = selectors.public_listing(lang="fr", audience=first.audience)
    with django_assert_num_queries(budgets.CACHED):
        assert listing.count() == 2
    make_published(title="Troisième brève", audience="afm")
    assert "Page 1 sur 3" in client.get("/fr/afm/").content.decode()
    workflow.unpublish(variant=first, user=make_user("chief"))
    assert "Page 1 sur 2" in client.get("/fr/afm/").content.decode()
