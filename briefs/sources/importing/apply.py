"""An import plan written in one short transaction, if the library has not changed."""

from __future__ import annotations

from collections.abc import Collection

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import Source
from .plan import (
    Change,
    ImportPlan,
    ImportPlanChanged,
    ImportReport,
    PlannedEntry,
    fingerprint,
)
from .planner import CHUNK
from .records import SourceImportError


def _accepted(
    accept: Collection[str] | bool, entry: PlannedEntry, change: Change
) -> bool:
    if accept is True:
        return True
    return bool(accept) and entry.choice(change) in accept


def apply_plan(
    *, plan: ImportPlan, accept: Collection[str] | bool = ()
) -> ImportReport:
    """Write a plan in one short transaction; conflicts stay unless accepted."""
    report = ImportReport(skipped=[e.key for e in plan.unchanged])
    creations = [Source(key=e.key, **e.values) for e in plan.new]
    report.created = [e.key for e in plan.new]
    taking: dict[int, list[Change]] = {}
    for entry in plan.updated:
        chosen = []
        for change in entry.changes:
            if change.conflict and not _accepted(accept, entry, change):
                report.kept.append((entry.key, change.label))
            else:
                chosen.append(change)
        if chosen:
            taking[entry.source_id] = chosen
            report.updated.append(entry.key)
        else:
            report.skipped.append(entry.key)
    matched = {e.source_id: e for e in plan.entries if e.source_id is not None}
    new_values = {
        "key": [s.key for s in creations],
        "doi": [s.doi for s in creations],
        "pmid": [s.pmid for s in creations],
    }
    for changes in taking.values():
        for change in changes:
            if change.field in ("doi", "pmid"):
                new_values[change.field].append(change.new)
    if not creations and not taking:
        return report
    try:
        with transaction.atomic():
            _write(matched, taking, creations, new_values)
    except IntegrityError as exc:
        raise ImportPlanChanged(_changed_message()) from exc
    except OperationalError as exc:
        if "locked" not in str(exc):
            raise
        raise SourceImportError(
            _(
                "La base de données est occupée par une autre écriture : rien n'a "
                "été importé, réessayez dans un instant."
            )
        ) from exc
    return report


def _changed_message() -> str:
    return _(
        "La bibliothèque de sources a changé depuis l'aperçu (une source a été "
        "ajoutée ou modifiée entre-temps) : rien n'a été importé."
    )


def _write(
    matched: dict[int, PlannedEntry],
    taking: dict[int, list[Change]],
    creations: list[Source],
    new_values: dict[str, list[str]],
) -> None:
    ids = sorted(matched)
    current: dict[int, Source] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        current.update(
            {s.pk: s for s in Source.objects.select_for_update().filter(pk__in=chunk)}
        )
    for pk, entry in matched.items():
        if pk not in current or fingerprint(current[pk]) != entry.fingerprint:
            raise ImportPlanChanged(_changed_message())
    for name, values in new_values.items():
        values = sorted({v for v in values if v})
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            if Source.objects.filter(**{f"{name}__in": chunk}).exists():
                raise ImportPlanChanged(_changed_message())
    now = timezone.now()
    changed, names = [], {"updated_at"}
    for pk, changes in taking.items():
        source = current[pk]
        for change in changes:
            setattr(source, change.field, change.new)
            names.add(change.field)
        source.updated_at = now  # bulk_update does not touch auto_now fields
        changed.append(source)
    if changed:
        Source.objects.bulk_update(changed, sorted(names), batch_size=100)
    if creations:
        Source.objects.bulk_create(creations, batch_size=CHUNK)
