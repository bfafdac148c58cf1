"""A source's authors edited as rows, stored as the same JSON list."""

import pytest

from briefs.admin.sources import SourceForm
from briefs.models import Source
from tests.admin_helpers import login
from tests.factories import make_source, make_user

AUTHORS = [
    {"family": "Takada", "given": "Kazuki"},
    {"family": "Éloïse-Müller", "given": "J.-P."},
    {"literal": "Assistance Publique - Hôpitaux de Paris"},
    {"others": True},
]


def form_data(rows, *, others=False, **fields) -> dict:
    data = {"key": "takada2019", "kind": "article", "title": "Tacrolimus", **fields}
    for index, row in enumerate(rows):
        family, given, *literal = row
        data[f"authors-{index}-family"] = family
        data[f"authors-{index}-given"] = given
        if literal and literal[0]:
            data[f"authors-{index}-literal"] = "on"
    if others:
        data["authors-others"] = "on"
    return data


def test_rows_become_the_stored_list(db):
    form = SourceForm(
        form_data(
            [
                ("Takada", "Kazuki"),
                (" Éloïse-Müller ", " J.-P. "),
                ("Assistance Publique - Hôpitaux de Paris", "", True),
            ],
            others=True,
        )
    )
    assert form.is_valid(), form.errors
    assert form.save().authors == AUTHORS


def test_the_stored_list_comes_back_as_rows_and_saves_unchanged(db):
    source = make_source("takada2019", authors=AUTHORS)
    page = login(make_user("editor")).get(f"/admin/briefs/source/{source.pk}/change/")
    html = page.content.decode()
    assert 'name="authors-0-family" value="Takada"' in html
    assert 'name="authors-1-given" value="J.-P."' in html
    assert 'name="authors-2-literal" id="id_authors-2-literal" checked' in html
    assert 'name="authors-others" id="id_authors-others" checked' in html
    # Three empty rows below, for a page used without JavaScript.
    assert 'name="authors-5-family" value=""' in html
    assert 'name="authors-6-family"' not in html
    assert '"family": "Takada"' not in html  # no JSON to edit
    # Round trip: the rows as the browser sends them back keep the list.
    data = form_data(
        [
            ("Takada", "Kazuki"),
            ("Éloïse-Müller", "J.-P."),
            ("Assistance Publique - Hôpitaux de Paris", "", True),
            ("", ""),
            ("", ""),
            ("", ""),
        ],
        others=True,
    )
    form = SourceForm(data, instance=source)
    assert form.is_valid(), form.errors
    assert not form.has_changed() or "authors" not in form.changed_data
    assert form.save().authors == AUTHORS


def test_empty_rows_are_ignored_wherever_they_are(db):
    form = SourceForm(form_data([("", ""), ("Takada", ""), ("  ", " "), ("Doe", "J")]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["authors"] == [
        {"family": "Takada"},
        {"family": "Doe", "given": "J"},
    ]


def test_rows_added_by_the_page_script_are_read_in_order(db):
    data = form_data([("Takada", "K")])
    data.update({"authors-12-family": "Zed", "authors-7-family": "Moreau"})
    form = SourceForm(data)
    assert form.is_valid(), form.errors
    assert [a["family"] for a in form.cleaned_data["authors"]] == [
        "Takada",
        "Moreau",
        "Zed",
    ]


def test_no_author_at_all_is_an_empty_list(db):
    form = SourceForm(form_data([("", "")]))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["authors"] == []


def test_et_al_alone_is_refused_clearly(db):
    form = SourceForm(form_data([("", "")], others=True))
    assert not form.is_valid()
    assert form.errors["authors"] == ["« et al. » suit au moins un auteur nommé."]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("Takada", "K"), ("", "Kazuki")],
            "Auteur n° 2 : « Kazuki » n'a pas de nom de famille. Écrivez le nom "
            "dans la première colonne.",
        ),
        (
            [("AP-HP", "Paris", True)],
            "Auteur n° 1 : une collectivité (« AP-HP ») n'a pas de prénom ; videz "
            "la deuxième colonne.",
        ),
        (
            [("x" * 201, "")],
            "Auteur n° 1 : un nom s'écrit en 200 caractères au plus.",
        ),
    ],
    ids=["given-only", "body-with-given-name", "too-long"],
)
def test_a_wrong_row_says_which_and_why(db, rows, message):
    form = SourceForm(form_data(rows))
    assert not form.is_valid()
    assert form.errors["authors"] == [message]


def test_a_wrong_row_is_shown_again_as_typed_and_nothing_saved(db):
    source = make_source("takada2019", authors=[{"family": "Takada"}])
    client = login(make_user("editor"))
    url = f"/admin/briefs/source/{source.pk}/change/"
    data = form_data(
        [("Takada", "K"), ("", "Kazuki")], container_title="J", year="2019"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "n&#x27;a pas de nom de famille" in html
    assert 'name="authors-1-given" value="Kazuki"' in html
    assert Source.objects.get(pk=source.pk).authors == [{"family": "Takada"}]


def test_a_source_saved_through_the_admin_keeps_the_stored_format(db):
    client = login(make_user("editor"))
    data = form_data([("Takada", "Kazuki"), ("Doe", "")], others=True, year="2019")
    response = client.post("/admin/briefs/source/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Source.objects.get(key="takada2019").authors == [
        {"family": "Takada", "given": "Kazuki"},
        {"family": "Doe"},
        {"others": True},
    ]
