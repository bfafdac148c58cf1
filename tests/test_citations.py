"""Source identifiers are checked and normalized, linked, and listed in Vancouver style."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from briefs.models import Source, SourceKind
from briefs.sources.importing import parse_bibtex
from briefs.sources.selectors import unknown_citation_keys
from briefs.text import identifiers, references
from briefs.text.markdown import render_markdown, render_references
from tests.factories import make_source

# Identifiers -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10.1093/rheumatology/kez394", "10.1093/rheumatology/kez394"),
        ("https://doi.org/10.1002/ART.41105", "10.1002/art.41105"),
        ("http://dx.doi.org/10.1002/art.41105", "10.1002/art.41105"),
        ("doi: 10.1002/art.41105", "10.1002/art.41105"),
        ("DOI:10.1002/art.41105 ", "10.1002/art.41105"),
        ("doi.org/10.1056/NEJMoa2034577", "10.1056/nejmoa2034577"),
        ("", ""),
    ],
)
def test_doi_is_stored_lower_case_without_its_prefix(value, expected):
    assert identifiers.normalize_doi(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "11.1002/art.41105",
        "10.12/abc",
        "10.1002",
        "10.1002/",
        "10.1002/art 41105",
        "kez394",
    ],
)
def test_bad_doi_is_refused_with_an_example(value):
    with pytest.raises(ValidationError) as caught:
        identifiers.normalize_doi(value)
    assert "n'est pas un DOI" in caught.value.messages[0]
    assert "10.1093/rheumatology/kez394" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("31539061", "31539061"), (" PMID: 31539061", "31539061"), ("1", "1")],
)
def test_pmid_is_digits(value, expected):
    assert identifiers.normalize_pmid(value) == expected


@pytest.mark.parametrize(
    "value", ["3153906a", "PMC7850120", "0123", "-1", "1234567890"]
)
def test_bad_pmid_is_refused(value):
    with pytest.raises(ValidationError, match="n'est pas un PMID"):
        identifiers.normalize_pmid(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("PMC7850120", "PMC7850120"),
        ("pmc7850120", "PMC7850120"),
        ("7850120", "PMC7850120"),
    ],
)
def test_pmcid_is_pmc_and_digits(value, expected):
    assert identifiers.normalize_pmcid(value) == expected


@pytest.mark.parametrize("value", ["PMCX12", "PM7850120", "PMC", "31539061x"])
def test_bad_pmcid_is_refused(value):
    with pytest.raises(ValidationError, match="n'est pas un PMCID"):
        identifiers.normalize_pmcid(value)


@pytest.mark.parametrize(
    ("value", "expected", "registry", "url"),
    [
        (
            "nct03770663",
            "NCT03770663",
            "ClinicalTrials.gov",
            "https://clinicaltrials.gov/study/NCT03770663",
        ),
        (
            "2022-500024-30-00",
            "2022-500024-30-00",
            "CTIS",
            "https://euclinicaltrials.eu/ctis-public/view/2022-500024-30-00",
        ),
        (
            "2015-001234-56",
            "2015-001234-56",
            "EU Clinical Trials Register",
            "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2015-001234-56",
        ),
        (
            "JRCTs031180001",
            "jRCTs031180001",
            "jRCT",
            "https://jrct.mhlw.go.jp/latest-detail/jRCTs031180001",
        ),
        (
            "jRCT2031200001",
            "jRCT2031200001",
            "jRCT",
            "https://jrct.mhlw.go.jp/latest-detail/jRCT2031200001",
        ),
        (
            "umin000012345",
            "UMIN000012345",
            "UMIN-CTR",
            "https://trialsearch.who.int/Trial2.aspx?TrialID=UMIN000012345",
        ),
        (
            "ISRCTN 12345678",
            "ISRCTN12345678",
            "ISRCTN",
            "https://www.isrctn.com/ISRCTN12345678",
        ),
    ],
)
def test_trial_ids_of_each_registry_are_normalized_and_linked(
    value, expected, registry, url
):
    trial_id = identifiers.normalize_trial_id(value)
    assert trial_id == expected
    source = Source(key="t", title="Essai", kind=SourceKind.TRIAL, trial_id=trial_id)
    assert (registry, url) in identifiers.source_links(source)


@pytest.mark.parametrize(
    "value",
    [
        "NCT0377066",  # 7 digits
        "NCT037706631",  # 9 digits
        "2022-50002-30-00",  # EU CT with a short middle part
        "15-001234-56",  # EudraCT with a two-digit year
        "jRCT12",
        "UMIN00001234",  # 8 digits
        "ISRCTN1234567",
        "EUCTR",
    ],
)
def test_bad_trial_id_is_refused_listing_the_formats(value):
    with pytest.raises(ValidationError) as caught:
        identifiers.normalize_trial_id(value)
    message = caught.value.messages[0]
    assert "n'est pas un identifiant de registre" in message
    assert "NCT suivi de 8 chiffres" in message


def test_model_validation_normalizes_identifiers(db):
    source = Source(
        key="s1",
        title="Une étude",
        doi="https://doi.org/10.1093/Rheumatology/KEZ394",
        pmid=" 31539061 ",
        pmcid="pmc7850120",
        trial_id="nct03770663",
    )
    source.full_clean()
    assert (source.doi, source.pmid, source.pmcid, source.trial_id) == (
        "10.1093/rheumatology/kez394",
        "31539061",
        "PMC7850120",
        "NCT03770663",
    )


def test_model_validation_reports_every_bad_identifier_by_field(db):
    source = Source(
        key="s1",
        title="Une étude",
        doi="pas-un-doi",
        pmid="12a",
        pmcid="PM1",
        trial_id="NCT1",
        authors=[{"given": "Jane"}],
    )
    with pytest.raises(ValidationError) as caught:
        source.full_clean()
    assert set(caught.value.message_dict) >= {
        "doi",
        "pmid",
        "pmcid",
        "trial_id",
        "authors",
    }


def test_authors_must_be_a_list(db):
    with pytest.raises(ValidationError) as caught:
        Source(key="a", title="T", authors={"family": "Doe"}).full_clean()
    assert "liste JSON" in caught.value.message_dict["authors"][0]


def test_trial_and_web_page_need_their_identifier(db):
    with pytest.raises(ValidationError) as caught:
        Source(key="t", title="Essai", kind=SourceKind.TRIAL).full_clean()
    assert "identifiant" in caught.value.message_dict["trial_id"][0]
    with pytest.raises(ValidationError) as caught:
        Source(key="w", title="Page", kind=SourceKind.WEBPAGE).full_clean()
    assert "URL" in caught.value.message_dict["url"][0]


def test_same_doi_written_differently_is_a_duplicate(db):
    make_source("a", doi="10.1002/art.41105")
    duplicate = Source(key="b", title="Copie", doi="https://doi.org/10.1002/ART.41105")
    with pytest.raises(ValidationError) as caught:
        duplicate.full_clean()
    assert "doi" in str(caught.value.message_dict).lower()


def test_find_trial_id_in_free_text():
    assert (
        identifiers.find_trial_id("Registry identifier NCT03770663; 76")
        == "NCT03770663"
    )
    assert identifiers.find_trial_id("EudraCT 2015-001234-56") == "2015-001234-56"
    assert identifiers.find_trial_id("EU CT 2023-503684-42-00 ") == "2023-503684-42-00"
    assert identifiers.find_trial_id("nothing here", "") == ""


# Vancouver -------------------------------------------------------------------

TAKADA = (
    "Takada K, Katada Y, Ito S, Hayashi T, Kishi J, Itoh K, et al. Impact of adding "
    "tacrolimus to initial treatment of interstitial pneumonitis in "
    "polymyositis/dermatomyositis: a single-arm clinical trial. Rheumatology "
    "(Oxford). 2020;59(5):1084-93. doi: 10.1093/rheumatology/kez394. "
    "PMID: 31539061; PMCID: PMC7850120."
)
TSUJI = (
    "Tsuji H, Nakashima R, Hosono Y, et al. Multicenter Prospective Study of the "
    "Efficacy and Safety of Combined Immunosuppressive Therapy With High-Dose "
    "Glucocorticoid, Tacrolimus, and Cyclophosphamide in Interstitial Lung "
    "Diseases Accompanied by Anti-Melanoma Differentiation-Associated Gene "
    "5-Positive Dermatomyositis. Arthritis & Rheumatology. 2020;72(3):488-98. "
    "doi: 10.1002/art.41105."
)
CATRPAT = (
    "Assistance Publique - Hôpitaux de Paris. Cyclophosphamide and Azathioprine "
    "vs Tacrolimus in Antisynthetase Syndrome-related Interstitial Lung Disease: "
    "Multicentric Randomized Phase III Trial (CATR-PAT) [Internet]. "
    "ClinicalTrials.gov identifier: NCT03770663. "
    "Available from: https://clinicaltrials.gov/study/NCT03770663"
)


@pytest.fixture
def fixture_sources(bib_text):
    sources = {}
    for record in parse_bibtex(bib_text):
        record.pop("line")
        sources[record["key"]] = Source(**record)
    return sources


@pytest.mark.parametrize(
    ("key", "expected"),
    [("takada2019", TAKADA), ("tsuji2020", TSUJI), ("catrpat", CATRPAT)],
)
def test_fixture_sources_in_vancouver_style(fixture_sources, key, expected):
    assert references.format_reference_text(fixture_sources[key]) == expected


def test_html_reference_escapes_text_and_links_identifiers(fixture_sources):
    html = references.format_reference(fixture_sources["tsuji2020"])
    assert "Arthritis &amp; Rheumatology" in html
    assert 'doi: <a href="https://doi.org/10.1002/art.41105"' in html
    takada = references.format_reference(fixture_sources["takada2019"])
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31539061/"' in takada
    assert 'href="https://pmc.ncbi.nlm.nih.gov/articles/PMC7850120/"' in takada
    catrpat = references.format_reference(fixture_sources["catrpat"])
    assert (
        'identifier: <a href="https://clinicaltrials.gov/study/NCT03770663"' in catrpat
    )


def test_hostile_fields_are_escaped():
    source = Source(
        key="x",
        title='<script>alert(1)</script> "quoted"',
        container_title="<b>J</b>",
        url="https://example.org/?a=1&b=<2>",
        kind=SourceKind.WEBPAGE,
    )
    html = references.format_reference(source)
    assert "<script>" not in html
    assert "<b>" not in html
    assert "&lt;script&gt;" in html


def _authors(count: int) -> list[dict]:
    return [
        {"family": f"Auteur{i}", "given": "Jean-Pierre"} for i in range(1, count + 1)
    ]


def test_six_authors_are_all_listed():
    source = Source(key="x", title="T", authors=_authors(6), container_title="J")
    text = references.format_reference_text(source)
    assert text.startswith(
        "Auteur1 JP, Auteur2 JP, Auteur3 JP, Auteur4 JP, Auteur5 JP, Auteur6 JP. T."
    )
    assert "et al" not in text


def test_seven_authors_become_six_and_et_al():
    source = Source(key="x", title="T", authors=_authors(7), container_title="J")
    text = references.format_reference_text(source)
    assert text.startswith(
        "Auteur1 JP, Auteur2 JP, Auteur3 JP, Auteur4 JP, Auteur5 JP, Auteur6 JP, et al. T."
    )
    assert "Auteur7" not in text


def test_page_ranges_follow_nlm():
    def pages(value):
        source = Source(
            key="x", title="T", container_title="J", year=2020, volume="1", pages=value
        )
        return references.format_reference_text(source)

    assert "2020;1:1084-93." in pages("1084-1093")
    assert "2020;1:123-8." in pages("123--128")
    assert "2020;1:e1234." in pages("e1234")


def test_web_page_and_guideline_forms():
    page = Source(
        key="has",
        kind=SourceKind.WEBPAGE,
        authors=[{"literal": "Haute Autorité de santé"}],
        title="Myosites inflammatoires",
        container_title="has-sante.fr",
        year=2021,
        accessed_on=datetime.date(2024, 1, 5),
        url="https://www.has-sante.fr/myosites",
    )
    assert references.format_reference_text(page) == (
        "Haute Autorité de santé. Myosites inflammatoires [Internet]. has-sante.fr; "
        "2021 [cited 2024 Jan 5]. Available from: https://www.has-sante.fr/myosites"
    )
    guideline = Source(
        key="pnds",
        kind=SourceKind.GUIDELINE,
        authors=[{"literal": "Filière FAI2R"}],
        title="PNDS Dermatomyosite.",
        publisher="Haute Autorité de santé",
        year=2016,
    )
    assert references.format_reference_text(guideline) == (
        "Filière FAI2R. PNDS Dermatomyosite. Haute Autorité de santé; 2016."
    )


# Citing from a body ------------------------------------------------------------


def test_single_citation_is_a_superscript_link_to_its_reference():
    html = render_markdown("Un essai[@a].", known_keys={"a"}).html
    assert '<sup class="cite"><a class="cite-link" href="#ref-1" id="cite-1-1"' in html
    assert ">1</a></sup>." in html


def test_grouped_citation_gives_one_link_per_source():
    rendered = render_markdown("Deux essais[@a; @b].", known_keys={"a", "b"})
    assert rendered.cited_keys == ["a", "b"]
    html = rendered.html
    assert html.count('class="cite-link"') == 2
    assert 'href="#ref-1"' in html
    assert 'href="#ref-2"' in html
    assert '<span class="cite-sep">,</span>' in html


def test_reference_list_is_numbered_in_order_of_first_citation(db):
    make_source("a", title="Alpha")
    make_source("b", title="Beta")
    make_source("c", title="Gamma")
    body = "D'abord[@c]. Ensuite[@a; @c]. Enfin[@b]."
    sources = {s.key: s for s in Source.objects.all()}
    rendered = render_markdown(body, known_keys=sources)
    entries = references.reference_entries(
        [sources[k] for k in rendered.cited_keys], uses=rendered.uses
    )
    html = render_references(entries)
    assert html.index("Gamma") < html.index("Alpha") < html.index("Beta")
    assert '<li id="ref-1">' in html
    assert 'href="#cite-1-2"' in html  # c is cited twice: two backlinks


def test_unknown_key_message_names_the_key():
    message = references.unknown_keys_message(["takada2091"])
    assert "[@takada2091]" in message
    assert "n'existe pas" in message
    several = references.unknown_keys_message(["x1", "x2"])
    assert "[@x1], [@x2]" in several


def test_unknown_citation_keys_ignore_code_and_known_sources(db):
    make_source("connu")
    text = "Voir[@connu] et[@inconnu]. `[@dans_du_code]`"
    assert unknown_citation_keys(text) == ["inconnu"]


def test_identifiers_the_style_does_not_print_are_still_linked():
    source = Source(
        key="x",
        title="Résultats d'un essai",
        container_title="J",
        year=2021,
        doi="10.1000/abc",
        trial_id="ISRCTN12345678",
        url="https://example.org/article",
    )
    html = references.format_reference(source)
    assert 'href="https://www.isrctn.com/ISRCTN12345678"' in html
    assert 'href="https://example.org/article"' in html
    assert html.count('href="https://doi.org/10.1000/abc"') == 1
