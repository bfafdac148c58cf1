"""Detail pages stored as rendered: served without rendering, never stale.

The page cache is off in these tests: what a reader gets comes from the
stored page or from a fresh render, and must always be what a fresh render
gives.
"""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext

from briefs import pages, workflow
from briefs.models import PageToken, Profile, RenderedPage, Topic, Variant
from tests.factories import make_published, make_user, make_variant, publish


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    settings.NEWSROOM_RENDERED_PAGES = True


@pytest.fixture
def published(db):
    reviewer = make_user("reviewer", first_name="Jeanne", last_name="Roux")
    variant = publish(make_variant(title="Titre en ligne"), reviewer=reviewer)
    variant.brief.topics.add(Topic.objects.create(name="myosites", slug="myosites"))
    return variant


def _url(variant: Variant) -> str:
    return f"/fr/{variant.audience.code}/{variant.brief.slug}/"


def fresh_render(client, url: str) -> str:
    """The page as the view renders it now, with nothing stored."""
    RenderedPage.objects.all().delete()
    return client.get(url).content.decode()


def test_second_reader_gets_the_stored_page_in_one_query(client, published):
    url = _url(published)
    first = client.get(url)
    assert RenderedPage.objects.filter(path=url).count() == 1
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 1
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
        variant=published, user=published.author, expected_version=published.version
    )
    assert "Titre en ligne" in client.get(url).content.decode()  # draft: no change
    publish(draft)
    html = client.get(url).content.decode()
    assert "Titre corrigé" in html
    assert html == fresh_render(client, url)


def test_publishing_the_other_version_adds_the_link_to_it(client, published):
    url = _url(published)
    assert "Version professionnels de santé" not in client.get(url).content.decode()
    other = make_published(brief=published.brief, audience="aim", title="Pour les pros")
    assert "Version professionnels de santé" in client.get(url).content.decode()
    workflow.unpublish(variant=other, user=make_user("chief"))
    assert "Version professionnels de santé" not in client.get(url).content.decode()


def test_unpublished_page_answers_410_and_is_not_kept(client, published):
    url = _url(published)
    client.get(url)
    workflow.unpublish(variant=published, user=make_user("chief"))
    assert client.get(url).status_code == 410
    assert not RenderedPage.objects.filter(path=url).exists()


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
    assert client.get(old).status_code == 404
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

    stored = RenderedPage.objects.get(path=url).rendered_at
    reviewer.save(update_fields=["last_login"])  # a login changes nothing shown
    client.get(url)
    assert RenderedPage.objects.get(path=url).rendered_at == stored


def test_page_is_rendered_again_when_its_review_falls_due(client, db):
    with time_machine.travel(dt.datetime(2025, 1, 15, 10, tzinfo=dt.UTC), tick=False):
        variant = publish(make_variant())
    url = _url(variant)
    with time_machine.travel(dt.datetime(2026, 1, 14, 10, tzinfo=dt.UTC), tick=False):
        assert "notice-stale" not in client.get(url).content.decode()
        assert RenderedPage.objects.filter(path=url).exists()
    with time_machine.travel(dt.datetime(2026, 1, 16, 10, tzinfo=dt.UTC), tick=False):
        assert "notice-stale" in client.get(url).content.decode()


def test_a_render_of_data_changed_meanwhile_is_never_served(client, published):
    url = _url(published)
    old_token = Variant.objects.get(pk=published.pk).brief.page_token
    # A reader renders the page; before it stores it, the title is corrected.
    published.title_fr = "Titre corrigé"
    publish(
        workflow.save_content(
            variant=published, user=published.author, expected_version=published.version
        )
    )
    stale = client.get(url)
    RenderedPage.objects.update(
        token=old_token, html=stale.content.decode().replace("corrigé", "périmé")
    )
    assert "Titre corrigé" in client.get(url).content.decode()


def test_new_code_renders_pages_again(client, published, monkeypatch):
    url = _url(published)
    client.get(url)
    RenderedPage.objects.update(html="<p>rendu par la version précédente</p>")
    assert "précédente" in client.get(url).content.decode()
    monkeypatch.setattr(pages, "render_key", lambda: "0" * 64)
    assert "Titre en ligne" in client.get(url).content.decode()


def test_each_host_gets_its_own_links(client, published):
    url = _url(published)
    assert "http://testserver/fr/afm/" in client.get(url).content.decode()
    other = client.get(url, HTTP_HOST="localhost").content.decode()
    assert "http://localhost/fr/afm/" in other
    assert "http://testserver/" not in other
    assert RenderedPage.objects.filter(path=url).count() == 2


def test_missing_english_page_is_404_and_not_kept(client, published):
    assert client.get(_url(published).replace("/fr/", "/en/")).status_code == 404
    assert RenderedPage.objects.count() == 0


def test_a_failed_store_costs_the_reader_nothing(client, published, monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(RenderedPage.objects, "bulk_create", refuse)
    response = client.get(_url(published))
    assert response.status_code == 200
    assert "Titre en ligne" in response.content.decode()


def test_nothing_is_stored_while_developing_or_when_turned_off(
    client, published, settings
):
    settings.DEBUG = True
    assert client.get(_url(published)).status_code == 200
    assert RenderedPage.objects.count() == 0
    settings.DEBUG, settings.NEWSROOM_RENDERED_PAGES = False, False
    assert client.get(_url(published)).status_code == 200
    assert RenderedPage.objects.count() == 0


# -- Listings ----------------------------------------------------------------


def test_listing_is_served_as_stored_until_a_publication(client, published):
    for url in ("/fr/", "/fr/afm/"):
        first = client.get(url)
        assert "Titre en ligne" in first.content.decode()
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url)
        assert len(queries) == 1
        assert again.content == first.content

    make_published(title="Une nouvelle brève")
    for url in ("/fr/", "/fr/afm/"):
        html = client.get(url).content.decode()
        assert "Une nouvelle brève" in html
        assert html == fresh_render(client, url)


def test_withdrawn_brief_leaves_the_stored_listing(client, published):
    assert "Titre en ligne" in client.get("/fr/afm/").content.decode()
    workflow.unpublish(variant=published, user=make_user("chief"))
    assert "Titre en ligne" not in client.get("/fr/afm/").content.decode()
    assert "Titre en ligne" not in client.get("/fr/").content.decode()


def test_renamed_brief_and_audience_show_on_the_stored_listing(client, published):
    client.get("/fr/afm/")
    brief = published.brief
    brief.slug = "nouvelle-adresse"
    brief.save()
    assert 'href="/fr/afm/nouvelle-adresse/"' in client.get("/fr/afm/").content.decode()
    audience = published.audience
    audience.name_fr = "Patients, familles et aidants"
    audience.save()
    assert "Patients, familles et aidants" in client.get("/fr/afm/").content.decode()


def test_only_existing_listing_pages_are_stored(client, published, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    make_published(title="Une deuxième brève")
    assert client.get("/fr/afm/?page=2").status_code == 200
    assert client.get("/fr/afm/?page=999").status_code == 200  # the last page
    assert client.get("/fr/afm/?page=abc").status_code == 200
    assert client.get("/fr/afm/?utm_source=lettre").status_code == 200
    assert client.get("/fr/?page=2").status_code == 200
    stored = set(RenderedPage.objects.values_list("path", flat=True))
    assert stored == {"/fr/afm/?page=2"}


def test_topic_pages_are_rendered_every_time(client, published):
    url = "/fr/afm/topic/myosites/"
    assert "Titre en ligne" in client.get(url).content.decode()
    assert not RenderedPage.objects.filter(path=url).exists()


def test_a_listing_rendered_before_a_publication_is_never_served(client, published):
    stale_token = PageToken.objects.get(name="listings").token
    make_published(title="Une nouvelle brève")
    # A reader read the token, then the new brief was published, then it stored.
    client.get("/fr/afm/")
    RenderedPage.objects.filter(path="/fr/afm/").update(
        token=stale_token, html="<p>liste périmée</p>"
    )
    assert "Une nouvelle brève" in client.get("/fr/afm/").content.decode()
