"""French readability (Kandel & Moles): counts, score, storage, admin panel."""

import pytest

from briefs.editorial import workflow
from briefs.editorial.revisions import submission_warnings
from briefs.models import Variant
from briefs.text.readability import (
    analyse,
    below_target,
    kandel_moles,
    split_sentences,
    syllables,
)
from tests.factories import make_source, make_user, make_variant

HARD = (
    "La pneumopathie interstitielle progresse rapidement chez les personnes "
    "malades qui produisent des autoanticorps spécifiques, malgré l’association "
    "précoce de corticoïdes et d’immunosuppresseurs, selon une cohorte "
    "rétrospective multicentrique japonaise[@{key}].\n"
)
EASY = "Le chat dort. Il a faim. Il boit du lait[@{key}].\n"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("chat", 1),
        ("poumons", 2),  # pou-mons
        ("maladie", 3),  # ma-la-die
        ("médecin", 3),  # mé-de-cin
        ("pneumopathie", 4),  # pneu-mo-pa-thie
        ("immunosuppresseur", 6),  # im-mu-no-sup-pres-seur
        ("l’efficacité", 5),  # the elided "l" adds nothing: ef-fi-ca-ci-té
        ("AMM", 3),  # spelled out: a-èm-èm
        ("2008", 3),  # read aloud: deux mille huit
        ("anti-MDA5", 6),  # an-ti + M-D-A + cinq
    ],
)
def test_syllables_follow_the_french_dictionary(word, expected):
    assert syllables(word) == expected


def test_formula_is_kandel_and_moles():
    # 10 words, 2 sentences, 15 syllables: 207 − 1.015 × 5 − 73.6 × 1.5
    assert kandel_moles(words=10, sentences=2, syllables=15) == pytest.approx(91.525)


def test_short_words_and_sentences_score_high():
    result = analyse("Le chat dort. Il a faim.")
    # 6 one-syllable words in 2 sentences: 207 − 1.015 × 3 − 73.6 × 1
    assert (result.words, result.sentences, result.syllables) == (6, 2, 6)
    assert result.score == pytest.approx(207 - 1.015 * 3 - 73.6, abs=0.05)
    assert result.avg_sentence_length == 3.0


def test_long_clinical_sentence_scores_low():
    sentence = "La pneumopathie interstitielle progresse rapidement chez les personnes malades."
    result = analyse(sentence)
    # la 1, pneu-mo-pa-thie 4, in-ter-sti-tielle 4, pro-gresse 2,
    # ra-pi-de-ment 4, chez 1, les 1, per-sonnes 2, ma-lades 2 = 21 syllables
    assert (result.words, result.sentences, result.syllables) == (9, 1, 21)
    assert result.score == pytest.approx(207 - 1.015 * 9 - 73.6 * 21 / 9, abs=0.05)
    assert result.score < 60


def test_citations_and_markdown_are_not_counted():
    text = "## Un titre\n\nLe **chat** dort[@smith2020]. Il a [faim](https://example.org).\n"
    result = analyse(text)
    # The heading is a sentence of its own; citation and link target vanish.
    assert (result.words, result.sentences) == (8, 3)
    assert all("smith" not in s.text and "http" not in s.text for s in result.longest)


def test_abbreviations_and_decimals_do_not_end_sentences():
    assert split_sentences(
        "M. Dupont a vu 76.4 % des cas, etc. et rien de plus. Fin"
    ) == [
        "M. Dupont a vu 76.4 % des cas, etc. et rien de plus.",
        "Fin",
    ]


def test_longest_sentences_are_listed_longest_first():
    result = analyse("Court. Une phrase un peu plus longue. Une phrase moyenne ici.")
    assert [s.words for s in result.longest] == [6, 4, 1]
    assert result.longest[0].text == "Une phrase un peu plus longue."


def test_empty_text_has_no_score():
    assert analyse("").score is None
    assert not below_target(None, 60)


def test_score_is_stored_on_each_revision(db):
    source = make_source()
    variant = make_variant(body=EASY.format(key=source.key))
    workflow.submit(variant=variant, user=variant.author)
    metrics = Variant.objects.get(pk=variant.pk).latest_revision.metrics
    assert metrics["readability"]["score"] == analyse(variant.body_fr).score
    assert metrics["readability"]["sentences"] == 3
    assert metrics["readability_target"] == 60


def test_patient_text_below_target_warns_on_submit_without_blocking(client, db):
    source = make_source()
    variant = make_variant(body=HARD.format(key=source.key))
    assert submission_warnings(variant)
    client.force_login(variant.author)
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/transition/",
        {"action": "submit"},
        follow=True,
    )
    assert Variant.objects.get(pk=variant.pk).state == "in_review"
    assert "sous la cible de 60" in response.content.decode()


def test_professional_text_has_no_target_and_no_warning(db):
    source = make_source()
    variant = make_variant(audience="aim", body=HARD.format(key=source.key))
    assert submission_warnings(variant) == []


def test_easy_patient_text_gets_no_warning(db):
    source = make_source()
    variant = make_variant(body=EASY.format(key=source.key))
    assert submission_warnings(variant) == []


URL = "/admin/quality-report/"


def test_live_endpoint_is_staff_only_and_post_only(client, db):
    assert client.post(URL, {"content": "Le chat dort."}).status_code == 403
    client.force_login(make_user("editor", staff=False, is_active=True))
    assert client.post(URL, {"content": "Le chat dort."}).status_code == 403
    client.force_login(make_user("editor"))
    assert client.get(URL).status_code == 405


def test_live_endpoint_scores_the_text_against_the_audience_target(client, db):
    from briefs.models import Audience

    client.force_login(make_user("editor"))
    afm = Audience.objects.get(code="afm")
    response = client.post(
        URL, {"content": HARD.format(key="x"), "audience": str(afm.pk)}
    )
    data = response.json()
    assert response.status_code == 200
    assert data["readability"]["score"] == analyse(HARD.format(key="x")).score
    assert data["below_target"] is True
    assert "corticoïdes" in data["glossary_terms"]
    assert "rétrospective" in data["jargon"]


@pytest.mark.parametrize(
    "payload", [{}, {"content": "x", "audience": "abc"}, {"content": "x" * 100_001}]
)
def test_live_endpoint_refuses_bad_input_clearly(client, db, payload):
    client.force_login(make_user("editor"))
    response = client.post(URL, payload)
    assert response.status_code == 400
    assert response.json()["error"]


def test_admin_shows_the_score_of_both_demo_variants(client, demo):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser(
        "boss", "boss@example.org", "pw-for-tests-only"
    )
    client.force_login(admin_user)
    listing = client.get("/admin/briefs/variant/").content.decode()
    for variant in Variant.objects.select_related("latest_revision"):
        score = variant.latest_revision.metrics["readability"]["score"]
        page = client.get(f"/admin/briefs/variant/{variant.pk}/change/")
        html = page.content.decode()
        assert page.status_code == 200
        assert f'<span data-field="score">{score}</span>' in html.replace(",", ".")
        assert str(score) in listing.replace(",", ".")
    afm = Variant.objects.get(audience__code="afm")
    html = client.get(f"/admin/briefs/variant/{afm.pk}/change/").content.decode()
    assert "pneumopathie interstitielle" in html
    assert "admin/js/readability.js" in html


def test_text_mentioning_off_label_use_suggests_the_flag(db):
    source = make_source()
    variant = make_variant(
        body=f"Le chat dort. Il est soigné hors AMM[@{source.key}].\n"
    )
    assert any("hors AMM" in w for w in submission_warnings(variant))
    variant.off_label = True
    assert submission_warnings(variant) == []
