"""Whatever an editor writes, the HTML readers and reviewers get runs nothing
and keeps the page whole (property-based, with hypothesis)."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from briefs.editorial.revisions import markdownify
from briefs.editorial.workflow import WorkflowError
from briefs.models import Source, Variant
from briefs.text.markdown import complexity_problem, render_markdown
from tests.factories import make_published, make_source, make_user, make_variant
from tests.html_checks import active_content

# Pieces an attacker would combine: Markdown syntax, raw HTML, URL tricks.
TOKENS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    "<iframe src=//evil>", "<a href='javascript:alert(1)'>x</a>", "<style>*{}</style>",
    "<!--", "-->", "<![CDATA[", "]]>", "</p>", "</main>", "<main>", "<body>", "<div>",
    "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](java\tscript:alert(1))",
    "[x](&#106;avascript:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "![i](data:image/svg+xml,<svg/onload=alert(1)>)", "![i](javascript:alert(1))",
    "[x](vbscript:msgbox)", "<javascript:alert(1)>", "<http://a.b/\"onmouseover=\"x>",
    '[x](http://a "t" onclick="alert(1)")', '{: onclick="alert(1)"}', "[@key]",
    "[@a; @b]", "[^1]", "[1]: javascript:alert(1)", "[x][1]", "`", "```", "    ",
    "*", "**", "_", "#", "> ", "- ", "1. ", "|", "|---|", "---", "\n", "\n\n",
    "<", ">", "&", '"', "'", "&lt;", "&#60;", "\\", "\x00", "\u202e", "é", "🧬",
    " onerror=", "style=color:red", "href=", "src=",
]  # fmt: skip
bodies = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=40
).map("".join)


class _Balance(HTMLParser):
    """Checks that every opened element is closed, in order."""

    VOID = {"br", "hr", "img", "meta", "link", "input", "wbr", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


def inline_scripts(html: str) -> list[str]:
    """Script elements a strict CSP would block: no src and not a data block."""
    found = []

    class _Scripts(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            data_block = attrs.get("type") in (
                "application/ld+json",
                "application/json",
            )
            if tag == "script" and not attrs.get("src") and not data_block:
                found.append(str(attrs))
            if any(name.startswith("on") or name == "style" for name in attrs):
                found.append(f"<{tag} {sorted(attrs)}>")

    _Scripts().feed(html)
    return found


def balance_problems(html: str) -> list[str]:
    parser = _Balance()
    parser.feed(html)
    parser.close()
    return parser.errors + [f"<{tag}> never closed" for tag in parser.stack]


@settings(max_examples=300, deadline=None)
@given(bodies)
def test_no_body_renders_active_or_broken_html(text):
    html = render_markdown(text).html
    assert active_content(html) == []
    assert balance_problems(html) == []
    assert "<main" not in html and "</main" not in html


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_text_renders(text):
    html = render_markdown(text).html
    assert active_content(html) == []
    assert balance_problems(html) == []


@pytest.mark.parametrize(
    "text",
    [
        "[" * 5000,
        "[" * 1000 + "a" * 98_000,
        "![" * 3000,
        "".join("  " * i + "- x\n" for i in range(600)),
        "> " * 5000 + "x",
        "x" * 200_000,
    ],
    ids=["brackets", "brackets-long", "images", "deep-list", "deep-quote", "huge"],
)
def test_pathological_bodies_render_fast_and_are_refused_by_the_editor(text):
    start = time.perf_counter()
    html = render_markdown(text).html
    assert time.perf_counter() - start < 2
    assert active_content(html) == []
    if text != "> " * 5000 + "x":
        assert complexity_problem(text)


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(bodies)
def test_admin_preview_is_sanitized_like_the_public_page(client, text):
    client.force_login(make_user("reviewer"))
    response = client.post("/admin/markdownx/markdownify/", {"content": text})
    assert response.status_code in (200, 400)
    html = response.content.decode()
    assert active_content(html) == []
    assert balance_problems(html) == []
    if response.status_code == 200:
        assert html == markdownify(text)


@pytest.mark.django_db
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(title=st.sampled_from(TOKENS + ["Titre"]), body=bodies)
def test_published_page_with_any_body_is_whole_and_inert(client, title, body):
    for key in ("key", "a", "b"):
        if not Source.objects.filter(key=key).exists():
            make_source(key)
    # The admin's form fields refuse NUL characters (PostgreSQL cannot store them).
    title, body = title.replace("\x00", ""), body.replace("\x00", "")
    try:
        variant = make_published(title=f"{title} titre", body=f"{body}\n\nFin[@key].")
    except WorkflowError:
        reject()  # refused at submission with a message: not a page to check
    response = client.get(variant.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    # After the article: the readers' feedback forms of our own template.
    main, marker, ours = main.partition('<section class="reader-feedback"')
    assert marker and "</article>" in main
    assert active_content(main) == []
    assert re.findall(r'<form [^>]*action="([^"]*)"', ours) == ["/fr/feedback/"] * 2
    assert sorted(active_content(ours)) == ["<form>", "<form>", "<link>"]
    assert inline_scripts(html) == []
    assert balance_problems(html) == []
    assert html.count("<main") == 1 and html.count("</main>") == 1
    assert html.index("</main>") < html.index('<footer class="site-footer">')


def test_preview_refuses_a_text_too_convoluted_to_render(client, db):
    client.force_login(make_user("editor"))
    response = client.post("/admin/markdownx/markdownify/", {"content": "[" * 5000})
    assert response.status_code == 400
    assert "crochets" in response.content.decode()


def test_saving_a_text_too_convoluted_is_refused_with_a_message(client, db):
    variant = make_variant()
    client.force_login(variant.author)
    response = client.post(
        f"/admin/briefs/variant/{variant.pk}/change/",
        {
            "brief": variant.brief_id,
            "audience": variant.audience_id,
            "title_fr": variant.title_fr,
            "body_fr": "[" * 5000,
            "loaded_edit_count": variant.edit_count,
        },
    )
    assert response.status_code == 200
    assert "crochets" in response.content.decode()
    assert Variant.objects.get(pk=variant.pk).body_fr == variant.body_fr
