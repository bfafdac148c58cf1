"""Glossary terms found in a text, and their definitions marked up in HTML.

Pure functions of text and plain data (the terms are given, never read
here). Marking happens once, when a patient revision is made: the first use of
each term becomes ``<dfn>`` followed by its definition in a ``<span>``.
Without script the definition reads inline, in brackets; the public page's
script turns each term into a button that shows or hides it (tap, click,
keyboard), so nothing depends on hovering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

# Never mark inside these: links, headings, citations, code, existing terms.
FORBIDDEN_ANCESTORS = frozenset(
    {"a", "h1", "h2", "h3", "h4", "h5", "h6", "sup", "code", "pre", "dfn", "abbr", "button", "th"}
)  # fmt: skip
VOID_TAGS = frozenset({"br", "hr", "img", "wbr"})
_BEFORE = r"(?<![\w\-])"
_AFTER = r"(?![\w\-])"


@dataclass(frozen=True)
class Entry:
    """A glossary term in one language: its written forms and definition."""

    slug: str
    term: str
    definition: str
    forms: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    """Where a text uses a glossary term."""

    start: int
    end: int
    text: str
    entry: Entry


def entries(lang: str, terms) -> list[Entry]:
    """The glossary in ``lang`` from ``terms`` (objects with translated
    ``term_<lang>``, ``definition_<lang>``, ``variants_of_term_<lang>`` and a
    ``slug``); terms without a definition in ``lang`` are left out."""
    found = []
    for term in terms:
        name = (getattr(term, f"term_{lang}", "") or "").strip()
        definition = (getattr(term, f"definition_{lang}", "") or "").strip()
        if not (name and definition):
            continue
        others = getattr(term, f"variants_of_term_{lang}", "") or ""
        forms = [name] + [f.strip() for f in others.split(",") if f.strip()]
        found.append(Entry(term.slug, name, definition, tuple(dict.fromkeys(forms))))
    return found


def _form_pattern(form: str) -> str:
    parts = [re.escape(p) for p in re.split(r"\s+", form.strip())]
    pattern = r"[\s\u00a0\u202f]+".join(parts)
    pattern = pattern.replace("’", "['’]").replace("'", "['’]")
    # French plurals: "myosite" also finds "myosites".
    if form[-1:].isalpha() and form[-1:].lower() not in "sxz":
        pattern += "s?"
    return pattern


def compile_entries(glossary: list[Entry]) -> re.Pattern | None:
    """One pattern for the whole glossary: longest forms first, whole words only."""
    alternatives = []
    for i, entry in enumerate(glossary):
        forms = sorted(entry.forms, key=len, reverse=True)
        alternatives.append(f"(?P<g{i}>{'|'.join(_form_pattern(f) for f in forms)})")
    if not alternatives:
        return None
    # Longer terms must win where two start at the same place ("hors AMM").
    order = sorted(
        range(len(alternatives)),
        key=lambda i: -max(len(f) for f in glossary[i].forms),
    )
    body = "|".join(alternatives[i] for i in order)
    return re.compile(f"{_BEFORE}(?:{body}){_AFTER}", re.IGNORECASE)


def find_terms(text: str, glossary: list[Entry]) -> list[Match]:
    """Every use of a glossary term in plain ``text``, in order."""
    pattern = compile_entries(glossary)
    if pattern is None:
        return []
    return [
        Match(m.start(), m.end(), m.group(), glossary[int(m.lastgroup[1:])])
        for m in pattern.finditer(text)
    ]


def terms_used(text: str, glossary: list[Entry]) -> list[Entry]:
    """The glossary entries ``text`` uses, each once, in order of first use."""
    seen: dict[str, Entry] = {}
    for match in find_terms(text, glossary):
        seen.setdefault(match.entry.slug, match.entry)
    return list(seen.values())


def definition_html(matched: str, entry: Entry) -> str:
    """The markup of a term's first use: the term, then its definition."""
    return (
        f'<dfn class="gloss" id="glossaire-{entry.slug}">{escape(matched, quote=False)}</dfn>'
        f'<span class="gloss-def" id="glossaire-def-{entry.slug}"> ({escape(entry.definition, quote=False)})</span>'
    )


class _Marker(HTMLParser):
    """Re-emits HTML, marking the first use of each term in allowed text."""

    def __init__(self, pattern: re.Pattern, glossary: list[Entry]):
        super().__init__(convert_charrefs=True)
        self.pattern = pattern
        self.glossary = glossary
        self.out: list[str] = []
        self.stack: list[str] = []
        self.done: set[str] = set()
        self.previous = ""

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        if tag in {"p", "li", "td", "blockquote", "h2", "h3", "h4"}:
            self.previous = ""

    def handle_data(self, data):
        if any(tag in FORBIDDEN_ANCESTORS for tag in self.stack):
            self.out.append(escape(data, quote=False))
        else:
            self.out.append(self._mark(data))
        if data:
            self.previous = data[-1]

    def _mark(self, data: str) -> str:
        pieces, position = [], 0
        for m in self.pattern.finditer(data):
            entry = self.glossary[int(m.lastgroup[1:])]
            glued = m.start() == 0 and (self.previous.isalnum() or self.previous == "-")
            if entry.slug in self.done or glued:
                continue
            self.done.add(entry.slug)
            pieces.append(escape(data[position : m.start()], quote=False))
            pieces.append(definition_html(m.group(), entry))
            position = m.end()
        pieces.append(escape(data[position:], quote=False))
        return "".join(pieces)


def mark_first_uses(html: str, glossary: list[Entry]) -> str:
    """Mark up the first use of each glossary term in sanitized ``html``.

    Text inside links, headings, citations and code is left alone, and a
    term is only found as a whole word.
    """
    pattern = compile_entries(glossary)
    if pattern is None or not html:
        return html
    marker = _Marker(pattern, glossary)
    marker.feed(html)
    marker.close()
    return "".join(marker.out)
