"""Create or update a brief and its two variants from a legacy text file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from ..models import Audience, Brief, Variant
from ..text.legacy import LegacyFormatError, LegacyVariant, parse_legacy_brief
from . import workflow
from .roles import EDITORS_GROUP


@dataclass
class BriefImportReport:
    """What importing one legacy file did."""

    brief: Brief
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def system_editor():
    """The account imports run as when no person is named: an editor, no login."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user, created = get_user_model().objects.get_or_create(
        username="import", defaults={"first_name": "Import", "last_name": "automatique"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    return user


def slug_for(path: Path) -> str:
    """The brief slug a file name gives: "breve-x-y.txt" is "x-y"."""
    stem = slugify(path.stem)
    return stem.removeprefix("breve-") or stem


@transaction.atomic
def import_legacy_brief(*, text: str, slug: str, user) -> BriefImportReport:
    """Import a legacy brief; importing the same text again changes nothing."""
    parsed = parse_legacy_brief(text)
    brief, _created = Brief.objects.get_or_create(slug=slug, defaults={"owner": user})
    report = BriefImportReport(brief=brief)
    audiences = {a.code: a for a in Audience.objects.filter(code__in=parsed)}
    for code, legacy in parsed.items():
        variant = Variant.objects.filter(brief=brief, audience=audiences[code]).first()
        if variant is not None and _same(variant, legacy):
            report.unchanged.append(code)
            continue
        expected = None
        if variant is None:
            variant = Variant(brief=brief, audience=audiences[code], author=user)
        else:
            expected = variant.edit_count
        _fill(variant, legacy)
        try:
            workflow.save_content(
                variant=variant, user=user, expected_edit_count=expected
            )
        except workflow.ContentRefused as exc:
            # The same limits as the editor's form, named by part of the file.
            raise LegacyFormatError(
                legacy.line,
                _("Brève %(part)s : %(problem)s")
                % {"part": code.upper(), "problem": exc.message},
            ) from exc
        (report.created if expected is None else report.updated).append(code)
    return report


def _fill(variant: Variant, legacy: LegacyVariant) -> None:
    variant.title_fr = legacy.title
    variant.standfirst_fr = legacy.standfirst
    variant.body_fr = legacy.body


def _same(variant: Variant, legacy: LegacyVariant) -> bool:
    return (variant.title_fr, variant.standfirst_fr, variant.body_fr) == (
        legacy.title,
        legacy.standfirst,
        legacy.body,
    )
