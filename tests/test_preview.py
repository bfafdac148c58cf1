"""Previews: the exact public rendering of a revision; signed links for experts."""

import datetime as dt
import re

import time_machine
from django.test import Client
from django.utils import timezone

from briefs.editorial import preview_links as preview
from briefs.editorial import workflow
from tests.admin_helpers import login
from tests.factories import make_user, make_variant


def submitted(title="Texte en relecture"):
    variant = make_variant(title=title)
    workflow.submit(variant=variant, user=variant.author)
    variant.refresh_from_db()
    return variant


def test_staff_sees_the_revision_as_readers_will(db, client):
    variant = submitted()
    response = login(make_user("reviewer")).get(
        f"/admin/briefs/variant/{variant.pk}/revisions/1/preview/"
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Texte en relecture" in page
    assert 'class="brief-body"' in page  # the public template
    assert response["X-Robots-Tag"].startswith("noindex")


def test_admin_preview_is_closed_to_anonymous_and_non_staff(db, client):
    variant = submitted()
    url = f"/admin/briefs/variant/{variant.pk}/revisions/1/preview/"
    assert client.get(url).status_code == 302
    outsider = Client()
    outsider.force_login(make_user(None, staff=False))  # the admin login refuses them
    assert outsider.get(url).status_code == 302
    assert login(make_user(None)).get(url).status_code in (403, 404)


def test_unknown_revision_number_is_404(db):
    variant = submitted()
    client = login(make_user("reviewer"))
    assert (
        client.get(
            f"/admin/briefs/variant/{variant.pk}/revisions/9/preview/"
        ).status_code
        == 404
    )


def share(client, variant, number=1) -> str:
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/revisions/{number}/share/", follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    return re.search(r'href="([^"]+)"', text).group(1)


def test_signed_link_shows_that_revision_to_someone_without_account(db, client):
    variant = submitted()
    link = share(login(make_user("reviewer")), variant)
    assert link.startswith("/fr/preview/")
    response = client.get(link)
    assert response.status_code == 200
    assert "Texte en relecture" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_signed_link_stays_on_its_revision(db, client):
    variant = submitted(title="Première rédaction")
    link = share(login(make_user("chief")), variant)
    workflow.request_changes(
        variant=variant, user=make_user("reviewer"), comment="Non."
    )
    variant.refresh_from_db()
    variant.title_fr = "Seconde rédaction"
    variant = workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    workflow.submit(variant=variant, user=variant.author)
    page = client.get(link).content.decode()
    assert "Première rédaction" in page and "Seconde rédaction" not in page


def test_expired_link_is_refused(db, client):
    variant = submitted()
    with time_machine.travel(timezone.now(), tick=False):
        link = share(login(make_user("reviewer")), variant)
    with time_machine.travel(timezone.now() + dt.timedelta(days=8), tick=False):
        response = client.get(link)
    assert response.status_code == 403
    assert "expiré" in response.content.decode()
    assert "Texte en relecture" not in response.content.decode()


def test_tampered_link_is_refused(db, client):
    variant = submitted()
    link = share(login(make_user("reviewer")), variant)
    token = link.split("/")[-2]
    forged = link.replace(token, token[:-3] + ("abc" if token[-3:] != "abc" else "xyz"))
    response = client.get(forged)
    assert response.status_code == 403
    assert "Texte en relecture" not in response.content.decode()
    assert client.get("/fr/preview/nimportequoi/").status_code == 403


def test_only_staff_who_may_see_a_variant_can_make_a_link(db):
    variant = submitted()
    import pytest
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview.make_link(
            revision=variant.latest_revision, user=make_user(None, staff=False)
        )
    response = login(make_user(None)).post(
        f"/admin/briefs/variant/{variant.pk}/revisions/1/share/"
    )
    assert response.status_code in (403, 404)
