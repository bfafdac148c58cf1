"""A Markdown text's paragraphs: what a reviewer's comment is about.

A paragraph is a block of the text (a paragraph, a heading, a list, a
table, a quotation), separated from the next by a blank line. A comment
keeps the paragraph's place and words; :func:`find_again` finds it in a
text edited since, where it may have moved or changed.
"""

from __future__ import annotations

import difflib
import re

_FENCE = re.compile(r"^\s*(```|~~~)")
# Below this likeness, an edited paragraph is another paragraph.
SAME_PARAGRAPH = 0.6


def blocks(text: str) -> list[str]:
    """The blocks of ``text``, in order, each without its surrounding blank lines."""
    found: list[str] = []
    current: list[str] = []
    fenced = False
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                found.append("\n".join(current))
                current = []
            continue
        current.append(line.rstrip())
    if current:
        found.append("\n".join(current))
    return found


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def find_again(paragraphs: list[str], quote: str, hint: int) -> int | None:
    """Where the paragraph ``quote`` (once at place ``hint``) is in ``paragraphs``.

    The same words at the same place first, then the same words anywhere,
    then the most alike paragraph if it is alike enough; ``None`` when the
    paragraph is gone.
    """
    if 0 <= hint < len(paragraphs) and paragraphs[hint] == quote:
        return hint
    if quote in paragraphs:
        return paragraphs.index(quote)
    wanted = _words(quote)
    if not wanted:
        return None
    best, best_ratio = None, SAME_PARAGRAPH
    for index, paragraph in enumerate(paragraphs):
        ratio = difflib.SequenceMatcher(None, wanted, _words(paragraph)).ratio()
        # Ties go to the paragraph nearest its old place.
        if ratio > best_ratio or (
            ratio == best_ratio
            and best is not None
            and abs(index - hint) < abs(best - hint)
        ):
            best, best_ratio = index, ratio
    return best


_CITE_LINK = re.compile(
    r'<a class="cite-link" href="#ref-(\d+)" id="cite-\d+-\d+"([^>]*)>(\d+)</a>'
)


def blocks_html(text: str) -> list[str]:
    """Each block of ``text`` as safe HTML, its citations numbered as in the
    whole text (so that "3" is the third source of the page, not of the block)."""
    from .markdown import render_markdown

    numbers = {
        key: index for index, key in enumerate(render_markdown(text).cited_keys, 1)
    }
    rendered = []
    for block in blocks(text):
        result = render_markdown(block)
        local = dict(enumerate(result.cited_keys, 1))

        def renumber(match, local=local):
            number = numbers.get(local.get(int(match.group(1))), match.group(1))
            # No id: a citation's anchor belongs to the page that shows the
            # whole text once.
            return (
                f'<a class="cite-link" href="#ref-{number}"{match.group(2)}>'
                f"{number}</a>"
            )

        rendered.append(_CITE_LINK.sub(renumber, result.html))
    return rendered
