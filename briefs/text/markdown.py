"""Markdown to sanitized HTML, with ``[@key]`` citations resolved and numbered.

This is the only place Markdown becomes HTML: revisions call it when they are
made, and django-markdownx's preview goes through it too
(briefs.editorial.revisions.markdownify), so what an editor previews is what
readers get. Pure functions of text: no database access.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor

KEY = r"[A-Za-z0-9][A-Za-z0-9_:.\-]*"
CITATION_RE = re.compile(rf"\[@({KEY}(?:\s*[;,]\s*@{KEY})*)\]")
_KEY_SPLIT_RE = re.compile(r"\s*[;,]\s*@?")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "blockquote",
    "ul", "ol", "li", "a", "sup", "sub", "code", "pre", "table", "thead",
    "tbody", "tr", "th", "td", "img", "abbr", "dfn", "span", "div",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id", "class"},
    "sup": {"class", "id"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    # A table's scroll region (_Tables): its name is free text, escaped.
    "div": {"aria-label"},
    # Glossary definitions (briefs.text.glossary): the term and its explanation.
    "dfn": {"class", "id"},
    "span": {"class", "id"},
    "li": {"id"},
    "ol": {"class"},
}
# Attributes allowed with these values only: what _Tables writes, nothing else
# (no other role, no tab stop out of order, no class of the site's own).
ALLOWED_ATTRIBUTE_VALUES = {
    "div": {"class": {"table-scroll"}, "role": {"region"}, "tabindex": {"0"}},
    "th": {"scope": {"col", "row"}},
}
URL_SCHEMES = {"http", "https", "mailto"}

# French typography: a narrow no-break space before « ; : ! ? » and after «.
_FR_BEFORE_RE = re.compile(r"[ \u00a0]+([;:!?»])")
_FR_AFTER_RE = re.compile(r"(«)[ \u00a0]+")


@dataclass
class Rendered:
    """The HTML of a body and what it cites, in order of first appearance."""

    html: str
    cited_keys: list[str] = field(default_factory=list)
    unknown_keys: list[str] = field(default_factory=list)
    uses: dict[str, int] = field(default_factory=dict)


class _CitationInline(InlineProcessor):
    """Turns ``[@a; @b]`` into a placeholder numbered later, in document order."""

    def handleMatch(self, m, data):  # noqa: N802 (Markdown's API)
        el = etree.Element("sup")
        el.set("class", "cite")
        el.set("data-keys", " ".join(k for k in _KEY_SPLIT_RE.split(m.group(1)) if k))
        return el, m.start(0), m.end(0)


class _NumberCitations(Treeprocessor):
    """Numbers citations by first appearance and links them to the references."""

    def __init__(self, md, known: Container[str] | None):
        super().__init__(md)
        self.known = known

    def run(self, root):
        numbers: dict[str, int] = {}
        uses: dict[str, int] = {}
        unknown: list[str] = []
        for sup in root.iter("sup"):
            keys = sup.attrib.pop("data-keys", None)
            if keys is None:
                continue
            parts = []
            for key in keys.split():
                if self.known is not None and key not in self.known:
                    if key not in unknown:
                        unknown.append(key)
                    parts.append(("?", None, key))
                    continue
                number = numbers.setdefault(key, len(numbers) + 1)
                uses[key] = uses.get(key, 0) + 1
                parts.append((str(number), f"cite-{number}-{uses[key]}", key))
            for i, (label, anchor, key) in enumerate(parts):
                if i:
                    sep = etree.SubElement(sup, "span")
                    sep.set("class", "cite-sep")
                    sep.text = ","
                if anchor is None:
                    span = etree.SubElement(sup, "span")
                    span.set("class", "cite-unknown")
                    span.text = f"[?{key}]"
                    continue
                a = etree.SubElement(sup, "a")
                a.set("href", f"#ref-{label}")
                a.set("id", anchor)
                a.set("class", "cite-link")
                a.text = label
        self.md.cited_keys = list(numbers)
        self.md.unknown_keys = unknown
        self.md.citation_uses = uses


class _Typography(Treeprocessor):
    """Demotes stray headings and applies French spacing outside code."""

    HEADINGS = {"h1": "h2", "h5": "h4", "h6": "h4"}

    def run(self, root):
        for el in root.iter():
            if el.tag in self.HEADINGS:
                el.tag = self.HEADINGS[el.tag]
            if el.tag not in ("code", "pre") and el.text:
                el.text = _french_spacing(el.text)
            if el.tail:
                el.tail = _french_spacing(el.tail)


class _Tables(Treeprocessor):
    """Puts each table in a named, focusable scroll region and gives its
    header cells a scope: the page never widens, and a keyboard scrolls it.

    The first cell of each body row heads its row (a trial, a treatment):
    a screen reader names it with every other cell of the row.
    """

    LABEL_MAX = 120

    def run(self, root):
        count = 0
        for parent in list(root.iter()):
            previous = None
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    count += 1
                    parent[index] = self._region(child, count, previous)
                previous = child

    def _region(self, table, number: int, previous) -> etree.Element:
        for th in table.iter("th"):
            th.set("scope", "col")
        for body in table.iter("tbody"):
            for row in body.iter("tr"):
                if len(row) and row[0].tag == "td":
                    row[0].tag = "th"
                    row[0].set("scope", "row")
        region = etree.Element("div")
        region.set("class", "table-scroll")
        region.set("role", "region")
        region.set("aria-label", self._label(number, previous))
        region.set("tabindex", "0")
        region.tail, table.tail = table.tail, None
        region.append(table)
        return region

    def _label(self, number: int, previous) -> str:
        # A heading just above, or a sentence announcing it ("… :"), names it.
        if previous is not None and previous.tag in ("h2", "h3", "h4", "p"):
            text = " ".join("".join(previous.itertext()).split())
            if text and (previous.tag != "p" or text.endswith(":")):
                text = text.rstrip(" :\u202f\u00a0")
                if len(text) > self.LABEL_MAX:
                    text = text[: self.LABEL_MAX].rsplit(" ", 1)[0] + "…"
                return _("Tableau %(number)d : %(title)s") % {
                    "number": number,
                    "title": text,
                }
        return _("Tableau %(number)d") % {"number": number}


def _french_spacing(text: str) -> str:
    text = _FR_BEFORE_RE.sub("\u202f\\1", text)
    return _FR_AFTER_RE.sub("\\1\u202f", text)


def _markdown(known: Container[str] | None) -> markdown.Markdown:
    md = markdown.Markdown(extensions=["sane_lists", "tables"], output_format="html")
    # Editors write Markdown, not HTML: raw HTML is shown as text, never run.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.inlinePatterns.register(
        _CitationInline(CITATION_RE.pattern, md), "citation", 175
    )
    md.treeprocessors.register(_NumberCitations(md, known), "citations", 5)
    md.treeprocessors.register(_Typography(md), "typography", 4)
    md.treeprocessors.register(_Tables(md), "tables", 3)
    return md


def _filter_url(tag: str, attribute: str, value: str) -> str | None:
    # A URL whose scheme hides behind spaces or control characters
    # ("java\tscript:") is dropped, whatever a browser would make of it.
    if attribute in ("href", "src"):
        compact = _URL_NOISE_RE.sub("", value).lower()
        scheme, colon, _rest = compact.partition(":")
        if colon and not set("/?#") & set(scheme) and scheme not in URL_SCHEMES:
            return None
    return value


_URL_NOISE_RE = re.compile(r"[\x00-\x20\x7f]+")


def sanitize(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=ALLOWED_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_url,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Python-Markdown is quadratic on unmatched brackets and recursive on nesting:
# past these limits a text is refused by the forms and the preview, and
# rendered as plain escaped text if it reaches rendering by another door.
MAX_MARKDOWN_CHARS = 100_000
MAX_BRACKETS = 1_000
MAX_LINE_PREFIX = 100
# Each "[" may scan the rest of its paragraph: brackets x length, bounded.
MAX_BRACKET_WORK = 2_000_000
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")
_PREFIX_RE = re.compile(r"^[ \t>*+\-]*", re.MULTILINE)


def complexity_problem(text: str) -> str | None:
    """Why ``text`` is too long or too convoluted to render, or ``None``."""
    text = text or ""
    if len(text) > MAX_MARKDOWN_CHARS:
        return _("Texte trop long (%(size)d caractères ; maximum %(max)d).") % {
            "size": len(text),
            "max": MAX_MARKDOWN_CHARS,
        }
    if text.count("[") > MAX_BRACKETS or any(
        block.count("[") * len(block) > MAX_BRACKET_WORK
        for block in _BLOCK_SPLIT_RE.split(text)
    ):
        return _(
            "Trop de crochets « [ » non refermés ou de liens dans un même paragraphe."
        )
    if any(len(m.group(0)) > MAX_LINE_PREFIX for m in _PREFIX_RE.finditer(text)):
        return _("Listes ou citations imbriquées trop profondément.")
    return None


def render_markdown(text: str, *, known_keys: Container[str] | None = None) -> Rendered:
    """Render Markdown to sanitized HTML and number its citations.

    ``known_keys`` lists the citation keys that exist; any other key is
    reported in ``unknown_keys`` and shown as ``[?key]``. ``None`` accepts all.
    """
    if complexity_problem(text):
        return Rendered(html=_as_plain_text(text))
    md = _markdown(known_keys)
    try:
        html = md.convert(text or "")
    except RecursionError:
        return Rendered(html=_as_plain_text(text))
    return Rendered(
        html=sanitize(html),
        cited_keys=list(getattr(md, "cited_keys", [])),
        unknown_keys=list(getattr(md, "unknown_keys", [])),
        uses=dict(getattr(md, "citation_uses", {})),
    )


def _as_plain_text(text: str) -> str:
    return str(format_html("<pre>{}</pre>", text[:MAX_MARKDOWN_CHARS]))


def render_references(entries: list[Mapping]) -> str:
    """Render the numbered reference list of snapshot ``entries``.

    Each entry holds ``number``, ``html`` (the formatted reference, already
    safe) and ``uses`` (how many times the text cites it).
    """
    if not entries:
        return ""
    items = []
    for entry in entries:
        number = entry["number"]
        backlinks = format_html_join(
            " ",
            '<a href="#cite-{}-{}" class="backref" aria-label="{}">↩</a>',
            (
                (number, use, _("Retour au texte"))
                for use in range(1, entry.get("uses", 1) + 1)
            ),
        )
        items.append(
            format_html(
                '<li id="ref-{}">{} {}</li>', number, _safe(entry["html"]), backlinks
            )
        )
    return format_html(
        '<ol class="references">{}</ol>', _safe("".join(str(i) for i in items))
    )


def _safe(html: str) -> SafeString:
    # Entries are produced by references.format_reference, which escapes fields.
    return mark_safe(html)  # noqa: S308


def citation_keys(text: str) -> list[str]:
    """Every key written in ``text``'s citations, code included (for look-ups)."""
    keys = []
    for m in CITATION_RE.finditer(text or ""):
        keys.extend(k for k in _KEY_SPLIT_RE.split(m.group(1)) if k)
    return keys
