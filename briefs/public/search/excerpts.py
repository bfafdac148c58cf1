"""Excerpts of a hit with its matches marked (pure text)."""

from __future__ import annotations

import html
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ...text.plain import START, STOP

EXCERPT_WORDS = 30
WORD_RE = re.compile(r"\w+")


def fold(word: str) -> str:
    """A word as the index compares it: without accents, case-folded."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def marked_excerpt(texts, words: list[str], *, size: int = EXCERPT_WORDS) -> str:
    """About ``size`` words of the first of ``texts`` that holds a match of
    ``words`` (folded word prefixes), the matches between START and STOP."""
    for text in texts:
        parts = WORD_RE.split(text or "")
        spans = WORD_RE.findall(text or "")
        hits = [
            i for i, token in enumerate(spans) if fold(token).startswith(tuple(words))
        ]
        if hits:
            break
    else:
        text = next((t for t in texts if t), "")
        parts, spans, hits = WORD_RE.split(text), WORD_RE.findall(text), []
    first = max(0, (hits[0] if hits else 0) - min(5, size // 3))
    last = min(len(spans), first + size)
    hit_set = set(hits)
    out = ["… "] if first > 0 else [parts[0]]
    for i in range(first, last):
        if i > first:
            out.append(parts[i])
        word = spans[i]
        out.append(f"{START}{word}{STOP}" if i in hit_set else word)
    out.append(" …" if last < len(spans) else parts[last])
    return "".join(out).strip()


def as_html(marked: str) -> SafeString:
    """Escape an excerpt whose matches are between START and STOP; mark them."""
    text = escape(" ".join(html.unescape(marked or "").split()))
    return mark_safe(  # noqa: S308 (escaped just above; only <mark> is added)
        text.replace(START, "<mark>").replace(STOP, "</mark>")
    )
