"""Markdown rendering: sanitized HTML and numbered citations."""

import pytest

from briefs.text.markdown import render_markdown, sanitize
from tests.html_checks import active_content


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        "Texte <img src=x onerror=alert(1)> fin",
        "[clic](javascript:alert(1))",
        "[clic](JaVaScRiPt:alert(1))",
        "![img](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">x</a>',
        "<iframe src='https://evil.example'></iframe>",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<svg onload=alert(1)>",
    ],
)
def test_hostile_markdown_never_produces_active_content(body):
    html = render_markdown(body).html
    assert active_content(html) == []


def test_the_checker_itself_sees_active_content():
    assert active_content('<a href="javascript:x" onclick="y">z</a><script></script>')


def test_raw_html_is_shown_as_text_not_dropped():
    html = render_markdown("Un <b>gras</b> écrit en HTML").html
    assert "&lt;b&gt;gras&lt;/b&gt;" in html


def test_sanitize_keeps_plain_markup():
    html = sanitize('<p>Un <a href="https://doi.org/10.1/x">lien</a></p>')
    assert 'href="https://doi.org/10.1/x"' in html
    assert 'rel="noopener noreferrer"' in html


def test_citations_are_numbered_by_first_appearance():
    rendered = render_markdown(
        "Premier[@b]. Puis deux[@a; @b]. Encore[@c].", known_keys={"a", "b", "c"}
    )
    assert rendered.cited_keys == ["b", "a", "c"]
    assert rendered.uses == {"b": 2, "a": 1, "c": 1}
    html = rendered.html
    assert html.index('href="#ref-1"') < html.index('href="#ref-2"')
    assert 'id="cite-1-2"' in html  # second use of b gets its own anchor


def test_unknown_keys_are_reported():
    rendered = render_markdown("Voir[@inconnu].", known_keys={"a"})
    assert rendered.unknown_keys == ["inconnu"]
    assert "[?inconnu]" in rendered.html


def test_citations_in_code_are_left_alone():
    rendered = render_markdown("`[@a]` est la syntaxe.", known_keys={"a"})
    assert rendered.cited_keys == []


def test_headings_are_demoted_below_the_page_title():
    html = render_markdown("# Titre\n\ntexte").html
    assert "<h1" not in html and "<h2>Titre</h2>" in html


def test_french_spacing_before_high_punctuation():
    html = render_markdown("Les résultats : bons ; vraiment !").html
    assert "résultats\u202f:" in html and "bons\u202f;" in html
