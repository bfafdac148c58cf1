"""RSS 2.0 and Atom feeds of each audience."""

import xml.etree.ElementTree as ET

from briefs.editorial import workflow
from tests import budgets
from tests.factories import make_published, make_user, make_variant

ATOM = "{http://www.w3.org/2005/Atom}"
SLUG = "tacrolimus-dermatomyosite"


def parse(content: bytes) -> ET.Element:
    """Parse a feed the site produced (trusted input)."""
    return ET.fromstring(content)  # noqa: S314


def test_rss_is_valid_rss_2(client, demo):
    response = client.get("/fr/afm/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = parse(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for required in ("title", "link", "description"):
        assert channel.find(required).text
    assert channel.find("language").text == "fr"
    items = channel.findall("item")
    assert len(items) == 1
    item = items[0]
    assert item.find("title").text.startswith("Dermatomyosite : le tacrolimus")
    assert item.find("link").text == f"http://testserver/fr/afm/{SLUG}/"
    assert item.find("pubDate").text
    assert item.find("guid").text
    assert {c.text for c in item.findall("category")} >= {"dermatomyosite"}


def test_atom_is_valid_atom(client, demo):
    response = client.get("/en/aim/atom/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = parse(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith("/en/aim/atom/")
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for required in ("id", "title", "updated"):
        assert entry.find(f"{ATOM}{required}").text
    assert entry.find(f"{ATOM}title").text.startswith("Tacrolimus improves survival")
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/en/aim/{SLUG}/"
    assert entry.find(f"{ATOM}summary").text  # no standfirst: start of the text


def test_feed_lists_only_published_variants_of_its_audience(client, db):
    make_published(audience="afm", title="Publiée patients")
    make_published(audience="aim", title="Publiée pros")
    make_variant(audience="afm", title="Brouillon patients")
    gone = make_published(audience="afm", title="Retirée patients")
    workflow.unpublish(variant=gone, user=make_user("chief"))
    titles = [
        item.find("title").text
        for item in parse(client.get("/fr/afm/feed/").content).iter("item")
    ]
    assert titles == ["Publiée patients"]


def test_english_feed_has_only_translated_briefs(client, db):
    make_published(title="Seulement en français")
    root = parse(client.get("/en/afm/feed/").content)
    assert root.find("channel").findall("item") == []


def test_unknown_audience_feed_is_404(client, db):
    assert client.get("/fr/xyz/feed/").status_code == 404


def test_feeds_stay_within_four_queries_whatever_their_length(
    client, db, django_assert_max_num_queries
):
    for _ in range(15):
        make_published()
    for url in ("/fr/afm/feed/", "/fr/afm/atom/"):
        with django_assert_max_num_queries(budgets.LISTING):
            response = client.get(url)
        assert (
            response.content.count(b"<item>") + response.content.count(b"<entry>") == 15
        )
