"""Import sources from BibTeX (bibtexparser) into the source library."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import bibtexparser
from bibtexparser import middlewares
from django.core.exceptions import ValidationError
from django.db import transaction
from pylatexenc.latex2text import LatexNodes2Text

from .citations import normalize_doi
from .models import Source, SourceKind


class SourceImportError(ValueError):
    """The file cannot be imported; nothing was written."""


@dataclass
class ImportReport:
    """What an import did, entry key by entry key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} créée(s), {len(self.updated)} mise(s) à jour, "
            f"{len(self.skipped)} inchangée(s)"
        )


_latex = LatexNodes2Text()
KIND_BY_TYPE = {
    "article": SourceKind.ARTICLE,
    "misc": SourceKind.OTHER,
    "online": SourceKind.WEBPAGE,
    "techreport": SourceKind.GUIDELINE,
    "manual": SourceKind.GUIDELINE,
}
TRIAL_RE = re.compile(r"\b(NCT\d{8})\b", re.IGNORECASE)


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", _latex.latex_to_text(value or "")).strip()


def _authors(names) -> list[dict]:
    authors = []
    for name in names:
        family = _text(" ".join(name.von + name.last))
        given = _text(" ".join(name.first))
        if family.lower() == "others" and not given:
            authors.append({"others": True})
        elif not given and " " in family:
            authors.append({"literal": family})
        else:
            authors.append({"family": family, "given": given})
    return authors


def parse_bibtex(text: str) -> list[dict]:
    """Parse BibTeX into source field dicts; raise on any broken entry."""
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    if library.failed_blocks:
        block = library.failed_blocks[0]
        raise SourceImportError(
            f"ligne {block.start_line + 1} : entrée BibTeX illisible ({block.error})."
        )
    if not library.entries:
        raise SourceImportError("aucune entrée BibTeX dans ce fichier.")
    records = []
    for entry in library.entries:
        values = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        record = {
            "key": entry.key,
            "kind": KIND_BY_TYPE.get(entry.entry_type.lower(), SourceKind.OTHER),
            "authors": _authors(values.get("author", [])),
            "title": _text(values.get("title", "")),
            "container_title": _text(
                values.get("journal", values.get("howpublished", ""))
            ),
            "volume": _text(values.get("volume", "")),
            "issue": _text(values.get("number", "")),
            "pages": _text(values.get("pages", "")).replace("--", "–"),
            "pmid": _text(values.get("pmid", "")),
            "pmcid": _text(values.get("pmcid", "")).upper(),
            "url": _text(values.get("url", "")),
            "note": _text(values.get("note", "")),
            "line": entry.start_line + 1,
        }
        year = _text(values.get("year", ""))
        record["year"] = int(year) if year.isdigit() else None
        try:
            record["doi"] = normalize_doi(_text(values.get("doi", "")))
        except ValidationError as exc:
            raise SourceImportError(
                f"ligne {record['line']} : {exc.messages[0]}"
            ) from exc
        trial = TRIAL_RE.search(" ".join([record["note"], record["url"]]))
        record["trial_id"] = trial.group(1).upper() if trial else ""
        if record["trial_id"]:
            record["kind"] = SourceKind.TRIAL
        if not record["title"]:
            raise SourceImportError(
                f"ligne {record['line']} : entrée sans titre ({entry.key})."
            )
        records.append(record)
    return records


@transaction.atomic
def import_records(records: list[dict]) -> ImportReport:
    """Create or update sources; match on DOI, then PMID, then key."""
    report = ImportReport()
    for record in records:
        data = {k: v for k, v in record.items() if k != "line"}
        existing = None
        if data.get("doi"):
            existing = Source.objects.filter(doi=data["doi"]).first()
        if existing is None and data.get("pmid"):
            existing = Source.objects.filter(pmid=data["pmid"]).first()
        if existing is None:
            existing = Source.objects.filter(key=data["key"]).first()
        if existing is None:
            source = Source(**data)
            _validate(source, record)
            source.save()
            report.created.append(source.key)
            continue
        data.pop("key")
        changed = {k: v for k, v in data.items() if getattr(existing, k) != v}
        if not changed:
            report.skipped.append(existing.key)
            continue
        for name, value in changed.items():
            setattr(existing, name, value)
        _validate(existing, record)
        existing.save()
        report.updated.append(existing.key)
    return report


def _validate(source: Source, record: dict) -> None:
    try:
        source.full_clean()
    except ValidationError as exc:
        details = "; ".join(f"{k} : {' '.join(v)}" for k, v in exc.message_dict.items())
        raise SourceImportError(
            f"ligne {record['line']} ({record['key']}) : {details}"
        ) from exc


def import_bibtex(text: str) -> ImportReport:
    """Parse and import a BibTeX text; all or nothing."""
    return import_records(parse_bibtex(text))
