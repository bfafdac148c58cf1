"""The desk: each role's lists on the admin's home page, their order and cost."""

import datetime as dt
import html
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from briefs.editorial import desk, workflow
from briefs.models import ReviewComment, State, Variant
from tests.factories import make_user, make_variant, publish

PARIS = dt.timezone(dt.timedelta(hours=1))  # winter time in the newsroom
# A Wednesday morning in Paris.
NOW = dt.datetime(2025, 3, 12, 9, 0, tzinfo=PARIS)


def at(days: float = 0, hours: float = 0) -> dt.datetime:
    return NOW + dt.timedelta(days=days, hours=hours)


def submitted(author=None, *, title="Une brève", when=None, to=None, due=None):
    """A text submitted to review at ``when``, naming ``to`` by ``due``."""
    variant = make_variant(author=author, title=title)
    with time_machine.travel(when or at(-1), tick=False):
        workflow.submit(variant=variant, user=variant.author)
    if to is not None or due is not None:
        # Naming a reviewer is the lead's assignment action; its data is set
        # here directly so that these tests only read.
        Variant.objects.filter(pk=variant.pk).update(assigned_to=to, assignment_due=due)
    return Variant.objects.get(pk=variant.pk)


def sent_back(variant, reviewer, comment, when=None):
    with time_machine.travel(when or at(-1), tick=False):
        workflow.request_changes(variant=variant, user=reviewer, comment=comment)
    return Variant.objects.get(pk=variant.pk)


def approved(author=None, *, title="Une brève approuvée", reviewer=None, when=None):
    variant = submitted(author, title=title, when=when)
    with time_machine.travel(when or at(-1), tick=False):
        workflow.approve(variant=variant, user=reviewer or make_user("reviewer"))
    return Variant.objects.get(pk=variant.pk)


def comment_on(variant, author, *, resolved=False):
    return ReviewComment.objects.create(
        variant=variant,
        revision=variant.latest_revision,
        body="Précisez ce paragraphe.",
        author=author,
        resolved_at=timezone.now() if resolved else None,
    )


def titles(listing) -> list[str]:
    return [line.variant.title_fr for line in listing]


# Editors.


def test_an_editor_sees_their_own_drafts_the_last_edited_first(db):
    editor = make_user("editor")
    with time_machine.travel(at(-3), tick=False):
        make_variant(author=editor, title="Ancien brouillon")
    with time_machine.travel(at(-1), tick=False):
        make_variant(author=editor, title="Brouillon récent")
    make_variant(title="Brouillon d'un collègue")
    submitted(editor, title="Déjà soumis")

    listing = desk.my_drafts(editor)

    assert titles(listing) == ["Brouillon récent", "Ancien brouillon"]
    assert listing.lines[0].since == at(-1)
    assert not listing.more


def test_changes_requested_show_the_latest_request_and_its_reviewer(db):
    editor = make_user("editor")
    first = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    second = make_user("reviewer", first_name="Inès", last_name="Durand")
    variant = submitted(editor, title="Renvoyé deux fois", when=at(-5))
    sent_back(variant, first, "Citez l'essai.", when=at(-4))
    with time_machine.travel(at(-3), tick=False):
        workflow.submit(variant=variant, user=editor)
    variant = sent_back(variant, second, "Précisez la dose.", when=at(-2))
    older = sent_back(
        submitted(editor, title="Renvoyé plus tôt", when=at(-9)),
        first,
        "Trop long.",
        when=at(-8),
    )
    comment_on(variant, second)
    comment_on(variant, second)
    comment_on(variant, second, resolved=True)
    sent_back(submitted(title="Texte d'un collègue"), first, "Non.")

    listing = desk.changes_requested_of_me(editor)

    assert titles(listing) == ["Renvoyé plus tôt", "Renvoyé deux fois"]
    line = listing.lines[1]
    assert (line.comment, line.person) == ("Précisez la dose.", "Inès Durand")
    assert line.since == at(-2)
    assert line.open_comments == 2
    assert listing.lines[0].open_comments == 0
    assert listing.lines[0].variant == older


def test_an_editor_sees_with_whom_and_since_when_their_texts_are_in_review(db):
    editor = make_user("editor")
    paul = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    submitted(editor, title="Confié à Paul", when=at(-2), to=paul, due=at(3).date())
    submitted(editor, title="Pour tout relecteur", when=at(-6))
    submitted(title="Texte d'un collègue", when=at(-7))

    listing = desk.my_texts_in_review(editor, now=NOW)

    assert titles(listing) == ["Pour tout relecteur", "Confié à Paul"]
    anyone, named = listing.lines
    assert (anyone.person, anyone.since) == ("", at(-6))
    assert (named.person, named.due, named.overdue) == (
        "Paul Lefèvre",
        at(3).date(),
        False,
    )


# Reviewers.


def test_a_reviewer_sees_the_texts_named_for_them_the_soonest_due_first(db):
    reviewer = make_user("reviewer")
    other = make_user("reviewer")
    submitted(title="Sans date", to=reviewer, when=at(-9))
    submitted(title="Dans trois jours", to=reviewer, due=at(3).date())
    submitted(title="Hier", to=reviewer, due=at(-1).date())
    submitted(title="Confié à un autre", to=other, due=at(-1).date())
    submitted(title="Pour tout relecteur")

    listing = desk.assigned_to_me(reviewer, now=NOW)

    assert titles(listing) == ["Hier", "Dans trois jours", "Sans date"]
    assert [line.overdue for line in listing] == [True, False, False]


def test_texts_waiting_for_any_reviewer_oldest_first_without_the_reviewers_own(db):
    reviewer = make_user("reviewer")
    submitted(title="Récent", when=at(-1))
    submitted(title="Ancien, attendu hier", when=at(-10), due=at(-1).date())
    submitted(title="Confié", to=make_user("reviewer"), when=at(-20))
    # A reviewer who edits a text may not approve it: not theirs to decide on.
    mine = make_variant(title="Écrit par le relecteur", author=reviewer)
    reviewer.groups.add(*make_user("editor").groups.all())
    workflow.submit(variant=mine, user=reviewer)

    listing = desk.waiting_for_any_reviewer(reviewer, now=NOW)

    assert titles(listing) == ["Ancien, attendu hier", "Récent"]
    assert [line.overdue for line in listing] == [True, False]


def test_published_pages_due_for_review_soon_or_past_are_listed_overdue_first(db):
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    past = publish(make_variant(title="Date dépassée"), reviewer=reviewer)
    soon = publish(make_variant(title="Dans 10 jours"))
    later = publish(make_variant(title="Dans 3 mois"))
    for variant, due in ((past, at(-2)), (soon, at(10)), (later, at(90))):
        Variant.objects.filter(pk=variant.pk).update(review_due_at=due)

    listing = desk.periodic_reviews(now=NOW)

    assert titles(listing) == ["Date dépassée", "Dans 10 jours"]
    assert [line.overdue for line in listing] == [True, False]
    assert listing.lines[0].person == "Paul Lefèvre"


# Chief editors.


def test_approved_texts_not_yet_scheduled_wait_for_the_chief_oldest_first(db):
    chief = make_user("chief")
    approved(title="Approuvé hier", when=at(-1))
    approved(title="Approuvé il y a une semaine", when=at(-7))
    planned = approved(title="Programmé")
    with time_machine.travel(NOW, tick=False):
        workflow.publish(variant=planned, user=chief, at=at(2))

    listing = desk.approved_unscheduled()

    assert titles(listing) == ["Approuvé il y a une semaine", "Approuvé hier"]
    assert listing.lines[0].since == at(-7)


def test_this_weeks_schedule_ends_on_sunday_night_in_the_newsroom(db):
    chief = make_user("chief")
    plans = {
        "Jeudi": at(1),
        "Dimanche 23 h 30 à Paris": dt.datetime(2025, 3, 16, 23, 30, tzinfo=PARIS),
        "Lundi 0 h 30 à Paris": dt.datetime(2025, 3, 17, 0, 30, tzinfo=PARIS),
    }
    with time_machine.travel(NOW, tick=False):
        for title, when in plans.items():
            workflow.publish(variant=approved(title=title), user=chief, at=when)

    listing = desk.scheduled_this_week(now=NOW)

    assert titles(listing) == ["Jeudi", "Dimanche 23 h 30 à Paris"]


def test_everything_late_is_on_the_chiefs_list_the_latest_for_longest_first(db):
    chief = make_user("chief")
    submitted(title="Relecture attendue avant-hier", due=at(-2).date())
    submitted(title="Relecture attendue aujourd'hui", due=NOW.date())
    page = publish(make_variant(title="Relecture périodique dépassée"))
    Variant.objects.filter(pk=page.pk).update(review_due_at=at(-5))
    missed = approved(title="Publication manquée")
    with time_machine.travel(at(-1), tick=False):
        workflow.publish(variant=missed, user=chief, at=at(-0.5))
    with time_machine.travel(NOW, tick=False):
        workflow.publish(
            variant=approved(title="Programmé demain"), user=chief, at=at(1)
        )

    listing = desk.overdue(now=NOW)

    assert titles(listing) == [
        "Relecture périodique dépassée",
        "Relecture attendue avant-hier",
        "Publication manquée",
    ]
    assert [line.late for line in listing] == [
        desk.Late.PERIODIC_REVIEW,
        desk.Late.ASSIGNMENT,
        desk.Late.SCHEDULE,
    ]
    assert all(line.overdue for line in listing)


# Everyone.


def test_recently_published_newest_first_for_everyone(db):
    with time_machine.travel(at(-3), tick=False):
        publish(make_variant(title="Avant-hier"))
    with time_machine.travel(at(-1), tick=False):
        publish(make_variant(title="Hier"))
    make_variant(title="Brouillon")

    assert titles(desk.recently_published()) == ["Hier", "Avant-hier"]


def test_a_list_keeps_its_first_lines_and_says_there_are_more(db):
    editor = make_user("editor")
    for n in range(4):
        make_variant(author=editor, title=f"Brouillon {n}")

    listing = desk.my_drafts(editor, limit=3)

    assert len(listing) == 3 and listing.more
    assert not desk.my_drafts(editor, limit=4).more


# The admin's home page.


def index(user, client):
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def section_ids(page: str) -> list[str]:
    return re.findall(r'<section class="desk-role" id="desk-(\w+)"', page)


def section(page: str, name: str) -> str:
    """The HTML of one section (a role) or one list of the desk."""
    return page.split(f'id="desk-{name}"')[1].split("</section>")[0]


def one_list(page: str, name: str) -> str:
    return page.split(f'id="desk-list-{name}"')[1].split('<div class="desk-list"')[0]


@pytest.mark.parametrize(
    ("roles", "sections"),
    [
        (["editor"], ["editor", "published"]),
        (["reviewer"], ["reviewer", "published"]),
        # A chief editor may also write and review: the work others wait for
        # comes first.
        (["chief"], ["chief", "reviewer", "editor", "published"]),
        (["editor", "reviewer"], ["reviewer", "editor", "published"]),
    ],
)
def test_the_home_page_shows_the_sections_of_each_role_a_person_has(
    db, client, roles, sections
):
    user = make_user(roles[0])
    for role in roles[1:]:
        user.groups.add(*make_user(role).groups.all())

    page = index(user, client)

    assert section_ids(page) == sections
    # The admin's own list of everything stays on the page.
    assert 'id="apps"' in page and "/admin/briefs/variant/" in page


def test_an_editor_reviewer_sees_their_texts_and_those_they_may_review(db, client):
    person = make_user("editor")
    person.groups.add(*make_user("reviewer").groups.all())
    mine = submitted(person, title="Mon texte soumis")
    theirs = submitted(title="Texte d'un collègue")

    page = index(person, client)
    editor_part = section(page, "editor")
    reviewer_part = section(page, "reviewer")

    assert "Mon texte soumis" in editor_part
    assert "Texte d'un collègue" in reviewer_part
    assert "Mon texte soumis" not in reviewer_part
    assert f"/admin/briefs/variant/{theirs.pk}/change/" in reviewer_part
    assert f"/admin/briefs/variant/{theirs.pk}/diff/" in reviewer_part
    assert f"/admin/briefs/variant/{mine.pk}/change/" in editor_part


def test_an_overdue_line_says_so_in_words_and_dates_are_in_paris_time(db, client):
    reviewer = make_user("reviewer")
    # 23:30 UTC on 1 March is already 2 March in Paris.
    with time_machine.travel(dt.datetime(2025, 3, 1, 23, 30, tzinfo=dt.UTC)):
        variant = make_variant(title="Attendu hier")
        workflow.submit(variant=variant, user=variant.author)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Variant.objects.filter(pk=variant.pk).update(
        assigned_to=reviewer, assignment_due=yesterday
    )

    page = index(reviewer, client)
    line = page.split("Attendu hier")[1].split("</li>")[0]

    assert "En retard" in line
    assert "2 mars 2025 00:30" in line
    assert 'class="desk-line is-overdue"' in page


def test_an_editor_is_shown_the_reviewers_request_on_the_home_page(db, client):
    editor = make_user("editor")
    reviewer = make_user("reviewer", first_name="Paul", last_name="Lefèvre")
    variant = sent_back(submitted(editor, title="À reprendre"), reviewer, "Citez.")
    comment_on(variant, reviewer)

    page = index(editor, client)
    changes = one_list(page, "changes")

    assert "À reprendre" in changes and "Citez." in changes
    assert "demandé par Paul Lefèvre" in changes
    assert "1 commentaire ouvert" in changes


def test_titles_and_requests_are_shown_as_text_and_ids_are_unique(db, client):
    person = make_user("chief")
    reviewer = make_user("reviewer")
    variant = submitted(person, title="<img src=x onerror=alert(1)> Titre")
    sent_back(variant, reviewer, "<script>alert('x')</script> Revoir.")
    publish(make_variant(title="En ligne"))
    client.force_login(person)

    raw = client.get("/admin/").content.decode()
    ids = re.findall(r' id="([^"]+)"', raw)

    assert "<img src=x" not in raw and "<script>alert" not in raw
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Revoir." in raw
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_see_all_opens_the_variant_list_filtered_on_the_same_texts(db, client):
    editor = make_user("editor")
    for n in range(desk.LIMIT + 2):
        make_variant(author=editor, title=f"Brouillon {n}")
    make_variant(title="Brouillon d'un collègue")

    page = index(editor, client)
    drafts = one_list(page, "drafts")
    link = re.search(r'<p class="desk-more"><a href="([^"]+)"', drafts).group(1)
    response = client.get(link.replace("&amp;", "&"))

    assert drafts.count('<li class="desk-line') == desk.LIMIT
    assert response.status_code == 200
    assert {v.title_fr for v in response.context["cl"].result_list} == {
        f"Brouillon {n}" for n in range(desk.LIMIT + 2)
    }


def test_staff_without_a_role_see_what_was_published_only_if_they_may_see_texts(
    db, client
):
    from django.contrib.auth.models import Permission

    publish(make_variant(title="En ligne"))
    nobody, reader = make_user(), make_user()
    reader.user_permissions.add(Permission.objects.get(codename="view_variant"))

    page = index(nobody, client)
    assert section_ids(page) == [] and "En ligne" not in page
    assert 'id="apps"' in page
    page = index(reader, client)
    assert section_ids(page) == ["published"] and "En ligne" in page


# Query budgets: the page costs the same with 3 texts or 30.


def many_texts(count: int, *, editor, reviewer, chief) -> None:
    other = make_user("editor")
    for n in range(count):
        kind = n % 6
        author = editor if n % 2 else other
        if kind == 0:
            make_variant(author=author, title=f"Brouillon {n}")
        elif kind == 1:
            variant = submitted(author, title=f"Renvoyé {n}")
            sent_back(variant, make_user("reviewer"), "Reprenez.")
            comment_on(variant, reviewer)
        elif kind == 2:
            variant = submitted(
                other, title=f"Confié {n}", to=reviewer, due=at(-1).date()
            )
            comment_on(variant, reviewer)
        elif kind == 3:
            submitted(author, title=f"En attente {n}", due=at(2).date())
        elif kind == 4:
            variant = approved(author, title=f"Approuvé {n}")
            if n % 4 == 0:
                workflow.publish(
                    variant=variant, user=chief, at=timezone.now() + dt.timedelta(1)
                )
        else:
            page = publish(make_variant(author=author, title=f"Publié {n}"))
            Variant.objects.filter(pk=page.pk).update(
                review_due_at=timezone.now() + dt.timedelta(days=n - 15)
            )


def queries_of_index(client, user) -> int:
    client.force_login(user)
    client.get("/admin/")  # the session and permissions' first reads
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/")
    assert response.status_code == 200
    return len(queries)


# Six reads of any admin page (session, user, second-factor devices,
# permissions), the admin's recent actions, the recently published list, then
# the count of readers' reports to handle, then one query per list: 4 for an
# editor (outdated translations included), 3 for a reviewer, 5 more for a
# chief editor (whose group may also write and review; the overdue list is
# three; the translations are read once).
@pytest.mark.parametrize(
    ("role", "budget"), [("editor", 13), ("reviewer", 12), ("chief", 21)]
)
def test_each_roles_home_page_costs_the_same_few_queries_with_many_texts(
    db, client, django_assert_max_num_queries, role, budget
):
    editor, reviewer, chief = (
        make_user("editor"),
        make_user("reviewer"),
        make_user("chief"),
    )
    person = {"editor": editor, "reviewer": reviewer, "chief": chief}[role]
    many_texts(6, editor=editor, reviewer=reviewer, chief=chief)
    few = queries_of_index(client, person)
    many_texts(30, editor=editor, reviewer=reviewer, chief=chief)

    client.force_login(person)
    with django_assert_max_num_queries(budget):
        page = client.get("/admin/").content.decode()

    assert queries_of_index(client, person) == few
    assert page.count('<li class="desk-line') > 12


def test_a_person_with_every_role_costs_each_roles_lists_once(
    db, client, django_assert_max_num_queries
):
    person = make_user("editor")
    for role in ("reviewer", "chief"):
        person.groups.add(*make_user(role).groups.all())
    many_texts(30, editor=person, reviewer=person, chief=person)
    client.force_login(person)
    client.get("/admin/")
    with django_assert_max_num_queries(21):
        response = client.get("/admin/")
    assert section_ids(response.content.decode()) == [
        "chief",
        "reviewer",
        "editor",
        "published",
    ]


def test_reading_the_desk_changes_nothing(db):
    editor = make_user("editor")
    submitted(editor)
    before = list(Variant.objects.values_list("pk", "state", "updated_at"))
    desk.desk_for(editor)
    assert list(Variant.objects.values_list("pk", "state", "updated_at")) == before
    assert State.IN_REVIEW in {state for _pk, state, _at in before}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plan")
def test_pages_due_for_review_are_read_from_their_index_not_every_page(db):
    publish(make_variant())
    plan = desk.due_for_review(now=NOW, within=desk.REVIEW_SOON).explain()
    assert "variant_review_due" in plan
