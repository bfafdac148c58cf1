"""The English translation's lifecycle: which French text it translates.

The English of a variant rides in the same revision as the French. When
the French changes, the editor says on submitting whether the English must
follow (a correction of substance), need not (a typo), or already does (it
was updated too). A revision whose English translates an older French text
records that older revision (``Revision.translated_from``); once live, its
English page says so and is not presented as the French page's equivalent,
until a revision with an up-to-date English is approved and published.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Revision, Variant
from ..text.paragraphs import blocks
from .errors import WorkflowError

FRENCH_FIELDS = ("title_fr", "standfirst_fr", "body_fr")
ENGLISH_FIELDS = ("title_en", "standfirst_en", "body_en")


class TranslationStatement(models.TextChoices):
    """What the editor says of the English on submitting a French change."""

    UPDATED = "updated", gettext_lazy("l'anglais est à jour de ce français")
    NEEDS_UPDATE = (
        "needs_update",
        gettext_lazy("correction de fond : l'anglais devra être mis à jour"),
    )
    NOT_NEEDED = "not_needed", gettext_lazy("coquille ou forme : l'anglais reste juste")


def _values(source, names) -> tuple[str, ...]:
    return tuple((getattr(source, name, "") or "").strip() for name in names)


def has_english(source) -> bool:
    """Whether ``source`` (a variant or a revision) has an English text."""
    return all(_values(source, ("title_en", "body_en")))


def statement_needed(variant: Variant, previous: Revision | None) -> bool:
    """Whether the editor must say what becomes of the English: the French
    changed since the last revision, or the English changed while outdated."""
    if previous is None or not has_english(previous) or not has_english(variant):
        return False
    french_changed = _values(variant, FRENCH_FIELDS) != _values(previous, FRENCH_FIELDS)
    english_changed = _values(variant, ENGLISH_FIELDS) != _values(
        previous, ENGLISH_FIELDS
    )
    return french_changed or (previous.translation_outdated and english_changed)


def statement_problem(
    variant: Variant, previous: Revision | None, statement: str
) -> str | None:
    """Why a submission cannot go on as stated, or None."""
    if not statement_needed(variant, previous):
        return None
    if statement not in TranslationStatement.values:
        return _(
            "Le texte a changé depuis la dernière révision : dites si la "
            "traduction anglaise est à jour, doit être mise à jour (correction "
            "de fond), ou reste juste (coquille)."
        )
    return None


def translated_from(
    variant: Variant, previous: Revision | None, statement: str
) -> Revision | None:
    """The older revision whose French the new revision's English translates,
    or None when it translates the new French."""
    if previous is None or not has_english(variant):
        return None
    if not statement_needed(variant, previous):
        return previous.translated_from
    if statement == TranslationStatement.UPDATED:
        return None
    if statement == TranslationStatement.NEEDS_UPDATE:
        return previous.translated_from or previous
    return previous.translated_from  # a typo: the English stays as it was


def translation_date(revision: Revision):
    """When the French that ``revision``'s English translates was approved."""
    basis = revision.translated_from
    if basis is None:
        return None
    return basis.approved_at or basis.created_at


@dataclass(frozen=True)
class ChangedParagraph:
    """A French paragraph changed since the translation: before and after."""

    before: str
    after: str

    @property
    def kind(self) -> str:
        if not self.before:
            return "added"
        if not self.after:
            return "removed"
        return "changed"


def changed_paragraphs(*, since: Revision, now) -> list[ChangedParagraph]:
    """The French paragraphs (title and standfirst included) that differ
    between the revision the English translates and the text ``now``."""
    old = [since.title_fr, since.standfirst_fr, *blocks(since.body_fr)]
    new = [
        getattr(now, "title_fr", "") or "",
        getattr(now, "standfirst_fr", "") or "",
        *blocks(getattr(now, "body_fr", "") or ""),
    ]
    found = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = old[i1:i2], new[j1:j2]
        for index in range(max(len(before), len(after))):
            found.append(
                ChangedParagraph(
                    before=before[index] if index < len(before) else "",
                    after=after[index] if index < len(after) else "",
                )
            )
    return [p for p in found if p.before.strip() or p.after.strip()]


def check_english_live(variant: Variant) -> None:
    """Refuse to take offline an English page that is not online."""
    if not variant.is_live or not variant.is_live_in("en"):
        raise WorkflowError(_("La page anglaise de ce texte n'est pas en ligne."))
