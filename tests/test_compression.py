"""Public pages are sent compressed to browsers that take gzip, from the cache
too; staff pages never are (BREACH)."""

import gzip

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import budgets
from tests.factories import make_user

AFM = "/fr/afm/tacrolimus-dermatomyosite/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def test_a_public_page_is_compressed_and_says_it_varies_on_the_encoding(client, demo):
    response = client.get(AFM, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    page = gzip.decompress(response.content).decode()
    assert "Dermatomyosite : le tacrolimus" in page
    assert len(response.content) < len(page.encode()) / 2


def test_a_cached_page_is_served_compressed_and_each_encoding_has_its_copy(
    client, demo
):
    first = client.get(AFM, **GZIP)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(AFM, **GZIP)
    assert len(queries) == budgets.CACHED
    assert again["Content-Encoding"] == "gzip"
    assert again.content == first.content
    assert "Accept-Encoding" in again["Vary"]
    # A browser that takes no gzip is never sent the compressed copy.
    for _time in range(2):
        plain = client.get(AFM)
        assert not plain.has_header("Content-Encoding")
        assert "Accept-Encoding" in plain["Vary"]
        assert plain.content == gzip.decompress(first.content)


def test_a_compressed_page_answers_its_own_etag_with_304(client, demo):
    first = client.get(AFM, **GZIP)
    again = client.get(AFM, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304
    plain = client.get(AFM)
    assert plain["ETag"] != first["ETag"]


def test_a_search_page_is_compressed(client, demo):
    response = client.get("/fr/search/", {"q": "tacrolimus"}, **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "<mark>" in gzip.decompress(response.content).decode()


def test_staff_pages_and_signed_in_readers_are_sent_uncompressed(client, demo):
    login = client.get("/admin/login/", **GZIP)
    assert login.status_code == 200
    assert not login.has_header("Content-Encoding")
    client.force_login(make_user("editor"))
    page = client.get(AFM, **GZIP)
    assert page.status_code == 200
    assert not page.has_header("Content-Encoding")


def test_a_public_page_that_sets_a_cookie_is_not_compressed(client, demo):
    # A page with a form's CSRF token sets its cookie: it is neither kept
    # nor compressed (BREACH).
    from django.http import HttpResponse

    from briefs.public.compression import PublicGZipMiddleware

    def view(request):
        response = HttpResponse("<p>secret-ish</p>" * 50)
        response.set_cookie("csrftoken", "x")
        return response

    request = client.get(AFM).wsgi_request
    request.META.update(GZIP)
    response = PublicGZipMiddleware(view)(request)
    assert not response.has_header("Content-Encoding")
