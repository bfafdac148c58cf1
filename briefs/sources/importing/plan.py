"""What an import plan and its report hold, and how their values read."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...models import Source, SourceKind
from .records import SourceImportError

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"
IDENTIFIERS = ("doi", "pmid", "pmcid", "trial_id", "url")
# Values that say "the file does not know": an import never blanks a field.
EMPTY = ("", None, [])
PLAN_VERSION = 1


class ImportPlanChanged(SourceImportError):
    """The library changed since the plan was made; nothing was written."""


# What a plan holds ----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One field of an existing source the file would change."""

    field: str
    old: Any
    new: Any
    conflict: str = ""  # why taking the new value would lose information

    @property
    def label(self) -> str:
        return str(capfirst(Source._meta.get_field(self.field).verbose_name))

    @property
    def old_text(self) -> str:
        return display(self.field, self.old)

    @property
    def new_text(self) -> str:
        return display(self.field, self.new)


@dataclass(frozen=True)
class PlannedEntry:
    """What the import would do with one entry of the file."""

    number: int  # position in the file, from 1
    line: int
    file_key: str  # the key the file gives, "" when it gives none (RIS)
    key: str  # the key in the library (kept for a match, new for a creation)
    action: str
    title: str = ""
    source_id: int | None = None
    fingerprint: str = ""
    matched_on: str = ""
    values: dict = field(default_factory=dict)  # the fields of a new source
    changes: tuple[Change, ...] = ()

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.conflict]

    def choice(self, change: Change) -> str:
        """The name a confirmation uses to accept one conflicting change."""
        return f"{self.number}:{change.field}"

    @property
    def how_matched(self) -> str:
        """How the entry was recognised as a source of the library."""
        return {
            "doi": _("reconnue par son DOI"),
            "pmid": _("reconnue par son PMID"),
            "trial_id": _("reconnue par son identifiant d'essai"),
            "key": _("reconnue par sa clé"),
        }.get(self.matched_on, "")

    @property
    def summary_values(self) -> list[tuple[str, str]]:
        """The non-empty fields of a new source, labelled, for the preview."""
        return [
            (
                str(capfirst(Source._meta.get_field(name).verbose_name)),
                display(name, value),
            )
            for name, value in self.values.items()
            if value not in EMPTY
        ]


@dataclass(frozen=True)
class ImportPlan:
    """Per entry of a file: new, updated (which fields, which conflicts) or unchanged."""

    filename: str
    entries: tuple[PlannedEntry, ...]

    def _with(self, action: str) -> list[PlannedEntry]:
        return [e for e in self.entries if e.action == action]

    @property
    def new(self) -> list[PlannedEntry]:
        return self._with(NEW)

    @property
    def updated(self) -> list[PlannedEntry]:
        return self._with(UPDATE)

    @property
    def unchanged(self) -> list[PlannedEntry]:
        return self._with(UNCHANGED)

    @property
    def conflicts(self) -> list[tuple[PlannedEntry, Change]]:
        return [(e, c) for e in self.updated for c in e.conflicts]

    @property
    def writes(self) -> bool:
        return bool(self.new or self.updated)

    def summary(self) -> str:
        text = _(
            "%(new)d nouvelle(s), %(updated)d mise(s) à jour, %(unchanged)d "
            "inchangée(s)"
        ) % {
            "new": len(self.new),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        if self.conflicts:
            text += ngettext(
                ", %(count)d conflit",
                ", %(count)d conflits",
                len(self.conflicts),
            ) % {"count": len(self.conflicts)}
        return text

    def to_data(self) -> dict:
        """The plan as plain data (JSON types), to keep it between two requests."""
        return {
            "version": PLAN_VERSION,
            "filename": self.filename,
            "entries": [
                {
                    **{
                        name: getattr(entry, name)
                        for name in (
                            "number",
                            "line",
                            "file_key",
                            "key",
                            "action",
                            "title",
                            "source_id",
                            "fingerprint",
                            "matched_on",
                            "values",
                        )
                    },
                    "changes": [
                        [c.field, c.old, c.new, c.conflict] for c in entry.changes
                    ],
                }
                for entry in self.entries
            ],
        }

    @classmethod
    def from_data(cls, data: dict) -> ImportPlan:
        """The plan ``to_data`` gave; ``ValueError`` if it is not one."""
        try:
            if data["version"] != PLAN_VERSION:
                raise ValueError("plan version")
            entries = tuple(
                PlannedEntry(
                    **{k: v for k, v in item.items() if k != "changes"},
                    changes=tuple(Change(*change) for change in item["changes"]),
                )
                for item in data["entries"]
            )
            return cls(filename=data["filename"], entries=entries)
        except (KeyError, TypeError) as exc:
            raise ValueError("not an import plan") from exc


@dataclass
class ImportReport:
    """What an import did, entry key by entry key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (key, field label)

    def summary(self) -> str:
        text = _(
            "%(created)d créée(s), %(updated)d mise(s) à jour, %(skipped)d inchangée(s)"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "skipped": len(self.skipped),
        }
        if self.kept:
            text += ngettext(
                ", %(count)d conflit laissé tel quel",
                ", %(count)d conflits laissés tels quels",
                len(self.kept),
            ) % {"count": len(self.kept)}
        return text


# Showing values ---------------------------------------------------------------


def display(name: str, value: Any, *, names: int | None = None) -> str:
    """A field's value as an editor reads it; at most ``names`` authors named."""
    if value in EMPTY:
        return "—"
    if name == "authors":
        return _authors_text(value, limit=names)
    if name == "kind":
        return str(SourceKind(value).label) if value in SourceKind.values else value
    return str(value)


def _authors_text(authors: list, *, limit: int | None) -> str:
    names = []
    for author in authors:
        if author.get("others"):
            names.append(_("et al."))
        elif author.get("literal"):
            names.append(author["literal"])
        else:
            names.append(
                ", ".join(p for p in (author.get("family"), author.get("given")) if p)
            )
    if limit is not None and len(names) > limit:
        names = [*names[:limit], "…"]
    people = sum(1 for a in authors if not a.get("others"))
    return ngettext(
        "%(names)s (%(count)d auteur)", "%(names)s (%(count)d auteurs)", people
    ) % {"names": "; ".join(names), "count": people}


def fingerprint(source: Source) -> str:
    """A digest of every stored value of ``source``, to notice any later change."""
    values = {
        f.attname: f.value_to_string(source) for f in Source._meta.concrete_fields
    }
    return hashlib.sha256(
        json.dumps(values, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
