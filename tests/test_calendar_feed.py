"""The private iCalendar address: its content, who may read it, and a new key."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from icalendar import Calendar

from briefs.models import Profile
from briefs.public.page_cache import page_scopes
from tests.admin_helpers import login
from tests.factories import make_user
from tests.test_calendar import (
    assignment_due,
    change_url,
    clock,  # noqa: F401 (a fixture)
    paris,
    review_due,
    scheduled,
)

SITE = "https://breves.example.org"


def address_of(client: Client) -> str:
    """The subscription address the calendar page shows, as a path."""
    page = client.get("/admin/calendar/")
    assert page.status_code == 200
    url = page.context["feed_url"]
    assert url.startswith(SITE + "/admin/calendar/") and url.endswith(".ics")
    assert f'value="{url}"' in page.content.decode()
    return url.removeprefix(SITE)


def events_of(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def chief(db):
    return make_user("chief")


@pytest.fixture
def as_chief(chief):
    return login(chief)


def test_the_feed_holds_each_date_with_a_stable_uid_a_summary_and_the_admin_page(
    clock,  # noqa: F811
    as_chief,
):
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    publication = scheduled(paris(2026, 3, 12, 8, 30), title="Le tacrolimus")
    periodic = review_due(paris(2026, 3, 20, 23, 30), title="Les myosites")
    waiting = assignment_due(dt.date(2026, 3, 25), reviewer=reviewer, title="La PID")
    address = address_of(as_chief)

    response = Client().get(address)  # a calendar application: no session

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" not in response
    events = events_of(response)
    assert set(events) == {
        "Publication programmée : Le tacrolimus (AFM)",
        "Relecture périodique : Les myosites (AFM)",
        "Relecture attendue : La PID (AFM)",
    }
    published = events["Publication programmée : Le tacrolimus (AFM)"]
    assert published.decoded("DTSTART") == dt.datetime(
        2026, 3, 12, 7, 30, tzinfo=dt.UTC
    )
    assert published.to_ical().decode().count("DTSTART:20260312T073000Z") == 1
    assert str(published["URL"]) == SITE + change_url(publication)
    # Due dates are whole days, the newsroom's (23:30 in Paris is still the 20th).
    review = events["Relecture périodique : Les myosites (AFM)"]
    assert review.decoded("DTSTART") == dt.date(2026, 3, 20)
    assert review.decoded("DTEND") == dt.date(2026, 3, 21)
    assert str(review["URL"]) == SITE + change_url(periodic)
    expected = events["Relecture attendue : La PID (AFM)"]
    assert expected.decoded("DTSTART") == dt.date(2026, 3, 25)
    assert "Relecteur désigné : Paul Lefèvre" in str(expected["DESCRIPTION"])
    assert str(expected["URL"]) == SITE + change_url(waiting)

    uids = {str(e["UID"]) for e in events.values()}
    assert len(uids) == 3
    again = events_of(Client().get(address))
    assert {str(e["UID"]) for e in again.values()} == uids


def test_a_moved_publication_keeps_its_uid(clock, as_chief):  # noqa: F811
    from briefs.models import Variant

    variant = scheduled(paris(2026, 3, 12, 8, 30), title="Déplacée")
    address = address_of(as_chief)
    before = events_of(Client().get(address))["Publication programmée : Déplacée (AFM)"]
    Variant.objects.filter(pk=variant.pk).update(scheduled_at=paris(2026, 4, 2, 9, 0))
    after = events_of(Client().get(address))["Publication programmée : Déplacée (AFM)"]
    assert after["UID"] == before["UID"]
    assert after.decoded("DTSTART") == dt.datetime(2026, 4, 2, 7, 0, tzinfo=dt.UTC)


def test_the_feed_covers_the_recent_past_and_the_year_ahead(clock, as_chief):  # noqa: F811
    scheduled(paris(2026, 1, 5, 9, 0), title="Il y a deux mois")
    scheduled(paris(2025, 11, 1, 9, 0), title="Il y a quatre mois")
    scheduled(paris(2027, 2, 1, 9, 0), title="Dans onze mois")
    scheduled(paris(2027, 6, 1, 9, 0), title="Dans quinze mois")
    titles = " ".join(events_of(Client().get(address_of(as_chief))))
    assert "Il y a deux mois" in titles and "Dans onze mois" in titles
    assert "quatre mois" not in titles and "quinze mois" not in titles


def test_mine_holds_only_the_person_s_texts(db, clock):  # noqa: F811
    reviewer = make_user("reviewer")
    assignment_due(dt.date(2026, 3, 12), reviewer=reviewer, title="La mienne")
    assignment_due(dt.date(2026, 3, 12), reviewer=make_user("reviewer"), title="Autre")
    page = login(reviewer).get("/admin/calendar/")
    mine = page.context["feed_mine_url"].removeprefix(SITE)
    assert mine.endswith(".ics?mine=1")

    events = events_of(Client().get(mine))

    assert list(events) == ["Relecture attendue : La mienne (AFM)"]


def test_the_key_is_made_once_on_first_need_and_differs_per_person(db):
    editor, reviewer = make_user("editor"), make_user("reviewer")
    assert not Profile.objects.filter(user=editor).exclude(calendar_key="").exists()
    client = login(editor)
    first = address_of(client)
    assert address_of(client) == first
    key = Profile.objects.get(user=editor).calendar_key
    assert len(key) == 43 and key in first
    assert address_of(login(reviewer)) != first


def test_a_wrong_or_malformed_key_is_not_found(db, as_chief):
    address = address_of(as_chief)
    key = address.removeprefix("/admin/calendar/").removesuffix(".ics")
    wrong = ("A" if key[0] != "A" else "B") + key[1:]
    for path in (
        f"/admin/calendar/{wrong}.ics",
        "/admin/calendar/short.ics",
        "/admin/calendar/" + "x" * 200 + ".ics",
        "/admin/calendar/%00.ics",
    ):
        assert Client().get(path).status_code == 404, path


def test_a_person_without_a_key_is_not_reached_by_an_empty_one(db):
    make_user("editor")  # a profile-less person
    Profile.objects.create(user=make_user("editor"))  # a profile without a key
    # No pattern takes an empty key: the admin sends the caller to sign in.
    response = Client().get("/admin/calendar/.ics")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    from briefs.editorial.calendar import user_for_key

    assert user_for_key("") is None


def test_a_new_address_replaces_the_old_one(db, chief):
    client = login(chief)
    old = address_of(client)
    assert Client().get(old).status_code == 200

    response = client.post("/admin/calendar/new-address/", follow=True)

    assert "Nouvelle adresse créée" in response.content.decode()
    new = address_of(client)
    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200


def test_the_new_address_button_needs_the_csrf_token_and_a_post(db, chief):
    client = login(chief)
    old = address_of(client)
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    assert strict.post("/admin/calendar/new-address/").status_code == 403
    assert client.get("/admin/calendar/new-address/").status_code == 405
    assert Client().post("/admin/calendar/new-address/").status_code == 302
    assert address_of(client) == old


def test_the_page_shows_the_new_address_form_with_its_token(db, as_chief):
    page = as_chief.get("/admin/calendar/").content.decode()
    form = page[
        page.index('<form method="post" action="/admin/calendar/new-address/">') :
    ]
    assert 'name="csrfmiddlewaretoken"' in form[: form.index("</form>")]
    assert '<button type="submit" class="button">Nouvelle adresse</button>' in form


@pytest.mark.parametrize(
    "change",
    [
        {"is_active": False},
        {"is_staff": False},
    ],
    ids=["inactive", "no-longer-staff"],
)
def test_the_feed_stops_for_who_may_no_longer_read_it(db, change):
    user = make_user("editor")
    address = address_of(login(user))
    for field, value in change.items():
        setattr(user, field, value)
    user.save()
    assert Client().get(address).status_code == 404


def test_the_feed_stops_when_the_permission_is_gone(db):
    user = make_user()  # staff, no role
    user.user_permissions.add(Permission.objects.get(codename="view_variant"))
    client = login(user)
    address = address_of(client)
    assert Client().get(address).status_code == 200
    user.user_permissions.clear()
    assert Client().get(address).status_code == 404


def test_the_feed_answers_only_reads(db, as_chief):
    address = address_of(as_chief)
    assert Client().post(address).status_code == 405
    assert Client().head(address).status_code == 200


def test_the_public_page_cache_never_keeps_the_feed(db, as_chief):
    address = address_of(as_chief)
    assert page_scopes(address) is None
    assert page_scopes(address, ["mine"]) is None
    # The answer of a rotated key is never served again from anywhere.
    assert Client().get(address).status_code == 200
    as_chief.post("/admin/calendar/new-address/")
    assert Client().get(address).status_code == 404


def test_the_feed_costs_a_few_queries_however_many_entries(
    clock,  # noqa: F811
    as_chief,
    django_assert_max_num_queries,
):
    address = address_of(as_chief)
    reviewer = make_user("reviewer")
    for n in range(20):
        scheduled(paris(2026, 3, 1 + n, 9, 0), title=f"P{n}")
        review_due(paris(2026, 4, 1 + n, 9, 0), title=f"R{n}")
        assignment_due(dt.date(2026, 5, 1 + n), reviewer=reviewer, title=f"A{n}")
    with django_assert_max_num_queries(4):
        response = Client().get(address)
    assert len(events_of(response)) == 60


def test_with_the_second_factor_required_the_feed_still_needs_only_its_key(
    db, settings
):
    reviewer = make_user("reviewer")
    address = address_of(login(reviewer))
    settings.NEWSROOM_2FA_REQUIRED = True
    # The page now waits for the second factor; the calendar application,
    # which cannot pass one, reads with the key alone.
    page = login(reviewer).get("/admin/calendar/")
    assert page.status_code == 302 and "/admin/two-factor/" in page["Location"]
    assert Client().get(address).status_code == 200
