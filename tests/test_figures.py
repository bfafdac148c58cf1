"""The figures of a text, French and English alike, and what differs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefs.text.figures import (
    compare_translation,
    extract,
    uncited_claims,
    unsupported,
)


def keys(text, lang):
    return [(f.value, f.unit) for f in extract(text, lang)]


@pytest.mark.parametrize(
    "fr, en, expected",
    [
        ("76,4 %", "76.4%", [("76.4", "%")]),
        ("76,4 pour cent", "76.4 percent", [("76.4", "%")]),
        ("Dix-huit étaient atteints", "Eighteen had it", [("18", "")]),
        ("entre 5 et 10 ng/mL", "between 5 and 10 ng/mL", [("5-10", "ng/ml")]),
        ("5 à 10 ng/mL", "5 to 10 ng/mL", [("5-10", "ng/ml")]),
        ("0.6-1 mg/kg/jour", "0.6-1 mg/kg/day", [("0.6-1", "mg/kg/day")]),
        ("0,6-1 mg/kg/j", "0.6–1 mg/kg/d", [("0.6-1", "mg/kg/day")]),
        ("29 adultes", "29 adults", [("29", "people")]),
        ("1 200 personnes", "1,200 people", [("1200", "people")]),
        ("à un an", "at one year", [("1", "year")]),
        ("à six mois", "at six months", [("6", "month")]),
        ("de 2007 à 2011", "from 2007 to 2011", [("2007-2011", "year-date")]),
        ("deux fois et demi", "two and a half times", [("2.5", "times")]),
        ("une fois et demie", "one and a half times", [("1.5", "times")]),
        ("deux fois plus", "twice as many", [("2", "times")]),
    ],
)
def test_french_and_english_writing_give_the_same_figures(fr, en, expected):
    assert keys(fr, "fr") == expected
    assert keys(en, "en") == expected


def test_digits_in_names_citations_and_links_are_not_figures():
    text = (
        "Les anti-MDA5 et la COVID-19[@takada2019] ; voir "
        "[le registre](https://example.org/NCT01234567)."
    )
    assert keys(text, "fr") == []


def test_an_article_is_not_a_figure_but_a_spelled_count_is():
    assert keys("Un essai a inclus une équipe.", "fr") == []
    assert keys("One trial.", "en") == []
    assert keys("Deux études.", "fr") == [("2", "")]


def test_a_changed_figure_in_the_translation_is_caught():
    fr = "La survie à un an a atteint 85 %[@a]. Elle a inclus 25 patients."
    en = "One-year survival reached 88%[@a]. It included 25 patients."
    assert [(d.kind, d.source, d.translation) for d in compare_translation(fr, en)] == [
        ("changed", "85 %", "88%")
    ]


def test_a_missing_and_an_extra_figure_are_caught():
    fr = "Survie à 6 mois : 89 %. Cible : 5 à 10 ng/mL."
    en = "Survival at 6 months: 89%. In 2019."
    found = {(d.kind, d.source, d.translation) for d in compare_translation(fr, en)}
    assert found == {("missing", "5 à 10 ng/mL", ""), ("extra", "", "2019")}


def test_a_faithful_translation_has_no_difference():
    fr = (
        "Dix-huit étaient atteints de dermatomyosite, 7 de polymyosite. "
        "La survie sans progression a atteint 76,4 %[@a]."
    )
    en = (
        "Eighteen had dermatomyositis, 7 polymyositis. "
        "Progression-free survival reached 76.4%[@a]."
    )
    assert compare_translation(fr, en) == []


def test_the_seed_brief_ratio_disagrees_with_its_own_subheading(brief_text):
    # "Un taux de survie deux fois et demi supérieur" heads a paragraph that
    # says "une fois et demi": both are figures of the patient text.
    figures = extract(brief_text, "fr")
    ratios = {f.value for f in figures if f.unit == "times"}
    assert ratios == {"2.5", "1.5"}


def test_patient_figures_unknown_to_the_professional_text_and_sources():
    patient = "La survie a atteint 85 %. Une équipe a suivi 29 adultes pendant 3 ans."
    professional = "La survie à un an a atteint 85 %[@a]."
    records = ["A study of 29 adults with dermatomyositis"]
    assert [f.text for f in unsupported(patient, professional, records)] == ["3 ans"]


def test_sentences_with_a_figure_and_no_citation_are_claims():
    text = (
        "La survie a atteint 85 %[@a]. Elle a inclus 25 patients.\n\n"
        "L'étude a paru en 2019. Un essai se prépare.\n\n"
        "La dose était de 1 mg/kg/jour. [@b]"
    )
    assert uncited_claims(text, "fr") == ["Elle a inclus 25 patients."]


@given(st.text(), st.sampled_from(["fr", "en"]))
def test_any_text_gives_figures_without_error(text, lang):
    for figure in extract(text, lang):
        assert figure.value and figure.text
    compare_translation(text, text)
    uncited_claims(text, lang)
