"""The published demo pages carry a numbered, linked Vancouver reference list."""

import re

import pytest

PAGES = ["/fr/afm/tacrolimus-dermatomyosite/", "/fr/aim/tacrolimus-dermatomyosite/"]


@pytest.mark.parametrize("url", PAGES)
def test_demo_page_has_a_numbered_reference_list_with_links(client, demo, url):
    html = client.get(url).content.decode()
    references = html[html.index('<ol class="references">') :]
    references = references[: references.index("</ol>")]
    numbers = re.findall(r'<li id="ref-(\d+)">', references)
    assert numbers == ["1", "2", "3"]
    assert 'href="https://doi.org/10.1093/rheumatology/kez394"' in references
    assert 'href="https://doi.org/10.1002/art.41105"' in references
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/31539061/"' in references
    assert 'href="https://clinicaltrials.gov/study/NCT03770663"' in references
    assert "Takada K, Katada Y, Ito S, Hayashi T, Kishi J, Itoh K, et al." in references
    assert "2020;59(5):1084-93." in references


@pytest.mark.parametrize("url", PAGES)
def test_every_citation_and_backlink_lands_on_an_anchor(client, demo, url):
    html = client.get(url).content.decode()
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    cites = re.findall(r'href="#(ref-\d+)"', html)
    backs = re.findall(r'href="#(cite-\d+-\d+)"', html)
    assert cites and backs
    assert set(cites) <= ids
    assert set(backs) <= ids


def test_first_cited_source_is_number_one(client, demo):
    html = client.get(PAGES[0]).content.decode()
    body = html[: html.index('<ol class="references">')]
    first = re.search(r'href="#ref-(\d+)"', body).group(1)
    assert first == "1"
    references = html[html.index('<ol class="references">') :]
    # The patient brief cites the Tsuji study first.
    assert re.search(r'<li id="ref-1">.*?Tsuji H', references, re.S)
