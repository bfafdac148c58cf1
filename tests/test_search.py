"""Full-text search: accent-insensitive, ranked, live revisions only."""

import pytest

from briefs.editorial import workflow
from briefs.models import Audience
from briefs.public import search
from briefs.public.search.excerpts import fold, marked_excerpt
from briefs.text.plain import START, STOP
from tests import budgets
from tests.factories import make_published, make_source, make_user, make_variant

SLUG = "tacrolimus-dermatomyosite"


def slugs(results) -> list[str]:
    return [hit.url.removeprefix("/fr/").strip("/") for hit in results]


@pytest.mark.parametrize(
    "query",
    [
        "pneumopathie",
        "Pneumopathie",
        "interstitielle",
        "pneumopathie interstitielle",
        "corticoides",
        "CORTICOÏDES",
        "tacrolimus",
    ],
)
def test_demo_is_found_whatever_the_case_and_accents(demo, query):
    found = slugs(search.search(query, lang="fr")[:10])
    assert f"afm/{SLUG}" in found or f"aim/{SLUG}" in found


def test_accent_stripped_query_finds_the_accented_word(demo):
    results = search.search("corticoides", lang="fr")
    hits = results[:10]
    assert {h.audience.code for h in hits} == {"afm", "aim"}
    assert any("<mark>corticoïdes</mark>" in h.excerpt.lower() for h in hits)


def test_search_page_finds_the_demo_from_a_lower_case_unaccented_query(client, demo):
    page = client.get("/fr/search/", {"q": "pneumopathie interstitielle"})
    text = page.content.decode()
    assert page.status_code == 200
    assert f'href="/fr/afm/{SLUG}/"' in text
    assert f'href="/fr/aim/{SLUG}/"' in text
    assert "<mark>" in text


def test_audience_filter(client, demo):
    text = client.get("/fr/search/", {"q": "tacrolimus", "aud": "aim"}).content.decode()
    assert f'href="/fr/aim/{SLUG}/"' in text
    assert f'href="/fr/afm/{SLUG}/"' not in text


def test_english_search_reads_the_english_text(client, demo):
    text = client.get("/en/search/", {"q": "corticosteroids"}).content.decode()
    assert f'href="/en/afm/{SLUG}/"' in text
    assert not search.search("corticosteroids", lang="fr").count()


def test_drafts_are_never_found(db):
    make_source("x")
    make_variant(title="Zygomatique", body="Un texte sur la myxœdémateuse[@x].\n")
    assert search.search("zygomatique", lang="fr").count() == 0
    assert search.search("myxoedemateuse", lang="fr").count() == 0


def test_a_new_draft_of_a_published_brief_is_not_found_but_the_live_text_is(db):
    variant = make_published(title="Titre en ligne sur la sclérodermie")
    variant.title_fr = "Titre réécrit sur la polyarthrite"
    workflow.save_content(
        variant=variant, user=variant.author, expected_edit_count=variant.edit_count
    )
    assert search.search("sclerodermie", lang="fr").count() == 1
    assert search.search("polyarthrite", lang="fr").count() == 0


def test_withdrawn_brief_leaves_the_results(db):
    variant = make_published(title="Brève sur la sarcoïdose")
    assert search.search("sarcoidose", lang="fr").count() == 1
    workflow.unpublish(variant=variant, user=make_user("chief"))
    assert search.search("sarcoidose", lang="fr").count() == 0


def test_title_matches_rank_first(db):
    make_source("s1")
    in_body = make_published(
        title="Autre sujet", body="On y parle aussi de myopathie ici[@s1].\n"
    )
    in_title = make_published(title="La myopathie expliquée")
    hits = search.search("myopathie", lang="fr")[:10]
    assert [h.variant_id for h in hits] == [in_title.pk, in_body.pk]


def test_equally_relevant_briefs_come_newest_first(db):
    older = make_published(title="Myosite et tacrolimus")
    newer = make_published(title="Myosite et tacrolimus")
    hits = search.search("tacrolimus", lang="fr")[:10]
    assert [h.variant_id for h in hits] == [newer.pk, older.pk]
    search.rebuild()  # rebuilt in publication order: the same answer
    hits = search.search("tacrolimus", lang="fr")[:10]
    assert [h.variant_id for h in hits] == [newer.pk, older.pk]


def test_only_the_text_is_searched(db):
    # The language, audience and variant are indexed to filter on: a query
    # matches the title, standfirst and body only.
    variant = make_published(title="Myosite")
    assert search.search("myosite", lang="fr").count() == 1
    for word in ("fr", str(variant.audience_id), str(variant.pk)):
        assert search.search(word, lang="fr").count() == 0, word


def test_results_are_paginated(client, db, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    for n in range(5):
        make_published(title=f"Myosite numéro {n}")
    first = client.get("/fr/search/", {"q": "myosite"}).content.decode()
    assert first.count('class="search-hit"') == 2
    assert "5 résultats" in first
    assert "page=2" in first and "q=myosite" in first
    last = client.get("/fr/search/", {"q": "myosite", "page": 3}).content.decode()
    assert last.count('class="search-hit"') == 1


@pytest.mark.parametrize(
    "query",
    ['"', "*", "AND", "NEAR(", "a OR", "-", "'; DROP TABLE x; --", "x" * 5000, "\x00"],
)
def test_odd_queries_never_fail(client, demo, query):
    response = client.get("/fr/search/", {"q": query, "aud": "nope", "page": "x"})
    assert response.status_code == 200


def test_excerpts_are_escaped(db):
    make_source("s2")
    make_published(
        title="Brève piégée", body="Du texte <b>gras</b> &amp; myosite <x>[@s2].\n"
    )
    hit = search.search("myosite", lang="fr")[:1][0]
    assert "<b>" not in hit.excerpt and "<x>" not in hit.excerpt
    assert "<mark>myosite</mark>" in hit.excerpt


def test_empty_query_shows_the_form_only(client, db):
    response = client.get("/fr/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
    assert "résultat" not in response.content.decode()


def test_search_page_stays_within_four_queries(
    client, db, django_assert_max_num_queries
):
    for _ in range(12):
        make_published(title="Dystrophie musculaire")
    with django_assert_max_num_queries(budgets.LISTING):
        response = client.get("/fr/search/", {"q": "dystrophie"})
    assert response.content.decode().count('class="search-hit"') == 12


def test_rebuild_indexes_every_published_variant(demo):
    assert search.rebuild() == 2
    assert search.search("tacrolimus", lang="fr").count() == 2
    assert Audience.objects.count() == 2


def test_rebuild_command_restores_a_lost_index(demo):
    from django.core.management import call_command

    search.clear()
    assert search.search("tacrolimus", lang="fr").count() == 0
    call_command("rebuild_search_index")
    assert search.search("tacrolimus", lang="fr").count() == 2


def test_glossary_definitions_are_not_searched(client, demo):
    # "tissu" appears only in the definition of "pneumopathie interstitielle",
    # which patient pages add next to the term, not in any brief's own text.
    from briefs.models import GlossaryTerm

    definition = GlossaryTerm.objects.get(
        slug="pneumopathie-interstitielle"
    ).definition_fr
    assert "tissu" in definition
    page = client.get("/fr/search/?q=tissu").content.decode()
    assert "tacrolimus-dermatomyosite" not in page


@pytest.mark.parametrize(
    ("texts", "query", "size", "expected"),
    [
        (
            ["Les corticoïdes et le TACROLIMUS."],
            "corticoides tacro",
            30,
            "Les [corticoïdes] et le [TACROLIMUS].",
        ),
        (
            ["un deux trois quatre cinq six sept huit neuf dix onze douze"],
            "onze",
            4,
            "… dix [onze] douze",
        ),
        (
            ["un deux trois quatre cinq six sept huit neuf dix onze douze"],
            "deux",
            3,
            "un [deux] trois …",
        ),
        (
            ["Corps sans le mot", "", "Le mot myosite au titre"],
            "myosite",
            30,
            "Le mot [myosite] au titre",
        ),
        (["Corps sans le mot.", "", "Titre"], "absent", 30, "Corps sans le mot."),
    ],
)
def test_excerpts_show_the_words_found(texts, query, size, expected):
    words = [fold(w) for w in query.split()]
    marked = marked_excerpt(texts, words, size=size)
    assert marked.replace(START, "[").replace(STOP, "]") == expected


def test_a_word_in_many_briefs_shows_the_best_of_the_most_recent(db, client, settings):
    """Past the window the count stops and the page says to add a word."""
    settings.NEWSROOM_SEARCH_WINDOW = 5
    source = make_source("takada2019")
    for n in range(7):
        make_published(
            title=f"Brève {n} sur le tacrolimus",
            body=f"Le tacrolimus, encore[@{source.key}].",
        )
    results = search.search("tacrolimus", lang="fr")
    assert results.count() == 5 and results.capped
    assert len(results[0:20]) == 5
    page = client.get("/fr/search/?q=tacrolimus").content.decode()
    assert "Plus de 5 résultats" in page
    assert "Ajoutez un mot" in page
    assert page.count('class="search-hit"') == 5


def test_excerpts_keep_punctuation_against_glossary_terms(client, demo):
    # The patients' page marks "immunosuppresseur" and "tacrolimus" as
    # glossary terms: their commas stay against them in the excerpt.
    page = client.get("/fr/search/", {"q": "immunosuppresseur", "aud": "afm"})
    text = page.content.decode()
    assert "<mark>immunosuppresseur</mark>, le tacrolimus, au" in text
    assert " ," not in text
