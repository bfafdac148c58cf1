"""Side-by-side differences between two revisions of a variant (pure text)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

FIELDS = (
    ("title", _("Titre")),
    ("standfirst", _("Chapô")),
    ("body", _("Texte")),
)


@dataclass(frozen=True)
class FieldDiff:
    """One field in one language, before and after."""

    label: str
    language: str
    changed: bool
    table: SafeString


def _lines(text: str) -> list[str]:
    return (text or "").splitlines() or [""]


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
    differ = difflib.HtmlDiff(wrapcolumn=70)
    old_label = _("révision %(n)s") % {"n": old.number} if old else _("(rien)")
    new_label = _("révision %(n)s") % {"n": new.number}
    diffs = []
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
    for label, lang, before, after in pairs:
        if not before and not after:
            continue
        table = differ.make_table(
            _lines(before), _lines(after), str(old_label), str(new_label), context=False
        )
        # HtmlDiff escapes the texts it is given; its markup is fixed.
        diffs.append(FieldDiff(label, lang, before != after, mark_safe(table)))  # noqa: S308
    return diffs
