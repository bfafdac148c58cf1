"""Handing a variant's text to a translator and back, as XLIFF files.

The export holds the French title, standfirst and body as segments
(briefs.text.segments), the current English pre-filled where it has the
same structure. The import checks the file (briefs.text.translated), then
saves the English through :func:`briefs.editorial.editing.save_content`,
like any edit: who may, the edit count, the limits, the audit trail, and a
new draft for a published text (its live revision stays online).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Variant
from ..text.segments import (
    Segment,
    Split,
    adopt_tags,
    fingerprint,
    split_markdown,
    split_plain,
)
from ..text.translated import translated_texts
from ..text.xliff import FIELDS, Handoff, XliffRefused, read_xliff, write_xliff
from .editing import check_can_edit, save_content
from .errors import WorkflowError

CONTENT_TYPE = "application/x-xliff+xml; charset=utf-8"


class TranslationRefused(WorkflowError):
    """A translation file that is not imported; ``message`` says why."""


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


@dataclass
class Imported:
    variant: Variant
    changed: bool
    warnings: list[str] = field(default_factory=list)


def check_can_export(*, variant: Variant, user) -> None:
    """Raise :class:`WorkflowError` unless ``user`` may hand the text out:
    whoever may edit texts, even while this one is in review."""
    if not may_export(user=user):
        raise WorkflowError(
            _("Vous n'avez pas le droit d'exporter ce texte pour traduction.")
        )


def may_export(*, user) -> bool:
    """Whether ``user`` may hand texts out for translation."""
    return user is not None and user.has_perm("briefs.change_variant")


def splits(variant: Variant, lang: str) -> dict[str, Split]:
    """The segments of ``variant``'s text in ``lang``, by field."""
    return {
        "title": split_plain("title", getattr(variant, f"title_{lang}")),
        "standfirst": split_plain("standfirst", getattr(variant, f"standfirst_{lang}")),
        "body": split_markdown(getattr(variant, f"body_{lang}") or ""),
    }


def source_fingerprint(variant: Variant) -> str:
    """The fingerprint of the French text as an export would write it."""
    french = splits(variant, "fr")
    return fingerprint(french[name] for name in FIELDS)


def _prefilled(french: dict[str, Split], english: dict[str, Split]) -> dict:
    """The English segments that stand where the French ones do, with their tags."""
    targets: dict[str, Segment] = {}
    for name in FIELDS:
        ours, theirs = french[name], english[name]
        if ours.ids() != theirs.ids():
            continue
        for source, other in zip(ours.segments, theirs.segments, strict=True):
            adopted = adopt_tags(source, other)
            if adopted is not None:
                targets[source.id] = adopted
    return targets


_CELL = re.compile(r"^body-(\d+)-cell-(\d+)-(\d+)$")
_ITEM = re.compile(r"^body-(\d+)-item-(\d+)$")
_BLOCK = re.compile(r"^body-(\d+)$")


def unit_note(unit_id: str) -> str:
    """Where a unit stands in the text, for the translator."""
    if unit_id == "title":
        return _("Titre")
    if unit_id == "standfirst":
        return _("Chapô")
    if m := _CELL.match(unit_id):
        return _("Texte, bloc %(block)s : tableau, ligne %(row)s, colonne %(col)s") % {
            "block": m.group(1),
            "row": m.group(2),
            "col": m.group(3),
        }
    if m := _ITEM.match(unit_id):
        return _("Texte, bloc %(block)s : liste, élément %(item)s") % {
            "block": m.group(1),
            "item": m.group(2),
        }
    if m := _BLOCK.match(unit_id):
        return _("Texte, bloc %(block)s") % {"block": m.group(1)}
    return ""


def export_filename(variant: Variant) -> str:
    return f"{variant.brief.slug}-{variant.audience.code}-fr-en.xlf"


def export_xliff(*, variant: Variant, user) -> Export:
    """The XLIFF file of ``variant``'s French text, to translate into English."""
    check_can_export(variant=variant, user=user)
    french = splits(variant, "fr")
    handoff = Handoff(
        variant_id=variant.pk,
        brief=variant.brief.slug,
        audience=variant.audience.code,
        edit_count=variant.edit_count,
        revision=variant.latest_revision.number if variant.latest_revision else None,
        fingerprint=fingerprint(french[name] for name in FIELDS),
    )
    content = write_xliff(
        handoff=handoff,
        splits=french,
        targets=_prefilled(french, splits(variant, "en")),
        notes={
            segment.id: unit_note(segment.id)
            for split in french.values()
            for segment in split.segments
        },
        original=f"{variant.brief.slug}/{variant.audience.code}",
    )
    return Export(filename=export_filename(variant), content=content)


@transaction.atomic
def import_xliff(*, variant: Variant, user, data: bytes) -> Imported:
    """Save the English text that the translated file ``data`` holds.

    Refuses (:class:`TranslationRefused`, nothing saved) a file that is not
    this variant's export, or whose translation lost or changed a unit, a
    tag or a citation; warns when the French changed since the export.
    """
    current = Variant.objects.select_related("brief", "audience").get(pk=variant.pk)
    check_can_edit(variant=current, user=user, expected_edit_count=None)
    try:
        file = read_xliff(data)
        handoff = file.handoff
        if (
            handoff.variant_id != current.pk
            or handoff.brief != current.brief.slug
            or handoff.audience != current.audience.code
        ):
            raise XliffRefused(
                _(
                    "Ce fichier est la traduction d'une autre version (brève "
                    "« %(brief)s », public « %(audience)s ») : il ne peut pas être "
                    "importé ici."
                )
                % {"brief": handoff.brief, "audience": handoff.audience}
            )
        texts = translated_texts(file)
    except XliffRefused as exc:
        raise TranslationRefused(exc.message) from None
    warnings = []
    if source_fingerprint(current) != handoff.fingerprint:
        warnings.append(
            _(
                "Le texte français a changé depuis l'export : la traduction "
                "importée est celle du texte d'alors ; relisez-la avant de la "
                "soumettre."
            )
        )
    elif current.edit_count != handoff.edit_count:
        warnings.append(
            _(
                "Le texte a été enregistré depuis l'export (sans changer le "
                "français) : l'anglais enregistré entre-temps est remplacé."
            )
        )
    before = current.edit_count
    for name in FIELDS:
        # The same text but for the spaces at its ends is not a change.
        if texts[name] != (getattr(current, f"{name}_en") or "").strip():
            setattr(current, f"{name}_en", texts[name])
    saved = save_content(variant=current, user=user, expected_edit_count=before)
    return Imported(
        variant=saved, changed=saved.edit_count != before, warnings=warnings
    )
