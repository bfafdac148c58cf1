"""An import planned against the library: reads only, refuses any problem."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ...models import Source, SourceKind
from . import records
from .plan import (
    EMPTY,
    IDENTIFIERS,
    NEW,
    UNCHANGED,
    UPDATE,
    Change,
    ImportPlan,
    PlannedEntry,
    fingerprint,
)
from .records import RECORD_FIELDS, error

CHUNK = 500


def _fetch(**lookups: Iterable[str]) -> list[Source]:
    found: dict[int, Source] = {}
    for lookup, values in lookups.items():
        values = sorted({v for v in values if v})
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            if lookup == "key__startswith":
                query = Q()
                for value in chunk:
                    query |= Q(key__startswith=value)
            else:
                query = Q(**{lookup: chunk})
            for source in Source.objects.filter(query):
                found.setdefault(source.pk, source)
    return list(found.values())


class _Library:
    """The sources an import may touch, read once, before any write."""

    def __init__(self, entries: list[dict]):
        given = [r["key"] for r in entries if not r.get("key_generated")]
        generated = [r["key"] for r in entries if r.get("key_generated")]
        sources = _fetch(
            doi__in=[r["doi"] for r in entries],
            pmid__in=[r["pmid"] for r in entries],
            trial_id__in=[r["trial_id"] for r in entries if _is_trial(r)],
            key__in=given,
            key__startswith=generated,
        )
        self.by_doi = {s.doi: s for s in sources if s.doi}
        self.by_pmid = {s.pmid: s for s in sources if s.pmid}
        trials: dict[str, list[Source]] = {}
        for source in sources:
            if source.trial_id and source.kind == SourceKind.TRIAL:
                trials.setdefault(source.trial_id, []).append(source)
        # A registration is known by its registry id, if only one source has it.
        self.by_trial = {t: found[0] for t, found in trials.items() if len(found) == 1}
        self.by_key = {s.key: s for s in sources}
        self.by_title: dict[str, list[Source]] = {}
        for source in sources:
            self.by_title.setdefault(source.title.casefold(), []).append(source)
        # Keys a generated key must not take: the library's and the file's own.
        self.taken = set(self.by_key) | set(given)

    def match(self, record: dict) -> tuple[Source | None, str]:
        if record["doi"] and record["doi"] in self.by_doi:
            return self.by_doi[record["doi"]], "doi"
        if record["pmid"] and record["pmid"] in self.by_pmid:
            return self.by_pmid[record["pmid"]], "pmid"
        if _is_trial(record) and record["trial_id"] in self.by_trial:
            return self.by_trial[record["trial_id"]], "trial_id"
        if not record.get("key_generated"):
            source = self.by_key.get(record["key"])
            return source, "key" if source else ""
        # A key made up from author and year may name another study: match on
        # key and title, else take the next free key (doe2020b, …).
        pattern = re.compile(rf"^{re.escape(record['key'])}[b-z]?$")
        same_title = self.by_title.get(record["title"].casefold(), [])
        for source in sorted(same_title, key=lambda s: s.key):
            if pattern.match(source.key):
                return source, "key"
        return None, ""

    def free_key(self, base: str) -> str:
        key, letter = base, ord("a")
        while key in self.taken:
            letter += 1
            key = f"{base}{chr(letter)}" if letter <= ord("z") else f"{base}-{letter}"
        self.taken.add(key)
        return key


def _file_key(record: dict) -> str:
    return "" if record.get("key_generated") else record["key"]


def _is_trial(record: dict) -> bool:
    return bool(record["trial_id"]) and record["kind"] == SourceKind.TRIAL


def _check_file_duplicates(entries: list[dict]) -> None:
    for name, label in (("key", _("clé")), ("doi", "DOI"), ("pmid", "PMID")):
        first: dict[str, dict] = {}
        for record in entries:
            value = record[name]
            if not value or (name == "key" and record.get("key_generated")):
                continue
            if value in first:
                other = first[value]
                raise error(
                    _(
                        "%(what)s « %(value)s » déjà donné(e) par l'entrée « %(other)s » "
                        "(ligne %(other_line)d) : une seule entrée par source."
                    ),
                    line=record["line"],
                    key=record.get("label", record["key"]),
                    what=label,
                    value=records.shorten(value),
                    other=other.get("label", other["key"]),
                    other_line=other["line"],
                )
            first[value] = record


def _validate(source: Source, record: dict) -> None:
    try:
        # Uniqueness is checked for the whole file at once, not row by row.
        source.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        details = "; ".join(
            "%s : %s"  # noqa: UP031
            % (
                capfirst(Source._meta.get_field(name).verbose_name)
                if name != "__all__"
                else _("source"),
                " ".join(messages),
            )
            for name, messages in exc.message_dict.items()
        )
        raise error(
            "%(details)s",
            line=record["line"],
            key=record.get("label", record["key"]),
            details=details,
        ) from exc


def _conflict(name: str, old: Any, new: Any) -> str:
    """Why replacing ``old`` by ``new`` would lose information, or ""."""
    if name == "authors":
        if not isinstance(old, list):
            return ""  # not a list of authors: nothing the file would lose
        had_others = any(isinstance(a, dict) and a.get("others") for a in old)
        if had_others and not any(a.get("others") for a in new):
            return _("« et al. » serait perdu")
        if len(new) < len(old):
            return _("moins d'auteurs (%(new)d au lieu de %(old)d)") % {
                "new": len(new),
                "old": len(old),
            }
        return ""
    if name in IDENTIFIERS:
        return _("remplace un autre identifiant")
    if isinstance(old, str) and isinstance(new, str):
        shorter, longer = _comparable(new), _comparable(old)
        if len(shorter) < len(longer) and longer.startswith(shorter):
            return _("version tronquée de la valeur actuelle")
        if name == "note" and longer not in _comparable(new):
            return _("remplace la note actuelle")
    return ""


def _comparable(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().rstrip(".…").strip().casefold()


def _changes(existing: Source, record: dict) -> tuple[Source, tuple[Change, ...]]:
    candidate = Source(
        **{
            f.attname: getattr(existing, f.attname)
            for f in Source._meta.concrete_fields
        }
    )
    for name in RECORD_FIELDS:
        value = record[name]
        if value in EMPTY or (name == "kind" and value == SourceKind.OTHER):
            continue
        setattr(candidate, name, value)
    _validate(candidate, record)
    changes = []
    for name in RECORD_FIELDS:
        old, new = getattr(existing, name), getattr(candidate, name)
        if old != new:
            conflict = _conflict(name, old, new) if old not in EMPTY else ""
            changes.append(Change(name, old, new, conflict))
    return candidate, tuple(changes)


def plan_records(entries: list[dict], *, filename: str = "") -> ImportPlan:
    """Compare parsed records with the library: reads only, raises on any problem."""
    _check_file_duplicates(entries)
    library = _Library(entries)
    planned: list[PlannedEntry] = []
    claimed: dict[int, dict] = {}
    for number, record in enumerate(entries, start=1):
        label = record.get("label", record["key"])
        source, matched_on = library.match(record)
        if source is not None:
            if source.pk in claimed:
                other = claimed[source.pk]
                raise error(
                    _(
                        "désigne la même source « %(source)s » que l'entrée "
                        "« %(other)s » (ligne %(other_line)d) : une seule entrée "
                        "par source."
                    ),
                    line=record["line"],
                    key=label,
                    source=source.key,
                    other=other.get("label", other["key"]),
                    other_line=other["line"],
                )
            claimed[source.pk] = record
            candidate, changes = _changes(source, record)
            planned.append(
                PlannedEntry(
                    number=number,
                    line=record["line"],
                    file_key=_file_key(record),
                    key=source.key,
                    action=UPDATE if changes else UNCHANGED,
                    title=source.title,
                    source_id=source.pk,
                    fingerprint=fingerprint(source),
                    matched_on=matched_on,
                    changes=changes,
                )
            )
        else:
            key = (
                library.free_key(record["key"])
                if record.get("key_generated")
                else record["key"]
            )
            candidate = Source(key=key, **{n: record[n] for n in RECORD_FIELDS})
            _validate(candidate, record)
            planned.append(
                PlannedEntry(
                    number=number,
                    line=record["line"],
                    file_key=_file_key(record),
                    key=key,
                    action=NEW,
                    title=candidate.title,
                    values={n: getattr(candidate, n) for n in RECORD_FIELDS},
                )
            )
        # An identifier the file gives another source would break uniqueness.
        for name, owners in (("doi", library.by_doi), ("pmid", library.by_pmid)):
            value = getattr(candidate, name)
            owner = owners.get(value)
            if value and owner is not None and owner.pk != candidate.pk:
                raise error(
                    _("%(what)s %(value)s appartient déjà à la source « %(source)s »."),
                    line=record["line"],
                    key=label,
                    what=name.upper(),
                    value=value,
                    source=owner.key,
                )
    return ImportPlan(filename=filename, entries=tuple(planned))
