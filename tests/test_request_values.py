"""Numbers, ids and filter values from requests: read strictly, never a 500."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.utils import timezone

from briefs.http import MAX_INT, parse_int
from briefs.models import Audience, Source, Variant
from tests.factories import make_published, make_source, make_user

HUGE = 10**30


def arabic_indic(number: int) -> str:
    """``number`` written in Arabic-Indic digits (int() reads them as ASCII)."""
    return "".join(chr(0x660 + int(digit)) for digit in str(number))


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


# -- parse_int ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("42", 42), ("007", 7), (str(MAX_INT), MAX_INT)],
)
def test_plain_ascii_digits_are_read(text, number):
    assert parse_int(text) == number


@pytest.mark.parametrize(
    "text",
    [
        "²",
        "①",
        "١٢",
        "٣",
        "１２",  # fullwidth
        " 1",
        "1 ",
        "1\n",
        "+1",
        "-1",
        "1.0",
        "1e3",
        "0x1",
        "1_000",
        "",
        str(MAX_INT + 1),
        "9" * 30,
        None,
        12,
    ],
)
def test_anything_else_is_refused(text):
    assert parse_int(text) is None


def test_bounds_are_kept():
    assert parse_int("0", minimum=1) is None
    assert parse_int("11", maximum=10) is None
    assert parse_int("10", minimum=1, maximum=10) == 10


# -- our views ---------------------------------------------------------------


@pytest.fixture
def published(db):
    return make_published()


@pytest.fixture
def chief_client(client, db):
    client.force_login(make_user("chief"))
    return client


@pytest.mark.parametrize("revision", ["²", "①", "١", "-1", " 1", str(HUGE)])
def test_diff_of_a_malformed_revision_number_is_a_404(
    chief_client, published, revision
):
    url = f"/admin/briefs/variant/{published.pk}/diff/"
    assert chief_client.get(url, {"revision": "1"}).status_code == 200
    assert chief_client.get(url, {"revision": revision}).status_code == 404


@pytest.mark.parametrize("audience", ["①", "²", "١", "-1", str(HUGE)])
def test_quality_report_of_a_malformed_audience_is_a_clear_400(
    chief_client, db, audience
):
    response = chief_client.post(
        "/admin/quality-report/", {"content": "Un texte.", "audience": audience}
    )
    assert response.status_code == 400
    assert response.json()["error"] == "Public inconnu."


def test_quality_report_reads_a_plain_audience_id(chief_client, db):
    afm = Audience.objects.get(code="afm")
    response = chief_client.post(
        "/admin/quality-report/", {"content": "Un texte.", "audience": str(afm.pk)}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("number", [str(HUGE), str(MAX_INT + 1)])
def test_revision_numbers_past_the_database_match_no_preview(
    chief_client, published, number
):
    base = f"/admin/briefs/variant/{published.pk}/revisions"
    assert chief_client.get(f"{base}/1/preview/").status_code == 200
    # No match: the admin takes the rest for an object id, and finds none.
    response = chief_client.get(f"{base}/{number}/preview/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"


@pytest.mark.parametrize("page", ["²", "١", "-1", str(HUGE)])
def test_a_malformed_page_number_shows_the_first_page(client, published, page):
    response = client.get("/fr/afm/", {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1


# -- the ORM: numbers no integer column holds match nothing -----------------


def test_lookups_with_numbers_past_any_column_match_nothing(published):
    author = published.author
    variants = Variant.objects.all()
    assert not variants.filter(author=HUGE).exists()
    assert not variants.filter(author__gt=HUGE).exists()
    assert not variants.filter(pk__in=[HUGE, -HUGE]).exists()
    assert list(variants.filter(author__in=[HUGE, author.pk])) == [published]
    assert list(variants.filter(author__lt=HUGE)) == [published]
    assert list(variants.filter(author__gt=-HUGE)) == [published]
    assert list(variants.filter(author__id__in=[author.pk, HUGE])) == [published]


def test_ranges_past_any_column_are_brought_back_to_it(db):
    source = make_source(year=2020)
    sources = Source.objects.all()
    assert list(sources.filter(year__range=(-HUGE, HUGE))) == [source]
    assert list(sources.filter(year__range=(2000, HUGE))) == [source]
    assert not sources.filter(year__range=(HUGE, HUGE + 1)).exists()


# -- the admin: ids, selections, filters --------------------------------------


def test_a_selection_in_other_digits_deletes_nothing(chief_client, db):
    # int("١٢") is 12: read as it came, it would delete the source with id 12.
    sources = [make_source() for _ in range(3)]
    target = sources[-1]
    response = chief_client.post(
        "/admin/briefs/source/",
        {
            "action": "delete_selected",
            "_selected_action": [arabic_indic(target.pk)],
            "post": "yes",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Source.objects.filter(pk=target.pk).exists()
    assert "Sélection invalide" in messages_of(response)


@pytest.mark.parametrize("selected", ["²", "1,2", str(HUGE), "\x00"])
def test_a_malformed_selection_is_refused_with_a_message(chief_client, db, selected):
    make_source()
    count = Source.objects.count()
    response = chief_client.post(
        "/admin/briefs/source/",
        {"action": "delete_selected", "_selected_action": [selected], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert Source.objects.count() == count
    assert "Sélection invalide" in messages_of(response)


def test_an_id_in_other_digits_finds_no_object(chief_client, published):
    url = f"/admin/briefs/variant/{arabic_indic(published.pk)}/change/"
    response = chief_client.get(url)
    assert response.status_code == 302
    assert response.url == "/admin/"
    assert (
        chief_client.get(f"/admin/briefs/variant/{published.pk}/change/").status_code
        == 200
    )


@pytest.mark.parametrize(
    "query",
    ["state__exact=%00", "audience=99999999999999999999999999", "author__lt=%00"],
)
def test_an_unusable_filter_value_shows_the_list_unfiltered(
    chief_client, published, query
):
    response = chief_client.get(f"/admin/briefs/variant/?{query}", follow=True)
    assert response.status_code == 200


def test_autocomplete_with_a_nul_finds_nothing(chief_client, published):
    response = chief_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "briefs",
            "model_name": "brief",
            "field_name": "topics",
            "term": "a\x00",
        },
    )
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_cleaning_up_expired_login_attempts_works_from_the_admin(client, db):
    client.force_login(make_user(None, is_superuser=True))
    old = timezone.now() - timezone.timedelta(days=2)
    attempt = AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", failures_since_start=1
    )
    AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=old)
    response = client.post(
        "/admin/axes/accessattempt/",
        {
            "action": "cleanup_expired_attempts",
            "_selected_action": [str(attempt.pk)],
            "index": "0",
        },
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize("value", ["١٢", "²", "3.0", "-3", "9" * 30])
def test_form_numbers_are_read_like_every_number(value):
    """The variant form's hidden counts refuse what parse_int refuses."""
    from briefs.admin.forms import ActionForm

    form = ActionForm({"action": "approve", "revision": value})
    assert not form.is_valid()
    assert "revision" in form.errors
