"""A brief whose slug changes keeps its old addresses: each answers 301."""

import pytest
from django.db import transaction

from briefs.models import Brief, SlugRedirect
from tests.admin_helpers import login
from tests.factories import make_published, make_user

OLD_URLS = ["/fr/afm/{s}/", "/en/afm/{s}/", "/fr/aim/{s}/", "/en/aim/{s}/"]


@pytest.fixture
def brief(db):
    """A brief published for both audiences, in French and English."""
    afm = make_published(
        slug="ancien-nom", title_en="A title", body_en="A body.", title="Un titre"
    )
    make_published(
        brief=afm.brief,
        audience="aim",
        title="Pour les professionnels",
        title_en="For professionals",
        body_en="Clinical body.",
    )
    return Brief.objects.get(pk=afm.brief_id)


def rename(brief: Brief, slug: str) -> Brief:
    brief.slug = slug
    brief.save()
    return brief


def test_every_old_address_redirects_permanently_to_the_new_one(client, brief):
    rename(brief, "nouveau-nom")
    for pattern in OLD_URLS:
        old, new = pattern.format(s="ancien-nom"), pattern.format(s="nouveau-nom")
        response = client.get(old)
        assert response.status_code == 301, old
        assert response["Location"] == new
        assert client.get(new).status_code == 200, new


def test_a_chain_of_renames_goes_straight_to_the_current_address(client, brief):
    rename(brief, "deuxieme-nom")
    rename(brief, "troisieme-nom")
    for old in ("ancien-nom", "deuxieme-nom"):
        response = client.get(f"/fr/afm/{old}/")
        assert response.status_code == 301
        assert response["Location"] == "/fr/afm/troisieme-nom/"


def test_going_back_to_an_old_slug_serves_the_page_again(client, brief):
    rename(brief, "nouveau-nom")
    rename(brief, "ancien-nom")
    assert client.get("/fr/afm/ancien-nom/").status_code == 200
    response = client.get("/fr/afm/nouveau-nom/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/afm/ancien-nom/"


def test_a_new_brief_taking_an_old_slug_wins_over_the_redirect(client, brief):
    rename(brief, "nouveau-nom")
    assert client.get("/fr/afm/ancien-nom/").status_code == 301
    newcomer = make_published(slug="ancien-nom", title="Une autre brève")
    response = client.get("/fr/afm/ancien-nom/")
    assert response.status_code == 200
    assert "Une autre brève" in response.content.decode()
    assert not SlugRedirect.objects.filter(old_slug="ancien-nom").exists()
    assert newcomer.brief.slug == "ancien-nom"
    # The renamed brief is still at its new address.
    assert client.get("/fr/afm/nouveau-nom/").status_code == 200


def test_a_redirect_is_told_to_browsers_for_a_day_only(client, brief):
    rename(brief, "nouveau-nom")
    response = client.get("/fr/afm/ancien-nom/")
    assert "max-age=86400" in response["Cache-Control"]


def test_a_page_cached_under_the_old_slug_is_not_served_after_the_rename(
    client, brief, django_capture_on_commit_callbacks
):
    assert client.get("/fr/afm/ancien-nom/").status_code == 200  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        rename(brief, "nouveau-nom")
    assert client.get("/fr/afm/ancien-nom/").status_code == 301


def test_the_redirect_is_written_in_the_rename_s_transaction(db, brief):
    with pytest.raises(RuntimeError), transaction.atomic():
        rename(brief, "nouveau-nom")
        assert SlugRedirect.objects.filter(old_slug="ancien-nom").exists()
        raise RuntimeError("rolled back")
    assert not SlugRedirect.objects.exists()
    assert Brief.objects.get(pk=brief.pk).slug == "ancien-nom"


def test_an_unknown_slug_stays_a_404(client, brief):
    assert client.get("/fr/afm/jamais-vu/").status_code == 404


def _change_form_data(client, url: str, **changes) -> dict:
    """A change form's current values (the inlines' rows included), changed."""
    response = client.get(url)
    assert response.status_code == 200
    forms = [response.context["adminform"].form]
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        forms.extend(formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if isinstance(value, list):
                value = [str(v.pk if hasattr(v, "pk") else v) for v in value]
            data[form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def test_renaming_in_the_admin_s_brief_form_keeps_the_old_addresses(client, brief):
    editor = brief.variants.first().author
    editor.is_superuser = True  # edits the published text's brief page freely
    editor.save()
    as_editor = login(editor)
    url = f"/admin/briefs/brief/{brief.pk}/change/"
    response = as_editor.post(url, _change_form_data(as_editor, url, slug="renomme"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Brief.objects.get(pk=brief.pk).slug == "renomme"
    response = client.get("/en/aim/ancien-nom/")
    assert response.status_code == 301
    assert response["Location"] == "/en/aim/renomme/"


def test_the_old_addresses_are_listed_in_the_back_office(client, brief):
    rename(brief, "nouveau-nom")
    chief = make_user("chief")
    page = login(chief).get(f"/admin/briefs/brief/{brief.pk}/change/")
    assert "ancien-nom" in page.content.decode()
