"""The variant's editing page as editors and reviewers see it."""

import pytest

from tests.admin_helpers import login
from tests.factories import make_user


def change_url(variant) -> str:
    return f"/admin/briefs/variant/{variant.pk}/change/"


@pytest.mark.parametrize("url", ["/admin/", "/admin/briefs/variant/"])
def test_the_back_office_is_named_after_the_newsroom(db, settings, url):
    settings.NEWSROOM_SITE_NAME = "Brèves de test"
    page = login(make_user("editor")).get(url).content.decode()
    assert '<div id="site-name"><a href="/admin/">Brèves de test</a></div>' in page
    assert "| Brèves de test</title>" in page
    assert "Django" not in page.split("<body")[1].split('id="content"')[0]
    assert "Administration de Django" not in page


def test_the_sign_in_page_carries_the_newsroom_name(db, client, settings):
    settings.NEWSROOM_SITE_NAME = "Brèves de test"
    page = client.get("/admin/login/").content.decode()
    assert "Brèves de test" in page and "Administration de Django" not in page
