"""The readable text of rendered HTML (search, feeds and excerpts read it)."""

from __future__ import annotations

import html
import re

_CITE_RE = re.compile(r'<sup class="cite">.*?</sup>', re.DOTALL)
# The glossary's definitions (escaped text, no tags) are not the brief's text.
_GLOSS_RE = re.compile(r'<span class="gloss-def"[^>]*>[^<]*</span>')
_TAG_RE = re.compile(r"<[^>]+>")
# Private-use characters that mark search matches: escaped text never has them.
START, STOP = "\ue000", "\ue001"
CITATION_PATTERN = _CITE_RE.pattern
GLOSSARY_PATTERN = _GLOSS_RE.pattern


def plain_text(body_html: str) -> str:
    """The readable text of rendered HTML, without citation numbers."""
    text = _TAG_RE.sub(" ", _GLOSS_RE.sub("", _CITE_RE.sub("", body_html or "")))
    return " ".join(html.unescape(text).replace(START, "").replace(STOP, "").split())
