"""The readable text of rendered HTML (search, feeds and excerpts read it)."""

from __future__ import annotations

import html
import re

_CITE_RE = re.compile(r'<sup class="cite">.*?</sup>', re.DOTALL)
# The glossary's definitions (escaped text, no tags) are not the brief's text.
_GLOSS_RE = re.compile(r'<span class="gloss-def"[^>]*>[^<]*</span>')
# A table reads row by row: its cells apart, its rows apart.
_BETWEEN_CELLS_RE = re.compile(r"</t[dh]>\s*(?=<t[dh][\s>])")
_BETWEEN_ROWS_RE = re.compile(r"</tr>(?:\s*</?t(?:head|body)>)*\s*(?=<tr[\s>])")
CELL_SEPARATOR = " · "
ROW_SEPARATOR = " ; "
# Blocks end words; inline tags (a glossary term, a link, emphasis) do not:
# "<dfn>tacrolimus</dfn>, le" reads "tacrolimus, le".
_BLOCK_TAG_RE = re.compile(
    r"</?(?:p|br|hr|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|div|table|thead|tbody"
    r"|tr|th|td)\b[^>]*>"
)
_TAG_RE = re.compile(r"<[^>]+>")
# Private-use characters that mark search matches: escaped text never has them.
START, STOP = "\ue000", "\ue001"
CITATION_PATTERN = _CITE_RE.pattern
GLOSSARY_PATTERN = _GLOSS_RE.pattern


def plain_text(body_html: str) -> str:
    """The readable text of rendered HTML, without citation numbers."""
    text = _GLOSS_RE.sub("", _CITE_RE.sub("", body_html or ""))
    text = _BETWEEN_ROWS_RE.sub(ROW_SEPARATOR, text)
    text = _BETWEEN_CELLS_RE.sub(CELL_SEPARATOR, text)
    text = _TAG_RE.sub("", _BLOCK_TAG_RE.sub(" ", text))
    return " ".join(html.unescape(text).replace(START, "").replace(STOP, "").split())
