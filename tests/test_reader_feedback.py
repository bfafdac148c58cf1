"""Readers say whether a page helped and report errors; the desk sees them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from briefs.models import EventAction, FeedbackKind, ReaderFeedback, ReviewEvent
from tests.admin_helpers import login
from tests.factories import make_published, make_user, make_variant

ORIGIN = "http://testserver"
URL = "/fr/feedback/"


@pytest.fixture
def page(db):
    """A brief published in French only."""
    return make_published(slug="tacrolimus", title="Le tacrolimus")


def post(client, data, **headers):
    headers.setdefault("HTTP_ORIGIN", ORIGIN)
    return client.post(URL, data, **headers)


def report(client, page, message="La dose citée est fausse : 0,1 mg, pas 1 mg."):
    return post(client, {"page": str(page.pk), "kind": "error", "message": message})


def test_every_published_page_asks_and_offers_to_report_an_error(client, page):
    html = client.get("/fr/afm/tacrolimus/").content.decode()
    assert "Cette page vous a-t-elle aidé ?" in html
    assert 'name="kind" value="helpful"' in html and ">Oui<" in html
    assert ">Non<" in html and "Signaler une erreur" in html
    assert f'action="{URL}"' in html
    # The page is the same for everyone: no token of anyone's in it.
    assert "csrfmiddlewaretoken" not in html


def test_the_page_with_its_forms_is_still_served_from_the_cache(client, page):
    first = client.get("/fr/afm/tacrolimus/")
    with CaptureQueriesContext(connection) as queries:
        again = client.get("/fr/afm/tacrolimus/")
    assert len(queries) == 0
    assert again.content == first.content
    assert "csrftoken" not in again.cookies


def test_yes_and_no_are_kept_with_the_page_only(client, page):
    response = post(client, {"page": str(page.pk), "kind": "helpful"})
    assert response.status_code == 200
    assert "Votre avis a été transmis à la rédaction." in response.content.decode()
    post(client, {"page": str(page.pk), "kind": "not_helpful"})
    kept = list(ReaderFeedback.objects.values_list("variant_id", "language", "kind"))
    assert sorted(kept) == [(page.pk, "fr", "helpful"), (page.pk, "fr", "not_helpful")]
    # Nothing about the reader is stored: no address, no agent, no account.
    names = {field.name for field in ReaderFeedback._meta.get_fields()}
    assert names == {
        "id", "variant", "language", "kind", "message",
        "created_at", "handled_at", "handled_by",
    }  # fmt: skip
    assert not response.cookies


def test_a_reported_error_thanks_the_reader_and_reaches_the_desk(client, page):
    response = report(client, page)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Merci !" in html and "transmis à la rédaction" in html
    assert 'href="/fr/afm/tacrolimus/"' in html
    kept = ReaderFeedback.objects.get()
    assert kept.kind == FeedbackKind.ERROR and kept.message.startswith("La dose")

    editor = make_user("editor")
    desk = login(editor)
    index = desk.get("/admin/").content.decode()
    assert "Erreurs signalées à traiter" in index
    assert "à traiter</a> : <strong>1</strong>" in index.split('id="reader-reports"')[1]
    listing = desk.get(
        "/admin/briefs/readerfeedback/?suite=a-traiter&kind__exact=error"
    )
    assert (
        listing.status_code == 200
        and "La dose citée est fausse" in listing.content.decode()
    )
    variant_page = desk.get(f"/admin/briefs/variant/{page.pk}/change/").content.decode()
    assert "1 signalement d'erreur à traiter" in variant_page
    assert f"/admin/briefs/readerfeedback/{kept.pk}/change/" in variant_page


def test_the_english_page_s_answers_are_kept_as_english(client, db):
    variant = make_published(slug="bilingue", title_en="A title", body_en="A body.")
    response = client.post(
        "/en/feedback/",
        {"page": str(variant.pk), "kind": "helpful"},
        HTTP_ORIGIN=ORIGIN,
    )
    assert response.status_code == 200
    assert ReaderFeedback.objects.get().language == "en"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, "Choisissez"),
        ({"kind": "helpful"}, "pas (ou plus) en ligne"),
        ({"page": "abc", "kind": "helpful"}, "pas (ou plus) en ligne"),
        ({"page": "²", "kind": "helpful"}, "pas (ou plus) en ligne"),
        ({"page": "9" * 40, "kind": "helpful"}, "pas (ou plus) en ligne"),
        ({"page": "999999", "kind": "helpful"}, "pas (ou plus) en ligne"),
        ({"page": "{pk}", "kind": "maybe"}, "Choisissez"),
        ({"page": "{pk}", "kind": "error"}, "Décrivez l&#x27;erreur"),
        ({"page": "{pk}", "kind": "error", "message": "   "}, "Décrivez l&#x27;erreur"),
        ({"page": "{pk}", "kind": "error", "message": "x" * 2001}, "trop long"),
        (
            {"page": "{pk}", "kind": "error", "message": "a\x00b"},
            "caractères invalides",
        ),
        ({"page": "{pk}\x00", "kind": "helpful"}, "pas (ou plus) en ligne"),
    ],
)
def test_hostile_or_incomplete_answers_are_refused_clearly(
    client, page, data, expected
):
    data = {k: v.replace("{pk}", str(page.pk)) for k, v in data.items()}
    response = post(client, data)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not ReaderFeedback.objects.exists()


def test_a_refused_report_gives_the_reader_their_text_back(client, page):
    response = report(client, page, message="Trop long. " + "x" * 2100)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Trop long. xxx" in html and 'name="message"' in html


def test_an_unpublished_draft_takes_no_answer(client, db):
    draft = make_variant(slug="brouillon")
    response = post(client, {"page": str(draft.pk), "kind": "helpful"})
    assert response.status_code == 400
    assert not ReaderFeedback.objects.exists()


def test_a_body_too_large_for_the_server_gets_a_clear_answer(client, page, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = report(client, page, message="x" * 20_000)
    assert response.status_code == 413
    assert "trop long" in response.content.decode()
    assert not ReaderFeedback.objects.exists()


def test_get_instead_of_post_explains_where_the_form_is(client, page):
    response = client.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "depuis la page d&#x27;une brève" in response.content.decode()


def test_a_post_from_another_site_is_refused(client, page):
    response = post(
        client,
        {"page": str(page.pk), "kind": "helpful"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert "depuis une page de ce site" in response.content.decode()
    assert not ReaderFeedback.objects.exists()


def test_a_post_that_names_no_origin_is_refused_but_a_referer_of_ours_will_do(
    client, page
):
    data = {"page": str(page.pk), "kind": "helpful"}
    assert client.post(URL, data).status_code == 403
    assert client.post(URL, data, HTTP_ORIGIN="null").status_code == 403
    response = client.post(URL, data, HTTP_REFERER=f"{ORIGIN}/fr/afm/tacrolimus/")
    assert response.status_code == 200
    assert ReaderFeedback.objects.count() == 1


def test_the_honeypot_thanks_a_robot_and_keeps_nothing(client, page):
    response = post(
        client,
        {
            "page": str(page.pk),
            "kind": "error",
            "message": "spam",
            "website": "x.example",
        },
    )
    assert response.status_code == 200 and "Merci !" in response.content.decode()
    assert not ReaderFeedback.objects.exists()


def test_answers_are_limited_per_address(client, page, settings):
    settings.NEWSROOM_FEEDBACK_RATE = "3/h"
    data = {"page": str(page.pk), "kind": "helpful"}
    assert [post(client, data).status_code for _ in range(3)] == [200, 200, 200]
    refused = post(client, data)
    assert refused.status_code == 429
    assert "réessayez dans une heure" in refused.content.decode()
    assert ReaderFeedback.objects.count() == 3
    # Another address is not held back by this one.
    other = post(client, data, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


def test_opening_a_correction_marks_the_report_and_leads_to_the_editing_page(
    client, page
):
    report(client, page)
    kept = ReaderFeedback.objects.get()
    editor = make_user("editor")
    desk = login(editor)
    form = desk.get(f"/admin/briefs/readerfeedback/{kept.pk}/change/").content.decode()
    assert "Ouvrir une correction" in form
    url = f"/admin/briefs/readerfeedback/{kept.pk}/open-correction/"
    response = desk.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/briefs/variant/{page.pk}/change/"
    kept.refresh_from_db()
    assert kept.handled_by == editor and kept.handled_at is not None
    event = ReviewEvent.objects.get(action=EventAction.READER_REPORT)
    assert event.actor == editor and event.variant_id == page.pk
    assert "La dose citée est fausse" in event.comment
    # The desk's count goes down; a second click changes nothing.
    index = desk.get("/admin/").content.decode()
    assert "à traiter</a> : <strong>0</strong>" in index.split('id="reader-reports"')[1]
    again = desk.post(url, follow=True)
    assert "déjà été pris en charge" in again.content.decode()
    assert ReviewEvent.objects.filter(action=EventAction.READER_REPORT).count() == 1


def test_opening_a_correction_needs_the_right_to_edit_and_a_post(client, page):
    report(client, page)
    kept = ReaderFeedback.objects.get()
    url = f"/admin/briefs/readerfeedback/{kept.pk}/open-correction/"
    reviewer = login(make_user("reviewer"))
    page_html = reviewer.get(f"/admin/briefs/readerfeedback/{kept.pk}/change/")
    assert page_html.status_code == 200
    assert "Ouvrir une correction" not in page_html.content.decode()
    refused = reviewer.post(url, follow=True)
    assert "pas le droit" in refused.content.decode()
    editor = login(make_user("editor"))
    assert editor.get(url).status_code == 302  # GET changes nothing
    kept.refresh_from_db()
    assert kept.handled_at is None
    assert login(make_user("editor")).post(
        "/admin/briefs/readerfeedback/abc/open-correction/"
    ).status_code in (302, 404)


def test_a_helpful_vote_opens_no_correction(client, page):
    post(client, {"page": str(page.pk), "kind": "helpful"})
    vote = ReaderFeedback.objects.get()
    desk = login(make_user("editor"))
    response = desk.post(
        f"/admin/briefs/readerfeedback/{vote.pk}/open-correction/", follow=True
    )
    assert "Seul un signalement d&#x27;erreur" in response.content.decode()
    assert not ReviewEvent.objects.filter(action=EventAction.READER_REPORT).exists()


def test_the_list_of_reports_stays_within_its_query_budget(
    client, page, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_FEEDBACK_RATE = "100/h"
    for n in range(30):
        report(client, page, message=f"Erreur {n}")
    desk = login(make_user("chief"))
    with django_assert_max_num_queries(15):
        response = desk.get("/admin/briefs/readerfeedback/")
    assert response.status_code == 200 and "Erreur 29" in response.content.decode()
