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
