"""The variant page's translation files through the real admin URLs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from briefs.editorial.translation_files import export_xliff
from briefs.models import ReviewEvent, State, Variant
from tests.factories import make_user
from tests.xliff_helpers import Q, fill_targets, target, to_bytes, tree


@pytest.fixture
def variant(demo):
    return Variant.objects.get(audience__code="aim")


def login(user) -> Client:
    # The demo accounts have their own passwords: signed in directly.
    client = Client()
    client.force_login(user)
    return client


def urls(variant):
    base = f"/admin/briefs/variant/{variant.pk}/translation"
    return f"{base}/export/", f"{base}/import/"


def upload(client, variant, content: bytes, name="traduction.xlf", **extra):
    return client.post(
        urls(variant)[1],
        {"file": SimpleUploadedFile(name, content), **extra},
    )


def unchanged(variant) -> tuple:
    v = Variant.objects.get(pk=variant.pk)
    return (v.title_en, v.body_en, v.edit_count, v.state, ReviewEvent.objects.count())


def test_the_variant_page_offers_both_tools_to_who_may_edit(variant, demo):
    page = login(demo["redactrice"]).get(f"/admin/briefs/variant/{variant.pk}/change/")
    html = page.content.decode()
    export, import_ = urls(variant)
    assert f'href="{export}"' in html and "Exporter pour traduction (XLIFF)" in html
    assert f'href="{import_}"' in html and "Importer une traduction" in html
    as_reviewer = login(demo["relecteur"])
    html = as_reviewer.get(
        f"/admin/briefs/variant/{variant.pk}/change/"
    ).content.decode()
    assert export not in html


def test_the_export_is_a_download_named_after_the_brief_and_audience(variant, demo):
    response = login(demo["redactrice"]).get(urls(variant)[0])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-xliff+xml; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="tacrolimus-dermatomyosite-aim-fr-en.xlf"'
    )
    assert b'<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2"' in response.content


def test_an_upload_saves_the_english_as_a_new_draft(variant, demo):
    client = login(demo["redactrice"])
    page = client.get(urls(variant)[1])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    content = fill_targets(client.get(urls(variant)[0]).content)
    response = upload(client, variant, content)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/briefs/variant/{variant.pk}/change/"
    saved = Variant.objects.get(pk=variant.pk)
    assert saved.body_en.startswith("EN ") and saved.state == State.DRAFT
    assert saved.live_revision_id == variant.live_revision_id
    followed = client.get(response["Location"])
    assert "Traduction importée" in followed.content.decode()


def test_a_refused_upload_says_why_on_its_page_and_changes_nothing(variant, demo):
    client = login(demo["redactrice"])
    before = unchanged(variant)
    root = tree(export_xliff(variant=variant, user=demo["redactrice"]).content)
    target(root, "body-4").find("x:ph", Q).text = "[@autre]"
    response = upload(client, variant, to_bytes(root))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Traduction refusée, rien n’a changé" in html
    assert "la citation « [@tsuji2020] » a été modifiée" in html
    assert unchanged(variant) == before


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"file": ""},
        {"file": SimpleUploadedFile("vide.xlf", b"")},
        {"file": SimpleUploadedFile("x.xlf", b"\x00\xff<<<")},
        {
            "file": SimpleUploadedFile(
                "x.xlf", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"
            )
        },
    ],
)
def test_crafted_posts_get_a_message_never_a_500(variant, demo, data):
    client = login(demo["redactrice"])
    before = unchanged(variant)
    response = client.post(urls(variant)[1], data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "errornote" in html or "errorlist" in html
    assert unchanged(variant) == before


def test_who_may_not_edit_gets_a_refusal_not_the_form(variant, demo):
    content = fill_targets(
        export_xliff(variant=variant, user=demo["redactrice"]).content
    )
    before = unchanged(variant)
    # A reviewer sees the page and why; a crafted upload changes nothing.
    as_reviewer = login(demo["relecteur"])
    page = as_reviewer.get(urls(variant)[1]).content.decode()
    assert "pas le droit de modifier ce texte" in page and 'type="file"' not in page
    response = upload(as_reviewer, variant, content)
    assert response.status_code == 200 and "pas le droit" in response.content.decode()
    export = as_reviewer.get(urls(variant)[0])
    assert export.status_code == 302
    # Staff without a role may not see the variant at all.
    as_staff = login(make_user(None))
    assert as_staff.get(urls(variant)[0]).status_code == 403
    assert upload(as_staff, variant, content).status_code == 403
    # Anonymous people are sent to the login page.
    anonymous = Client()
    assert anonymous.get(urls(variant)[0]).status_code == 302
    assert upload(anonymous, variant, content).status_code == 302
    assert unchanged(variant) == before


def test_an_upload_without_its_csrf_token_is_refused(variant, demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["redactrice"])
    content = fill_targets(
        export_xliff(variant=variant, user=demo["redactrice"]).content
    )
    before = unchanged(variant)
    assert upload(client, variant, content).status_code == 403
    assert unchanged(variant) == before


def test_an_unknown_variant_is_a_404(demo):
    client = login(demo["redactrice"])
    assert (
        client.get("/admin/briefs/variant/999999/translation/export/").status_code
        == 404
    )
    assert (
        client.get("/admin/briefs/variant/999999/translation/import/").status_code
        == 404
    )
