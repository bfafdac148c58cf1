"""Public pages from the shared cache: served without rendering, never stale.

Writes here commit for real (on_commit runs, as in production): what a
reader gets is either the page stored for its URL or a fresh render, and it
must always be what a fresh render gives.
"""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.editorial import workflow
from briefs.models import Profile, Topic, Variant
from briefs.public import freshness
from tests.factories import make_published, make_user, make_variant, publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _empty_search_table():
    """The database is flushed after each test here; the search table too."""
    yield
    from briefs.public import search

    search.clear()


@pytest.fixture
def published():
    reviewer = make_user("reviewer", first_name="Jeanne", last_name="Roux")
    variant = publish(make_variant(title="Titre en ligne"), reviewer=reviewer)
    variant.brief.topics.add(Topic.objects.create(name="myosites", slug="myosites"))
    return variant


def _url(variant: Variant) -> str:
    return f"/fr/{variant.audience.code}/{variant.brief.slug}/"


def fresh_render(client, url: str) -> str:
    """The page as the view renders it now, with nothing cached."""
    freshness.cache().clear()
    return client.get(url).content.decode()


def test_second_reader_gets_the_page_without_the_database(client, published):
    url = _url(published)
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Content-Language"] == "fr"
    assert second["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_a_new_live_revision_is_shown_at_once(client, published):
    url = _url(published)
    client.get(url)
    published.title_fr = "Titre corrigé"
    draft = workflow.save_content(
        variant=published,
        user=published.author,
        expected_edit_count=published.edit_count,
    )
    assert "Titre en ligne" in client.get(url).content.decode()  # draft: no change
    publish(draft)
    html = client.get(url).content.decode()
    assert "Titre corrigé" in html
    assert html == fresh_render(client, url)


def test_a_change_refreshes_its_brief_not_every_page(client, published):
    other = make_published(title="Une autre brève")
    other_url, url = _url(other), _url(published)
    client.get(other_url), client.get(url)
    published.title_fr = "Titre corrigé"
    publish(
        workflow.save_content(
            variant=published,
            user=published.author,
            expected_edit_count=published.edit_count,
        )
    )
    with CaptureQueriesContext(connection) as queries:
        client.get(other_url)
    assert len(queries) == 0  # still served from the cache
    assert "Titre corrigé" in client.get(url).content.decode()


def test_publishing_the_other_version_adds_the_link_to_it(client, published):
    url = _url(published)
    assert "Version professionnels de santé" not in client.get(url).content.decode()
    other = make_published(brief=published.brief, audience="aim", title="Pour les pros")
    assert "Version professionnels de santé" in client.get(url).content.decode()
    workflow.unpublish(variant=other, user=make_user("chief"))
    assert "Version professionnels de santé" not in client.get(url).content.decode()


def test_unpublished_page_answers_410_at_once(client, published):
    url = _url(published)
    client.get(url)
    workflow.unpublish(variant=published, user=make_user("chief"))
    assert client.get(url).status_code == 410


def test_topic_renamed_removed_or_deleted_shows_on_the_page(client, published):
    url = _url(published)
    topic = Topic.objects.get(slug="myosites")
    assert ">myosites</a>" in client.get(url).content.decode()

    topic.name = "myosites inflammatoires"
    topic.save()
    assert ">myosites inflammatoires</a>" in client.get(url).content.decode()

    topic.briefs.remove(published.brief)  # from the topic's side
    assert "myosites inflammatoires" not in client.get(url).content.decode()

    published.brief.topics.add(topic)
    assert "myosites inflammatoires" in client.get(url).content.decode()
    topic.briefs.clear()
    assert "myosites inflammatoires" not in client.get(url).content.decode()

    published.brief.topics.add(topic)
    assert "myosites inflammatoires" in client.get(url).content.decode()
    topic.delete()
    assert "myosites inflammatoires" not in client.get(url).content.decode()


def test_renamed_brief_moves_to_its_new_address(client, published):
    old = _url(published)
    client.get(old)
    brief = published.brief
    brief.slug = "nouvelle-adresse"
    brief.save()
    # Not the page cached at the old address: a permanent move to the new one.
    moved = client.get(old)
    assert moved.status_code == 301 and moved["Location"] == "/fr/afm/nouvelle-adresse/"
    assert client.get("/fr/afm/nouvelle-adresse/").status_code == 200


def test_people_named_on_the_page_are_kept_up_to_date(client, published):
    url = _url(published)
    reviewer = published.live_revision.approved_by
    assert "Jeanne Roux</dd>" in client.get(url).content.decode()

    Profile.objects.create(user=reviewer, title="neurologue")
    assert "Jeanne Roux, neurologue</dd>" in client.get(url).content.decode()

    reviewer.last_name = "Roux-Martin"
    reviewer.save()
    assert "Jeanne Roux-Martin, neurologue</dd>" in client.get(url).content.decode()

    reviewer.save(update_fields=["last_login"])  # a login changes nothing shown
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) == 0


def test_page_is_rendered_again_when_its_review_falls_due(client):
    with time_machine.travel(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        variant = publish(make_variant())
    url = _url(variant)
    with time_machine.travel(dt.datetime(2026, 1, 14, 10, tzinfo=dt.UTC), tick=False):
        assert "notice-stale" not in client.get(url).content.decode()
    with time_machine.travel(dt.datetime(2026, 1, 16, 10, tzinfo=dt.UTC), tick=False):
        assert "notice-stale" in client.get(url).content.decode()


def test_a_publication_between_the_read_and_the_store_is_never_hidden(
    client, published, monkeypatch
):
    """A reader's render has read its data; a correction is published and
    committed before the page is stored: that page must never be served."""
    from briefs.public.views import VariantDetailView

    url = _url(published)
    render = VariantDetailView.get

    def render_then_publish(view, request, *args, **kwargs):
        response = render(view, request, *args, **kwargs)
        if not getattr(render_then_publish, "done", False):
            render_then_publish.done = True
            fresh = Variant.objects.get(pk=published.pk)
            fresh.title_fr = "Titre corrigé"
            publish(
                workflow.save_content(
                    variant=fresh,
                    user=fresh.author,
                    expected_edit_count=fresh.edit_count,
                )
            )
        return response

    monkeypatch.setattr(VariantDetailView, "get", render_then_publish)
    assert "Titre en ligne" in client.get(url).content.decode()  # read before
    assert "Titre corrigé" in client.get(url).content.decode()


def test_a_new_release_never_serves_the_previous_ones_pages(
    client, published, settings
):
    url = _url(published)

    def queries_for_a_read(release: str) -> int:
        settings.NEWSROOM_RELEASE = release
        freshness.release.cache_clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    try:
        queries_for_a_read("release-a")
        assert queries_for_a_read("release-a") == 0  # kept for release a
        assert queries_for_a_read("release-b") > 0  # not served to release b
        assert queries_for_a_read("release-b") == 0
    finally:
        freshness.release.cache_clear()


def test_the_release_is_found_when_static_files_live_outside_the_project(
    client, published, settings, tmp_path
):
    # A deployment collects static files to /var/www/static or alike.
    (tmp_path / "staticfiles.json").write_text('{"paths": {}}', encoding="utf-8")
    settings.NEWSROOM_RELEASE = ""
    settings.STATIC_ROOT = str(tmp_path)
    freshness.release.cache_clear()
    try:
        first = freshness.release()
        assert client.get(_url(published)).status_code == 200
        (tmp_path / "staticfiles.json").write_text('{"paths": {"a": "b"}}')
        freshness.release.cache_clear()
        assert freshness.release() != first  # a new manifest is a new release
    finally:
        freshness.release.cache_clear()


def test_each_host_gets_its_own_links(client, published):
    url = _url(published)
    assert "http://testserver/fr/afm/" in client.get(url).content.decode()
    other = client.get(url, HTTP_HOST="localhost").content.decode()
    assert "http://localhost/fr/afm/" in other
    assert "http://testserver/" not in other


def test_missing_pages_and_odd_queries_are_not_kept(client, published, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    make_published(title="Une deuxième brève")
    for path in (
        "/fr/afm/?utm_source=lettre",
        "/fr/afm/?page=2&x=1",
        _url(published) + "?ref=partage",
    ):
        assert client.get(path).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        assert len(queries) > 0, path
    assert client.get(_url(published).replace("/fr/", "/en/")).status_code == 404


def test_a_cache_that_lost_its_tokens_only_misses(client, published):
    url = _url(published)
    client.get(url)
    freshness.cache().delete_many(
        freshness.token_keys(
            [freshness.SITE, freshness.brief_scope(published.brief.slug)]
        )
    )
    with CaptureQueriesContext(connection) as queries:
        assert "Titre en ligne" in client.get(url).content.decode()
    assert len(queries) > 0


# -- Listings ----------------------------------------------------------------


def test_listing_is_served_from_the_cache_until_a_publication(client, published):
    for url in ("/fr/", "/fr/afm/", "/fr/afm/topic/myosites/", "/fr/afm/feed/"):
        first = client.get(url)
        assert "Titre en ligne" in first.content.decode()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert len(queries) == 0, url
        assert again.content == first.content

    make_published(title="Une nouvelle brève")
    for url in ("/fr/", "/fr/afm/", "/fr/afm/feed/"):
        html = client.get(url).content.decode()
        assert "Une nouvelle brève" in html
        assert html == fresh_render(client, url)


def test_withdrawn_brief_leaves_the_listings(client, published):
    assert "Titre en ligne" in client.get("/fr/afm/").content.decode()
    workflow.unpublish(variant=published, user=make_user("chief"))
    assert "Titre en ligne" not in client.get("/fr/afm/").content.decode()
    assert "Titre en ligne" not in client.get("/fr/").content.decode()


def test_renamed_brief_and_audience_show_on_the_listing(client, published):
    client.get("/fr/afm/")
    brief = published.brief
    brief.slug = "nouvelle-adresse"
    brief.save()
    assert 'href="/fr/afm/nouvelle-adresse/"' in client.get("/fr/afm/").content.decode()
    audience = published.audience
    audience.name_fr = "Patients, familles et aidants"
    audience.save()
    assert "Patients, familles et aidants" in client.get("/fr/afm/").content.decode()
    assert (
        "Patients, familles et aidants" in client.get(_url(published)).content.decode()
    )


def test_raw_loads_make_every_page_stale(client, published, tmp_path):
    """Fixtures loaded raw skip the signals; the site is still refreshed."""
    from django.core.management import call_command

    url = _url(published)
    client.get(url), client.get("/fr/afm/")
    dump = tmp_path / "variant.json"
    call_command(
        "dumpdata", "briefs.variant", f"--pks={published.pk}", output=str(dump)
    )
    Variant.objects.filter(pk=published.pk).update(title_fr="Changé en base")
    call_command("loaddata", str(dump), verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 0


def test_sitemap_pages_are_kept_until_a_publication(client, published):
    with CaptureQueriesContext(connection) as first:
        client.get("/sitemap-briefs.xml")
    assert len(first) > 0
    with CaptureQueriesContext(connection) as again:
        client.get("/sitemap-briefs.xml")
    assert len(again) == 0
    fresh = make_published(title="Une nouvelle brève")
    assert fresh.brief.slug in client.get("/sitemap-briefs.xml").content.decode()
