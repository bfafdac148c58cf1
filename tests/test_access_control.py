"""Every back-office URL tried as an attacker would: anonymous, as a reader
without staff status, as each role, and with crafted POSTs.

To cover a new admin URL, add a row to ``ADMIN_PAGES`` (or a case to
``test_crafted_posts``) with the roles that may open it.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from briefs.models import Brief, ReviewEvent, Revision, State, Topic, Variant
from tests.admin_helpers import empty_inline_management
from tests.factories import (
    make_mail,
    make_published,
    make_source,
    make_user,
    make_variant,
)

ROLES = ("editor", "reviewer", "chief")
ALL = frozenset(ROLES)
WRITERS = frozenset({"editor", "chief"})
CHIEF = frozenset({"chief"})
NOBODY = frozenset()

# (name, url template, roles allowed to GET it). Objects are filled in by
# the ``objects`` fixture: {brief}, {variant}, {source}, {topic}, {event}, {mail}...
ADMIN_PAGES = [
    ("index", "/admin/", ALL),
    ("app index", "/admin/briefs/", ALL),
    ("brief list", "/admin/briefs/brief/", ALL),
    ("brief add", "/admin/briefs/brief/add/", WRITERS),
    ("brief change", "/admin/briefs/brief/{brief}/change/", ALL),
    ("brief history", "/admin/briefs/brief/{brief}/history/", ALL),
    ("brief delete", "/admin/briefs/brief/{draft_brief}/delete/", CHIEF),
    ("variant list", "/admin/briefs/variant/", ALL),
    ("variant add", "/admin/briefs/variant/add/", WRITERS),
    ("variant change", "/admin/briefs/variant/{variant}/change/", ALL),
    ("variant history", "/admin/briefs/variant/{variant}/history/", ALL),
    ("variant delete", "/admin/briefs/variant/{draft}/delete/", CHIEF),
    ("variant diff", "/admin/briefs/variant/{variant}/diff/", ALL),
    (
        "revision preview",
        "/admin/briefs/variant/{variant}/revisions/1/preview/",
        ALL,
    ),
    ("source list", "/admin/briefs/source/", ALL),
    ("source add", "/admin/briefs/source/add/", WRITERS),
    ("source change", "/admin/briefs/source/{source}/change/", ALL),
    ("source delete", "/admin/briefs/source/{source}/delete/", CHIEF),
    ("topic list", "/admin/briefs/topic/", ALL),
    ("topic add", "/admin/briefs/topic/add/", WRITERS),
    ("topic change", "/admin/briefs/topic/{topic}/change/", ALL),
    ("topic delete", "/admin/briefs/topic/{topic}/delete/", CHIEF),
    ("glossary list", "/admin/briefs/glossaryterm/", ALL),
    ("glossary add", "/admin/briefs/glossaryterm/add/", WRITERS),
    ("audience list", "/admin/briefs/audience/", ALL),
    ("audience add", "/admin/briefs/audience/add/", NOBODY),
    ("audience change", "/admin/briefs/audience/{audience}/change/", ALL),
    ("audience delete", "/admin/briefs/audience/{audience}/delete/", NOBODY),
    ("event list", "/admin/briefs/reviewevent/", ALL),
    ("event add", "/admin/briefs/reviewevent/add/", NOBODY),
    ("event change", "/admin/briefs/reviewevent/{event}/change/", ALL),
    ("event delete", "/admin/briefs/reviewevent/{event}/delete/", NOBODY),
    ("event history", "/admin/briefs/reviewevent/{event}/history/", ALL),
    ("outbox list", "/admin/briefs/outboxmail/", CHIEF),
    ("outbox add", "/admin/briefs/outboxmail/add/", NOBODY),
    ("outbox change", "/admin/briefs/outboxmail/{mail}/change/", CHIEF),
    ("outbox delete", "/admin/briefs/outboxmail/{mail}/delete/", NOBODY),
    ("user list", "/admin/auth/user/", NOBODY),
    ("user add", "/admin/auth/user/add/", NOBODY),
    ("user change", "/admin/auth/user/{user}/change/", NOBODY),
    ("user password", "/admin/auth/user/{user}/password/", NOBODY),
    ("group list", "/admin/auth/group/", NOBODY),
    ("login attempts", "/admin/axes/accessattempt/", NOBODY),
    ("access log", "/admin/axes/accesslog/", NOBODY),
]
# POST-only endpoints of the Markdown editor: open to every staff role.
EDITOR_ENDPOINTS = [
    "/admin/markdownx/markdownify/",
    "/admin/markdownx/upload/",
]


@pytest.fixture
def objects(db):
    """One of each object the admin URLs point at."""
    published = make_published()
    draft = make_variant()
    return {
        "brief": published.brief.pk,
        "variant": published.pk,
        "draft": draft.pk,
        "draft_brief": draft.brief.pk,
        "source": make_source().pk,
        "topic": Topic.objects.create(name="Myosites", slug="myosites").pk,
        "audience": published.audience.pk,
        "event": ReviewEvent.objects.filter(variant=published).first().pk,
        "mail": make_mail().pk,
        "user": get_user_model().objects.filter(is_superuser=False).first().pk,
    }


PAGES = [pytest.param(t, allowed, id=name) for name, t, allowed in ADMIN_PAGES]


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_anonymous_is_sent_to_the_login_page(client, objects, template, allowed):
    url = template.format(**objects)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_logged_in_reader_without_staff_status_gets_nothing(
    client, objects, template, allowed
):
    client.force_login(make_user("chief", staff=False))
    response = client.get(template.format(**objects))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("template", "allowed"), PAGES)
def test_each_role_opens_exactly_its_pages(client, objects, template, allowed, role):
    client.force_login(make_user(role))
    response = client.get(template.format(**objects))
    expected = 200 if role in allowed else 403
    assert response.status_code == expected, (role, template)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/briefs/variant/{variant}/diff/",
        "/admin/briefs/variant/{variant}/revisions/1/preview/",
    ],
)
def test_staff_without_any_role_cannot_read_revisions(client, objects, url):
    client.force_login(make_user(None))
    assert client.get(url.format(**objects)).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/briefs/variant/{variant}/transition/",
        "/admin/briefs/variant/{variant}/revisions/1/share/",
    ],
)
def test_staff_without_any_role_cannot_post_workflow_actions(client, objects, url):
    client.force_login(make_user(None))
    response = client.post(url.format(**objects), {"action": "unpublish"})
    assert response.status_code == 403
    assert Variant.objects.get(pk=objects["variant"]).is_live


def test_staff_without_any_role_cannot_use_the_editor_endpoints(client, db):
    client.force_login(make_user(None))
    for url in EDITOR_ENDPOINTS:
        assert client.post(url, {"content": "**x**"}).status_code == 403


def test_staff_without_any_role_sees_no_model(client, objects):
    client.force_login(make_user(None))
    assert client.get("/admin/briefs/brief/").status_code == 403
    assert (
        client.get(
            "/admin/briefs/variant/{variant}/change/".format(**objects)
        ).status_code
        == 403
    )


@pytest.mark.parametrize("url", EDITOR_ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "reader"])
def test_editor_endpoints_refuse_outsiders(client, db, url, who):
    if who == "reader":
        client.force_login(make_user("editor", staff=False))
    response = client.post(url, {"content": "**x**"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_use_the_preview(client, db, role):
    client.force_login(make_user(role))
    response = client.post(EDITOR_ENDPOINTS[0], {"content": "**x**"})
    assert response.status_code == 200


# --- crafted POSTs -----------------------------------------------------------


def _variant_form(variant: Variant, **overrides) -> dict:
    data = {
        "brief": variant.brief_id,
        "audience": variant.audience_id,
        "title_fr": variant.title_fr,
        "title_en": variant.title_en or "",
        "standfirst_fr": variant.standfirst_fr or "",
        "standfirst_en": variant.standfirst_en or "",
        "body_fr": variant.body_fr or "",
        "body_en": variant.body_en or "",
        "loaded_edit_count": variant.edit_count,
        **empty_inline_management(),
    }
    data.update(overrides)
    return data


def test_editor_cannot_delete_a_published_brief(client, db):
    variant = make_published()
    client.force_login(make_user("editor"))
    response = client.post(
        f"/admin/briefs/brief/{variant.brief_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Brief.objects.filter(pk=variant.brief_id).exists()


def test_chief_editor_cannot_delete_a_published_brief(client, db):
    variant = make_published()
    client.force_login(make_user("chief"))
    response = client.post(
        f"/admin/briefs/brief/{variant.brief_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 200  # the "cannot delete" page, not a redirect
    assert "dépublier" in response.content.decode()
    assert Brief.objects.filter(pk=variant.brief_id).exists()


def test_bulk_delete_action_refuses_a_published_brief(client, db):
    variant = make_published()
    draft_only = make_variant().brief
    client.force_login(make_user("chief"))
    response = client.post(
        "/admin/briefs/brief/",
        {
            "action": "delete_selected",
            "_selected_action": [variant.brief_id, draft_only.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 200
    assert Brief.objects.filter(pk=variant.brief_id).exists()
    assert Variant.objects.get(pk=variant.pk).is_live


def test_chief_editor_can_delete_a_never_submitted_brief(client, db):
    draft = make_variant()
    client.force_login(make_user("chief"))
    response = client.post(
        f"/admin/briefs/brief/{draft.brief_id}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Brief.objects.filter(pk=draft.brief_id).exists()


def test_reviewer_cannot_post_a_variant_change_form(client, db):
    variant = make_variant(title="Titre d'origine")
    client.force_login(make_user("reviewer"))
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/change/",
        _variant_form(variant, title_fr="Réécrit par le relecteur"),
    )
    assert response.status_code == 403
    assert Variant.objects.get(pk=variant.pk).title_fr == "Titre d'origine"


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_state_and_live_revision_cannot_be_posted(client, db, role):
    published = make_published()
    variant = make_variant(title="Brouillon")
    client.force_login(make_user(role))
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/change/",
        _variant_form(
            variant,
            title_fr="Brouillon modifié",
            state=State.PUBLISHED,
            live_revision=published.live_revision_id,
            latest_revision=published.live_revision_id,
            version=99,
        ),
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert variant.title_fr == "Brouillon modifié"
    assert variant.state == State.DRAFT
    assert variant.live_revision_id is None
    assert variant.latest_revision_id is None
    assert variant.edit_count == 2


def test_posting_state_in_the_brief_inline_is_ignored(client, db):
    variant = make_variant()
    brief = variant.brief
    client.force_login(make_user("editor"))
    prefix = "variants"
    data = {
        "slug": brief.slug,
        f"{prefix}-TOTAL_FORMS": 1,
        f"{prefix}-INITIAL_FORMS": 1,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 2,
        f"{prefix}-0-id": variant.pk,
        f"{prefix}-0-brief": brief.pk,
        f"{prefix}-0-state": State.PUBLISHED,
        **{f"{prefix}-0-{k}": v for k, v in _variant_form(variant).items()},
    }
    data[f"{prefix}-0-title_fr"] = "Modifié par l'encart"
    response = client.post(f"/admin/briefs/brief/{brief.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    variant.refresh_from_db()
    assert variant.title_fr == "Modifié par l'encart"
    assert variant.state == State.DRAFT
    assert not variant.is_live


def test_editor_cannot_edit_a_text_under_review_by_post(client, db):
    from briefs.editorial import workflow

    variant = make_variant(title="Sous relecture")
    workflow.submit(variant=variant, user=variant.author)
    variant.refresh_from_db()
    client.force_login(variant.author)
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/change/",
        _variant_form(variant, title_fr="Changé en douce"),
    )
    assert response.status_code == 200  # the form again, with the refusal
    assert "relecture" in response.content.decode()
    assert Variant.objects.get(pk=variant.pk).title_fr == "Sous relecture"


@pytest.mark.parametrize("role", ROLES)
def test_nobody_can_change_or_delete_review_events_by_post(client, db, role):
    published = make_published()
    event = ReviewEvent.objects.filter(variant=published).first()
    before = (event.action, event.comment, ReviewEvent.objects.count())
    client.force_login(make_user(role))
    change = client.post(
        f"/admin/briefs/reviewevent/{event.pk}/change/",
        {"action": "approve", "comment": "réécrit", "from_state": "draft"},
    )
    delete = client.post(
        f"/admin/briefs/reviewevent/{event.pk}/delete/", {"post": "yes"}
    )
    bulk = client.post(
        "/admin/briefs/reviewevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    event.refresh_from_db()
    assert (event.action, event.comment, ReviewEvent.objects.count()) == before


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_make_itself_superuser(client, db, role):
    user = make_user(role)
    client.force_login(user)
    response = client.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"username": user.username, "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 403
    user.refresh_from_db()
    assert not user.is_superuser


def test_revisions_have_no_admin_door(client, db):
    published = make_published()
    client.force_login(make_user("chief"))
    response = client.get(
        f"/admin/briefs/revision/{published.live_revision_id}/change/"
    )
    assert response.status_code == 404
    assert Revision.objects.filter(pk=published.live_revision_id).exists()


def test_permission_denials_are_logged(client, db, caplog):
    client.force_login(make_user("reviewer"))
    with caplog.at_level("WARNING", logger="newsroom.security"):
        response = client.get("/admin/briefs/brief/add/")
    assert response.status_code == 403
    assert any(
        "permission denied" in r.getMessage()
        and "/admin/briefs/brief/add/" in r.getMessage()
        for r in caplog.records
    )
