"""Differences between two revisions of a variant, word by word (pure text).

A word is never cut: "France" replaced by "Allemagne" shows one word
struck and one added, not "Fr / ance". A number keeps its decimal comma
("76,4"), a word its apostrophe or hyphen ("l'anti-MDA5"), a citation its
brackets ("[@takada2019]"). The template escapes every piece.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

FIELDS = (
    ("title", _("Titre")),
    ("standfirst", _("Chapô")),
    ("body", _("Texte")),
)

EQUAL, DELETED, INSERTED = "equal", "del", "ins"

# A citation; a word or number with its inner apostrophes, hyphens, decimal
# commas or points; a run of spaces; any other single character.
TOKEN_RE = re.compile(
    r"\[@[^\]\s]*(?:;\s*@[^\]\s]*)*\]"
    r"|\w+(?:['’\-.,/]\w+)*"
    r"|\s+"
    r"|.",
    re.UNICODE,
)


@dataclass(frozen=True)
class Row:
    """One paragraph (or run of changed paragraphs), before and after.

    Each side is a list of ``(kind, text)`` pieces; ``unified`` interleaves
    both sides, deletions first, for a screen too narrow for two columns.
    """

    changed: bool
    old: tuple[tuple[str, str], ...]
    new: tuple[tuple[str, str], ...]
    unified: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class FieldDiff:
    """One field in one language, before and after."""

    label: str
    language: str
    changed: bool
    rows: tuple[Row, ...]


def tokens(text: str) -> list[str]:
    """``text`` cut into words, numbers, citations, spaces and signs."""
    return TOKEN_RE.findall(text or "")


def _merge(pieces: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Join neighbouring pieces of the same kind, and drop empty ones."""
    merged: list[list[str]] = []
    for kind, text in pieces:
        if not text:
            continue
        if merged and merged[-1][0] == kind:
            merged[-1][1] += text
        else:
            merged.append([kind, text])
    return tuple((kind, text) for kind, text in merged)


def _grouped(opcodes, old_tokens):
    """Opcodes with a lone run of spaces between two changes folded into one
    change: "un essai" → "deux études" reads as one change, not two."""
    grouped: list[list] = []
    for opcode in opcodes:
        op, i1, i2, j1, j2 = opcode
        if (
            len(grouped) >= 2
            and op != "equal"
            and grouped[-1][0] == "equal"
            and not "".join(old_tokens[grouped[-1][1] : grouped[-1][2]]).strip()
            and grouped[-2][0] != "equal"
        ):
            grouped.pop()
            grouped[-1] = ["replace", grouped[-1][1], i2, grouped[-1][3], j2]
            continue
        grouped.append(list(opcode))
    return grouped


def word_diff(before: str, after: str) -> Row:
    """The words of ``before`` and ``after``, marked as kept, deleted or added."""
    old_tokens, new_tokens = tokens(before), tokens(after)
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    old, new, unified = [], [], []
    for op, i1, i2, j1, j2 in _grouped(matcher.get_opcodes(), old_tokens):
        removed = "".join(old_tokens[i1:i2])
        added = "".join(new_tokens[j1:j2])
        if op == "equal":
            old.append((EQUAL, removed))
            new.append((EQUAL, added))
            unified.append((EQUAL, added))
            continue
        old.append((DELETED, removed))
        new.append((INSERTED, added))
        unified.extend([(DELETED, removed), (INSERTED, added)])
    return Row(
        changed=before != after,
        old=_merge(old),
        new=_merge(new),
        unified=_merge(unified),
    )


def _paragraphs(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def rows(before: str, after: str) -> tuple[Row, ...]:
    """``before`` and ``after`` paragraph by paragraph, changed ones word by word."""
    old_lines, new_lines = _paragraphs(before), _paragraphs(after)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    result = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for line in new_lines[j1:j2]:
                piece = ((EQUAL, line),)
                result.append(Row(False, piece, piece, piece))
        else:
            result.append(
                word_diff("\n".join(old_lines[i1:i2]), "\n".join(new_lines[j1:j2]))
            )
    return tuple(result)


def _sources(revision) -> str:
    if revision is None:
        return ""
    return "\n".join(
        f"[{entry['number']}] {entry['key']}: {entry.get('title', '')}"
        for entry in revision.sources
    )


def compare(old, new, *, languages: tuple[str, ...]) -> list[FieldDiff]:
    """Compare revision ``new`` with ``old`` (``None``: nothing before) field
    by field, in each of ``languages``."""
    pairs = [
        (
            str(label),
            lang,
            old.localized(name, lang) if old else "",
            new.localized(name, lang),
        )
        for name, label in FIELDS
        for lang in languages
    ]
    pairs.append((str(_("Sources citées")), "", _sources(old), _sources(new)))
    return [
        FieldDiff(label, lang, (before or "") != (after or ""), rows(before, after))
        for label, lang, before, after in pairs
        if before or after
    ]
