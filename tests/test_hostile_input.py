"""Bad input anywhere gets a clear error or a 404, never a 500."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.models import Brief, ReviewEvent, Revision, Source, Topic, Variant
from briefs.sources.importing import SourceImportError, parse_bibtex
from tests.factories import make_published, make_user

LONG = "a" * 5000
# Public and back-office URLs a scanner or a curious reader would try.
HOSTILE_URLS = [
    "/fr/afm/?page=999999999999999999999999",
    "/fr/afm/?page=-1",
    "/fr/afm/?page=0",
    "/fr/afm/?page=abc",
    "/fr/afm/?page=1e9",
    "/fr/afm/?page=%00",
    "/fr/afm/?page=last",
    "/fr/afm/?page=1&page=2",
    "/fr/afm/?page[]=1",
    "/de/",
    "/de/afm/",
    "/de/afm/{slug}/",
    "/xx-yy/afm/",
    "/en/xyz/",
    "/fr/nope/",
    "/fr/afm/" + "a" * 300 + "/",
    f"/fr/afm/{LONG}/",
    "/fr/afm/%C3%A9t%C3%A9/",
    "/fr/afm/%F0%9F%A7%AC/",
    "/fr/afm/%FF%FE/",
    "/fr/afm/%00/",
    "/fr/afm/..%2F..%2Fetc%2Fpasswd/",
    "/fr/afm/{slug}/?utm=%00",
    "/fr/aim/{slug}/../../admin/",
    "/fr/afm/feed/?page=-5",
    "/fr/afm/atom/?limit=99999999999",
    "/fr/afm/topic/%00/",
    "/fr/afm/topic/" + "x" * 400 + "/",
    "/fr/search/?q=%00",
    "/fr/search/?q=" + "%27%22%3C" * 300,
    "/fr/search/?q=a&aud=zzz&page=-1",
    "/fr/preview/garbage/",
    "/fr/preview/" + "A" * 2000 + "/",
    "/fr/preview/%00/",
    "/healthz?%00",
    "/sitemap.xml?p=%00",
    "/sitemap.xml?p=-1",
    "/robots.txt",
    "/static/../../etc/passwd",
    "/media/../settings.py",
    "/admin/login/?next=javascript:alert(1)",
    "/admin/login/?next=%00",
    "/admin/briefs/variant/?state__exact=%3Cscript%3E",
    "/admin/briefs/variant/?state=published&o=99",
    "/admin/briefs/variant/?o=-1.abc",
    "/admin/briefs/variant/?q=%00",
    "/admin/briefs/variant/?q=" + "x" * 3000,
    "/admin/briefs/variant/?p=-1",
    "/admin/briefs/variant/?p=99999999999999999999",
    "/admin/briefs/variant/?audience__id__exact=abc",
    "/admin/briefs/variant/?audience__id__exact=99999999999999999999999",
    "/admin/briefs/variant/?author__password__startswith=x",
    "/admin/briefs/variant/?e=1",
    "/admin/briefs/variant/?_to_field=password",
    "/admin/briefs/variant/abc/change/",
    "/admin/briefs/variant/99999999999999999999999/change/",
    "/admin/briefs/variant/%00/change/",
    "/admin/briefs/brief/-1/delete/",
    "/admin/briefs/brief/1/history/?p=%00",
    "/admin/briefs/source/?year=abc",
    "/admin/briefs/source/?year__exact=99999999999",
    "/admin/briefs/reviewevent/?created_at__gte=not-a-date",
    "/admin/autocomplete/?app_label=auth&model_name=user&field_name=password",
    "/admin/jsi18n/",
    "/admin/r/999999/1/",
    "/admin/r/abc/%00/",
]


@pytest.fixture
def published(db):
    return make_published()


def _content_counts() -> dict[str, int]:
    """How many rows each content table holds (what a refused input must not change)."""
    return {
        model.__name__: model.objects.count()
        for model in (Brief, Variant, Revision, ReviewEvent, Source, Topic)
    }


@pytest.fixture
def browser(db) -> Client:
    """A client that shows a 500 as a 500 instead of raising."""
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("who", ["anonymous", "editor", "chief"])
def test_hostile_urls_never_answer_5xx(browser, published, who):
    if who != "anonymous":
        browser.force_login(make_user(who))
    failures = []
    for template in HOSTILE_URLS:
        url = template.replace("{slug}", published.brief.slug)
        response = browser.get(url)
        if response.status_code >= 500:
            failures.append((url[:120], response.status_code))
    assert failures == []


@pytest.mark.parametrize(
    "url", ["/fr/afm/?page=999999", "/fr/afm/?page=-1", "/fr/afm/?page=abc"]
)
def test_out_of_range_pages_show_a_real_page(browser, published, url):
    """A page number past the end, or no number at all, shows the nearest page."""
    response = browser.get(url)
    assert response.status_code == 200
    assert published.live_revision.title_fr in response.content.decode()


def test_unknown_language_is_a_404(browser, published):
    for url in (f"/de/afm/{published.brief.slug}/", "/de/"):
        response = browser.get(url, follow=True)
        assert response.status_code == 404, url


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("post", "/admin/markdownx/markdownify/", {"content": "\x00" * 10}),
        ("post", "/admin/markdownx/markdownify/", {"content": "x" * 200_000}),
        ("post", "/admin/markdownx/markdownify/", {"contenu": "x"}),
        ("post", "/admin/markdownx/upload/", {"image": "not a file"}),
        ("post", "/admin/briefs/brief/add/", {"slug": "\x00bad"}),
        ("post", "/admin/briefs/brief/add/", {"slug": "é" * 500}),
        ("post", "/admin/briefs/source/add/", {"key": "a b", "doi": "pas un doi"}),
        ("post", "/admin/briefs/source/add/", {"key": "k", "year": "99999999999"}),
        ("post", "/admin/briefs/source/add/", {"key": "k", "authors": "{not json"}),
        ("post", "/admin/briefs/variant/add/", {"brief": "abc", "audience": "-1"}),
        ("post", "/admin/briefs/variant/add/", {"brief": "999999999999999999999"}),
        ("post", "/admin/briefs/variant/add/", {"loaded_edit_count": "x" * 100}),
        ("post", "/admin/briefs/brief/", {"action": "nope", "_selected_action": "x"}),
        ("post", "/admin/briefs/brief/", {"action": "delete_selected"}),
        ("post", "/admin/login/", {"username": "\x00", "password": "x"}),
        ("post", "/admin/login/", {"username": "a" * 10_000, "password": "x"}),
    ],
)
def test_hostile_forms_get_a_clear_answer(browser, published, method, url, data):
    """Refused, with a page or message that says why; nothing is written."""
    browser.force_login(make_user("chief"))
    before = _content_counts()
    response = getattr(browser, method)(url, data)
    assert response.status_code < 500, (url, data)
    assert _content_counts() == before


@pytest.mark.parametrize(
    "body", [b"title_fr=%ED%A0%80&brief=1", b"\xff\xfe\x00=\x00", b"%%%&&&==="]
)
def test_undecodable_form_bodies_are_not_a_500(browser, published, body):
    browser.force_login(make_user("chief"))
    response = browser.generic(
        "POST",
        "/admin/briefs/variant/add/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code < 500


def test_oversized_request_body_is_a_400_not_a_500(browser, db):
    browser.force_login(make_user("editor"))
    response = browser.post(
        "/admin/markdownx/markdownify/", {"content": "x" * 3_000_000}
    )
    assert response.status_code == 400


# --- importer and BibTeX -----------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"\x00\x01\x02\xff\xfe" * 1000,
        "Brève AFM\n".encode() * 3,
        b"PK\x03\x04" + b"\x00" * 200,  # a zip (a .docx)
        "\ufeffBrève AIM seulement\n\nTitre\n".encode(),
        ("x" * 10_000 + "\n").encode() * 300,  # 3 MB of one word
        "Brève AFM\n\n".encode() + ("[" * 5000).encode(),
        "Brève AFM\n\nTitre\x00\n\nTexte\x00 [@x]\n".encode(),
    ],
    ids=["empty", "binary", "headers-only", "zip", "bom", "huge", "brackets", "nul"],
)
def test_import_brief_refuses_garbage_with_a_clear_error(db, tmp_path, payload):
    path = tmp_path / "breve-garbage.txt"
    path.write_bytes(payload)
    briefs = Brief.objects.count()
    with pytest.raises(CommandError):
        call_command("import_brief", str(path))
    assert Brief.objects.count() == briefs


def test_admin_forms_refuse_nul_characters(client, db):
    client.force_login(make_user("chief"))
    response = client.post(
        "/admin/briefs/topic/add/", {"name_fr": "a\x00b", "slug": "ab"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors
    assert not Topic.objects.exists()


def test_import_brief_of_a_directory_or_missing_file_is_clear(db, tmp_path):
    with pytest.raises(CommandError):
        call_command("import_brief", str(tmp_path))
    with pytest.raises(CommandError, match="introuvable"):
        call_command("import_brief", str(tmp_path / "none.txt"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\x01",
        "@article{",
        "@article{k, title = {unterminated",
        "@article{k, title={T}, doi={pas-un-doi}}",
        "@article{k, year={99999999999999}, title={T}}",
        "@article{" + "k" * 5000 + ", title={T}}",
        "@article{k, title={" + "{" * 3000 + "}}",
        "@article{k, title={\\" + "\\" * 3000 + "}}",
        "@article{k, author={" + " and ".join(["A"] * 3000) + "}, title={T}}",
        "@string{a = b # a}\n@article{k, title=a}",
    ],
    ids=[
        "empty",
        "binary",
        "open",
        "unterminated",
        "bad-doi",
        "huge-year",
        "long-key",
        "braces",
        "backslashes",
        "many-authors",
        "string-loop",
    ],
)
def test_bibtex_garbage_is_refused_or_imported_never_crashes(db, tmp_path, text):
    path = tmp_path / "s.bib"
    path.write_text(text, encoding="utf-8")
    brief = tmp_path / "b.txt"
    brief.write_text("", encoding="utf-8")
    try:
        parse_bibtex(text)
    except SourceImportError as exc:
        assert str(exc)
    sources = Source.objects.count()
    with pytest.raises(CommandError):
        call_command("import_brief", str(brief), "--sources", str(path))
    assert Source.objects.count() == sources


BIB_PIECES = ["@article{", "@misc{", "@string{", "@comment{", "}", "{", ",", "=",
              "title", "author", "doi", "year", " and ", "#", '"', "\\", "%", "\n",
              "10.1000/x", "k1", "{\\'e}", "$", "^", "_"]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(BIB_PIECES), st.text(max_size=5)), max_size=30)
)
def test_any_bibtex_is_parsed_or_refused_with_a_reason(pieces):
    try:
        records = parse_bibtex("".join(pieces))
    except SourceImportError as exc:
        assert str(exc)
    else:
        assert all(r["title"] for r in records)
