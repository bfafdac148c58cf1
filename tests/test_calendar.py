"""The editorial calendar in the back office: months, weeks, filters, hostile values."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from briefs.editorial import workflow
from briefs.models import State, Variant
from tests.admin_helpers import login
from tests.factories import make_published, make_user, make_variant

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday in March 2026, in the morning in Paris.
NOW = dt.datetime(2026, 3, 10, 9, 0, tzinfo=PARIS)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def paris(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PARIS)


def scheduled(at: dt.datetime, *, title="Programmée", **kwargs) -> Variant:
    """An approved variant whose publication is scheduled for ``at``."""
    variant = make_variant(title=title, **kwargs)
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(variant=variant, user=make_user("reviewer"))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    workflow.publish(variant=variant, user=make_user("chief"), at=later)
    # Dates already past are those the scheduler has not run for yet.
    Variant.objects.filter(pk=variant.pk).update(scheduled_at=at)
    variant.refresh_from_db()
    assert variant.state == State.APPROVED and variant.scheduled_at == at
    return variant


def review_due(at: dt.datetime, *, title="À relire", **kwargs) -> Variant:
    """A published variant whose periodic review falls due at ``at``."""
    variant = make_published(title=title, **kwargs)
    Variant.objects.filter(pk=variant.pk).update(review_due_at=at)
    return variant


def assignment_due(day: dt.date, *, reviewer, title="En relecture", **kwargs):
    """A variant in review, with ``reviewer`` named to read it by ``day``."""
    variant = make_variant(title=title, **kwargs)
    workflow.submit(variant=variant, user=variant.author)
    Variant.objects.filter(pk=variant.pk).update(
        assigned_to=reviewer, assignment_due=day
    )
    return variant


def change_url(variant) -> str:
    return reverse("admin:briefs_variant_change", args=[variant.pk])


def cell(page: str, day: int) -> str:
    """The month grid's cell of ``day`` (its HTML, up to the next cell)."""
    start = page.index(f'<time datetime="2026-03-{day:02d}">')
    end = page.find("</td>", start)
    return page[start:end]


def month_grid(page: str) -> str:
    start = page.index('<table class="calendar-month">')
    return page[start : page.index("</table>", start)]


@pytest.fixture
def chief(db):
    return make_user("chief", first_name="Anne", last_name="Moreau")


@pytest.fixture
def as_chief(chief):
    return login(chief)


def test_the_month_shows_each_kind_of_date_on_its_day_linking_to_the_variant(
    clock, as_chief
):
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    publication = scheduled(paris(2026, 3, 12, 8, 30), title="Le tacrolimus")
    periodic = review_due(paris(2026, 3, 20, 15, 0), title="Les myosites")
    waiting = assignment_due(dt.date(2026, 3, 25), reviewer=reviewer, title="La PID")

    response = as_chief.get("/admin/calendar/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h2>Mars 2026</h2>" in page
    grid = month_grid(page)
    assert "Publication programmée" in cell(grid, 12)
    assert "08:30" in cell(grid, 12) and "Le tacrolimus" in cell(grid, 12)
    assert f'href="{change_url(publication)}"' in cell(grid, 12)
    assert "Relecture périodique" in cell(grid, 20) and "Les myosites" in cell(grid, 20)
    assert f'href="{change_url(periodic)}"' in cell(grid, 20)
    assert "Relecture attendue" in cell(grid, 25)
    assert f'href="{change_url(waiting)}"' in cell(grid, 25)
    assert "Relecteur : Paul Lefèvre" in cell(grid, 25)
    assert "calendar-entries" not in cell(grid, 13)


def test_the_month_holds_only_its_days_as_the_newsroom_counts_them(clock, as_chief):
    # 31 March 23:30 UTC is already 1 April in Paris (summer time since the 29th).
    april_in_paris = scheduled(
        dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), title="Début avril"
    )
    march_in_paris = scheduled(
        dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC), title="Premier mars"
    )

    march = as_chief.get("/admin/calendar/?month=2026-03").content.decode()
    april = as_chief.get("/admin/calendar/?month=2026-04").content.decode()

    assert "Premier mars" in cell(month_grid(march), 1)
    assert "Début avril" not in march
    assert "Début avril" in april and "01:30" in april
    assert f'href="{change_url(april_in_paris)}"' in april
    assert f'href="{change_url(march_in_paris)}"' not in april


def test_the_default_month_is_the_newsroom_s_current_month(db, as_chief):
    # Still 31 March in London and in UTC, already 1 April in Paris.
    with time_machine.travel(dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC)):
        page = as_chief.get("/admin/calendar/").content.decode()
    assert "<h2>Avril 2026</h2>" in page


def test_previous_and_next_keep_the_filters(clock, as_chief):
    page = as_chief.get("/admin/calendar/?month=2026-01&audience=aim").content.decode()
    assert 'href="/admin/calendar/?month=2025-12&amp;audience=aim" rel="prev"' in page
    assert 'href="/admin/calendar/?month=2026-02&amp;audience=aim" rel="next"' in page


def test_the_week_shows_its_seven_days_and_only_their_dates(clock, as_chief):
    reviewer = make_user("reviewer")
    scheduled(paris(2026, 3, 9, 0, 5), title="Lundi minuit cinq")
    assignment_due(dt.date(2026, 3, 15), reviewer=reviewer, title="Dimanche")
    scheduled(paris(2026, 3, 16, 0, 5), title="Lundi suivant")
    review_due(paris(2026, 3, 8, 23, 59), title="Dimanche d'avant")

    response = as_chief.get("/admin/calendar/?week=2026-W11")

    page = response.content.decode()
    assert "<h2>Semaine du 9 mars au 15 mars 2026</h2>" in page
    days = re.findall(
        r'<li class="calendar-day[^"]*">\s*<h3><time datetime="([^"]+)"', page
    )
    assert days == [f"2026-03-{d:02d}" for d in range(9, 16)]
    assert "Lundi minuit cinq" in page and "Dimanche" in page
    assert "Lundi suivant" not in page and "Dimanche d&#x27;avant" not in page
    assert 'href="/admin/calendar/?week=2026-W10" rel="prev"' in page
    assert 'href="/admin/calendar/?week=2026-W12" rel="next"' in page


def test_the_week_view_without_a_week_is_the_current_week(clock, as_chief):
    page = as_chief.get("/admin/calendar/?view=week").content.decode()
    assert "<h2>Semaine du 9 mars au 15 mars 2026</h2>" in page
    assert re.search(r'<li class="calendar-day today( empty)?">', page)
    assert (
        '<time datetime="2026-03-10">mardi 10 mars</time> <span class="today-mark">'
        in page
    )


def test_a_week_across_two_years_is_named_by_its_iso_year(clock, as_chief):
    page = as_chief.get("/admin/calendar/?week=2026-W01").content.decode()
    assert "Semaine du 29 décembre au 4 janvier 2026" in page
    assert 'href="/admin/calendar/?week=2025-W52" rel="prev"' in page


def test_only_dates_that_still_stand_are_shown(clock, as_chief):
    reviewer = make_user("reviewer")
    # Approved since: the named reviewer's date no longer applies.
    decided = assignment_due(dt.date(2026, 3, 12), reviewer=reviewer, title="Décidé")
    workflow.approve(variant=decided, user=reviewer)
    # Unpublished: no periodic review any more.
    withdrawn = review_due(paris(2026, 3, 12, 10, 0), title="Retirée")
    workflow.perform(
        "unpublish", variant=withdrawn, user=make_user("chief"), confirm=True
    )
    Variant.objects.filter(pk=withdrawn.pk).update(review_due_at=paris(2026, 3, 12))

    page = as_chief.get("/admin/calendar/").content.decode()

    assert "Décidé" not in page and "Retirée" not in page
    assert "Aucune échéance ce mois-ci." in page


def test_the_audience_filter_shows_one_audience(clock, as_chief):
    scheduled(paris(2026, 3, 12, 9, 0), title="Pour les patients", audience="afm")
    scheduled(paris(2026, 3, 12, 9, 0), title="Pour les médecins", audience="aim")

    page = as_chief.get("/admin/calendar/?audience=aim").content.decode()

    assert "Pour les médecins" in page and "Pour les patients" not in page
    assert '<option value="aim" selected>' in page


@pytest.mark.parametrize("role", ["author", "assigned", "reviewer"])
def test_the_person_filter_finds_a_text_by_author_named_reviewer_or_reviewer(
    clock, as_chief, role
):
    person = make_user("reviewer" if role != "author" else "editor")
    other = make_user("reviewer")
    if role == "author":
        mine = scheduled(paris(2026, 3, 12, 9, 0), title="Le mien", author=person)
    elif role == "assigned":
        mine = assignment_due(dt.date(2026, 3, 12), reviewer=person, title="Le mien")
    else:
        mine = make_published(title="Le mien")
        Variant.objects.filter(pk=mine.pk).update(
            reviewer=person, review_due_at=paris(2026, 3, 12, 9, 0)
        )
    assignment_due(dt.date(2026, 3, 12), reviewer=other, title="Celui des autres")

    page = as_chief.get(f"/admin/calendar/?person={person.pk}").content.decode()

    assert "Le mien" in page and f'href="{change_url(mine)}"' in page
    assert "Celui des autres" not in page
    assert f'<option value="{person.pk}" selected>' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("month=2026-13", "Mois illisible : « 2026-13 »"),
        ("month=2026-00", "Mois illisible"),
        ("month=abc", "Mois illisible"),
        ("month=99999-01", "Mois illisible"),
        ("month=1000-01", "Mois illisible"),
        ("month=%00", "Mois illisible"),
        ("month=" + "9" * 500, "Mois illisible"),
        ("week=abc", "Semaine illisible : « abc »"),
        ("week=2026-W54", "Semaine illisible"),
        ("week=2025-W53", "Semaine illisible"),
        ("week=2026-W00", "Semaine illisible"),
        ("week=２０２６-W01", "Semaine illisible"),
        ("audience=zzz", "Public inconnu : « zzz »"),
        ("audience=%00", "Public inconnu"),
        ("person=999999", "Personne inconnue : « 999999 »"),
        ("person=x", "Personne inconnue : « x »"),
        ("person=²", "Personne inconnue"),
        ("person=" + "9" * 40, "Personne inconnue"),
        ("person=-1", "Personne inconnue"),
    ],
)
def test_unreadable_values_say_so_and_show_the_current_period(
    clock, as_chief, query, message
):
    response = as_chief.get(f"/admin/calendar/?{query}")

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "<h2>Mars 2026</h2>" in page or "Semaine du 9 mars au 15 mars 2026" in page


def test_a_long_unreadable_value_is_not_repeated_whole(clock, as_chief):
    page = as_chief.get("/admin/calendar/?month=" + "x" * 300).content.decode()
    assert "x" * 20 + "…" in page and "x" * 21 not in page


def test_the_last_year_shown_has_no_next_link(clock, as_chief):
    page = as_chief.get("/admin/calendar/?month=2100-12").content.decode()
    assert 'rel="next"' not in page and 'rel="prev"' in page
    page = as_chief.get("/admin/calendar/?week=2000-W01").content.decode()
    assert 'rel="prev"' not in page


def _fill_march(count: int) -> None:
    reviewer = make_user("reviewer")
    for n in range(count):
        day = 1 + n % 28
        kind = n % 3
        if kind == 0:
            scheduled(paris(2026, 3, day, 10, 0), title=f"P{n}")
        elif kind == 1:
            review_due(paris(2026, 3, day, 10, 0), title=f"R{n}")
        else:
            assignment_due(dt.date(2026, 3, day), reviewer=reviewer, title=f"A{n}")


@pytest.mark.parametrize("query", ["", "week=2026-W11", "audience=afm&person=1"])
def test_the_page_costs_the_same_few_queries_however_many_entries(
    clock, chief, django_assert_max_num_queries, query
):
    _fill_march(3)
    client = login(chief)
    client.get(f"/admin/calendar/?{query}")  # the calendar key is made once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(f"/admin/calendar/?{query}")
    _fill_march(30)
    with django_assert_max_num_queries(len(few)):
        response = client.get(f"/admin/calendar/?{query}")
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        client.get(f"/admin/calendar/?{query}")


def test_the_entries_come_from_one_query_narrowed_to_the_dates_shown(
    clock, chief, django_assert_num_queries
):
    from briefs.editorial import calendar

    _fill_march(6)
    with django_assert_num_queries(1) as captured:
        found = calendar.entries(first=dt.date(2026, 3, 2), last=dt.date(2026, 3, 4))
    sql = captured.captured_queries[0]["sql"]
    assert "scheduled_at" in sql and "review_due_at" in sql
    assert "assignment_due" in sql
    # One entry a day from the 1st to the 6th, of each kind in turn.
    assert [(e.day.day, e.kind) for e in found] == [
        (2, calendar.Kind.REVIEW_DUE),
        (3, calendar.Kind.ASSIGNMENT_DUE),
        (4, calendar.Kind.PUBLICATION),
    ]


def test_anonymous_is_sent_to_the_login_page(db, client):
    response = client.get("/admin/calendar/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_right_to_see_variants_is_refused(db):
    response = login(make_user()).get("/admin/calendar/")
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["editor", "reviewer", "chief"])
def test_every_role_opens_the_calendar_from_the_header(db, role):
    client = login(make_user(role))
    home = client.get("/admin/").content.decode()
    assert '<a href="/admin/calendar/">Calendrier</a>' in home
    assert client.get("/admin/calendar/").status_code == 200


def test_staff_without_the_right_do_not_get_the_header_link(db):
    home = login(make_user()).get("/admin/").content.decode()
    assert "/admin/calendar/" not in home


def test_the_page_is_a_table_with_headers_and_named_links(clock, as_chief):
    scheduled(paris(2026, 3, 12, 8, 30), title="Le tacrolimus")
    page = as_chief.get("/admin/calendar/").content.decode()
    grid = month_grid(page)
    assert "<caption>Échéances : Mars 2026</caption>" in grid
    assert grid.count('<th scope="col">') == 7
    assert '<abbr title="lundi">lun</abbr>' in grid
    assert grid.count('<th scope="row"') == 6  # 23 February to 5 April
    assert 'aria-label="Semaine 11"' in grid
    assert '<label for="calendar-audience">' in page
    assert '<label for="calendar-person">' in page
    # On a phone, the same day as a heading and a list.
    days = page[page.index('<div class="calendar-days">') :]
    assert '<h3><time datetime="2026-03-12">jeudi 12 mars</time>' in days


def test_the_page_is_only_read(db, as_chief):
    assert as_chief.post("/admin/calendar/").status_code == 405
