"""What search engines and sharing cards read: metadata, JSON-LD, sitemap, robots."""

import json
import re
import xml.etree.ElementTree as ET

from briefs.editorial import workflow
from briefs.models import Variant
from briefs.public.seo import json_ld
from tests import budgets
from tests.factories import make_published, make_user, make_variant

AFM = "/fr/afm/tacrolimus-dermatomyosite/"
AIM = "/fr/aim/tacrolimus-dermatomyosite/"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}
LD_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld_of(page: str) -> dict:
    blocks = LD_RE.findall(page)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_detail_has_canonical_hreflang_and_sharing_cards(client, demo):
    page = client.get(AFM).content.decode()
    assert f'<link rel="canonical" href="http://testserver{AFM}">' in page
    assert f'hreflang="fr" href="http://testserver{AFM}"' in page
    assert (
        'hreflang="en" href="http://testserver/en/afm/tacrolimus-dermatomyosite/"'
        in page
    )
    assert '<meta property="og:type" content="article">' in page
    assert '<meta property="og:title" content="Dermatomyosite : le tacrolimus' in page
    assert '<meta property="og:locale" content="fr_FR">' in page
    assert '<meta property="og:locale:alternate" content="en_GB">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert '<meta name="description" content="Deux études plaident' in page


def test_json_ld_names_the_audience_sources_and_review(client, demo):
    afm = json_ld_of(client.get(AFM).content.decode())
    aim = json_ld_of(client.get(AIM).content.decode())
    assert afm["@type"] == aim["@type"] == "MedicalWebPage"
    assert afm["audience"]["@type"] == "Patient"
    assert aim["audience"]["@type"] == "MedicalAudience"
    assert afm["reviewedBy"]["name"] == "Dr Paul Lefèvre"
    assert afm["lastReviewed"] and afm["dateModified"] and afm["datePublished"]
    assert afm["inLanguage"] == "fr"
    dois = [c.get("url") for c in afm["citation"]]
    assert "https://doi.org/10.1002/art.41105" in dois
    assert len(afm["citation"]) == 3


def test_json_ld_cannot_close_its_script_element():
    block = str(json_ld({"name": "</script><script>alert(1)</script> & <!--"}))
    inner = LD_RE.findall(block)[0]
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner)["name"] == "</script><script>alert(1)</script> & <!--"


def test_french_only_brief_has_no_english_alternate(client, db):
    variant = make_published()
    page = client.get(f"/fr/afm/{variant.brief.slug}/").content.decode()
    assert 'hreflang="en"' not in page
    assert "og:locale:alternate" not in page


def test_listing_canonical_keeps_the_page_number(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 1
    make_published()
    make_published()
    page = client.get("/fr/afm/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/fr/afm/?page=2">' in page


def test_search_results_are_not_indexed(client, demo):
    page = client.get("/fr/search/?q=tacrolimus").content.decode()
    assert '<meta name="robots" content="noindex, follow">' in page


def _xml(client, url: str):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200, url
    return ET.fromstring(response.content)  # noqa: S314 (the site's own output)


def sitemap_pages(client) -> list[str]:
    """The pages the sitemap index lists, as a crawler reads them."""
    index = _xml(client, "/sitemap.xml")
    return [loc.text for loc in index.findall("s:sitemap/s:loc", SITEMAP_NS)]


def sitemap_urls(client) -> dict[str, set[str]]:
    urls = {}
    for page in sitemap_pages(client):
        for url in _xml(client, page).findall("s:url", SITEMAP_NS):
            urls[url.find("s:loc", SITEMAP_NS).text] = {
                link.get("hreflang")
                for link in url.findall("x:link", SITEMAP_NS)
                if link.get("rel") == "alternate"
            }
    return urls


def test_sitemap_lists_exactly_the_published_pages(client, demo):
    make_variant(title="Brouillon")  # a draft: never listed
    withdrawn = make_published()
    workflow.unpublish(variant=withdrawn, user=make_user("chief"))
    french_only = make_published()
    urls = sitemap_urls(client)
    briefs = {u for u in urls if u.count("/") == 6}
    expected = {
        f"http://testserver/{lang}/{aud}/tacrolimus-dermatomyosite/"
        for lang in ("fr", "en")
        for aud in ("afm", "aim")
    } | {f"http://testserver/fr/afm/{french_only.brief.slug}/"}
    assert briefs == expected
    assert urls[f"http://testserver{AFM}"] == {"fr", "en"}
    assert urls[f"http://testserver/fr/afm/{french_only.brief.slug}/"] == {"fr"}
    assert "http://testserver/fr/" in urls and "http://testserver/en/aim/" in urls
    assert Variant.objects.published().count() == 3


def test_sitemap_cost_does_not_grow_with_length(
    client, db, settings, django_assert_max_num_queries
):
    """An index of pages; each page one narrow query, whatever the archive."""
    settings.NEWSROOM_SITEMAP_PAGE_SIZE = 4
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 0
    for _ in range(10):
        make_published()
    pages = sitemap_pages(client)
    assert [p.rsplit("/", 1)[-1] for p in pages] == [
        "sitemap-sections.xml",
        "sitemap-briefs.xml",
        "sitemap-briefs.xml?p=2",
        "sitemap-briefs.xml?p=3",
    ]
    for url in ("/sitemap.xml", *pages):
        with django_assert_max_num_queries(budgets.LISTING):
            assert client.get(url.removeprefix("http://testserver")).status_code == 200
    assert len(sitemap_urls(client)) == 10 + 2 + 2 * 2  # briefs, homes, listings
    assert client.get("/sitemap-briefs.xml?p=4").status_code == 404


def test_robots_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
