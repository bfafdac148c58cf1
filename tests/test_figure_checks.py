"""Figure checks before approval: a reviewer acknowledges each French/English
difference explicitly, and the audit trail keeps the list."""

import pytest

from briefs.editorial import figure_checks, workflow
from briefs.models import State, Variant
from tests.admin_helpers import login
from tests.factories import make_source, make_user, make_variant


@pytest.fixture
def mistranslated(db):
    source = make_source("takada2019")
    variant = make_variant(
        body=f"La survie à un an a atteint 85 %[@{source.key}].\n",
        title_en="Tacrolimus",
        body_en=f"One-year survival reached 88%[@{source.key}].\n",
    )
    workflow.submit(variant=variant, user=variant.author)
    return Variant.objects.get(pk=variant.pk)


def test_the_checks_are_stored_with_the_revision(mistranslated):
    stored = mistranslated.latest_revision.metrics["figures"]
    assert stored["translation"] == [
        {"kind": "changed", "source": "85 %", "translation": "88%"}
    ]


def test_approving_needs_each_difference_acknowledged(mistranslated):
    reviewer = make_user("reviewer")
    with pytest.raises(workflow.WorkflowError, match="« 85 % » devenu « 88% »"):
        workflow.perform("approve", variant=mistranslated, user=reviewer)
    with pytest.raises(workflow.WorkflowError):
        workflow.perform(
            "approve",
            variant=mistranslated,
            user=reviewer,
            acknowledged=["not-the-one"],
        )
    assert Variant.objects.get(pk=mistranslated.pk).state == State.IN_REVIEW
    [difference] = figure_checks.differences(mistranslated.latest_revision)
    event = workflow.perform(
        "approve",
        variant=mistranslated,
        user=reviewer,
        acknowledged=[difference["id"]],
    ).event
    assert event.to_state == State.APPROVED
    assert "Différences de chiffres vérifiées" in event.comment
    assert "« 85 % » devenu « 88% » en anglais" in event.comment


def test_a_faithful_translation_is_approved_without_a_box_to_tick(db):
    source = make_source("takada2019")
    variant = make_variant(
        body=f"La survie à un an a atteint 85 %[@{source.key}].\n",
        title_en="Tacrolimus",
        body_en=f"One-year survival reached 85%[@{source.key}].\n",
    )
    workflow.submit(variant=variant, user=variant.author)
    workflow.approve(variant=variant, user=make_user("reviewer"))
    assert Variant.objects.get(pk=variant.pk).state == State.APPROVED


def test_the_variant_page_lists_the_differences_and_their_boxes(mistranslated):
    client = login(make_user("reviewer"))
    url = f"/admin/briefs/variant/{mistranslated.pk}/change/"
    page = client.get(url).content.decode()
    assert "Vérification des chiffres" in page
    assert "« 85 % » devenu « 88% » en anglais" in page
    assert 'name="workflow-acknowledged"' in page
    response = client.post(
        f"/admin/briefs/variant/{mistranslated.pk}/transition/",
        {"action": "approve", "revision": 1},
        follow=True,
    )
    said = " ".join(str(m) for m in response.context["messages"])
    assert "Cochez chaque différence" in said
    assert Variant.objects.get(pk=mistranslated.pk).state == State.IN_REVIEW


def test_the_patient_version_is_checked_against_the_professional_one(db):
    source = make_source("takada2019", title="Tacrolimus in 25 patients")
    brief_variant = make_variant(
        audience="aim", body=f"La survie à un an a atteint 85 %[@{source.key}].\n"
    )
    patient = make_variant(
        audience="afm",
        brief=brief_variant.brief,
        body=(
            f"La survie a atteint 85 % chez 25 patients[@{source.key}]. "
            "Elle a duré 3 ans.\n"
        ),
    )
    report = figure_checks.check(patient)
    assert report["versions"]["unsupported"] == ["3 ans"]
    assert report["uncited"]["fr"] == ["Elle a duré 3 ans."]


def test_the_live_endpoint_checks_the_text_being_typed(db):
    client = login(make_user("editor"))
    response = client.post(
        "/admin/figure-checks/",
        {
            "title_fr": "Titre",
            "body_fr": "La survie a atteint 85 %.",
            "title_en": "Title",
            "body_en": "Survival reached 88%.",
        },
    )
    assert response.status_code == 200
    found = response.json()
    assert found["count"] == 3  # one difference, one uncited claim per language
    assert found["sections"][0]["lines"] == ["« 85 % » devenu « 88% » en anglais"]


@pytest.mark.parametrize(
    "data, status",
    [
        ({"variant": "x"}, 400),
        ({"variant": "999999"}, 200),
        ({"body_fr": "8" * 100_001}, 400),
    ],
)
def test_the_live_endpoint_answers_odd_requests_without_error(db, data, status):
    client = login(make_user("editor"))
    assert client.post("/admin/figure-checks/", data).status_code == status
    assert client.get("/admin/figure-checks/").status_code == 405


def test_the_live_endpoint_is_closed_to_readers(client):
    assert client.post("/admin/figure-checks/", {"body_fr": "1 %"}).status_code in (
        302,
        403,
    )
