"""Import sources from BibTeX (bibtexparser) and RIS (rispy) files, all or nothing."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

import bibtexparser
import rispy
from bibtexparser import middlewares
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from pylatexenc.latex2text import LatexNodes2Text

from .citations import find_trial_id, normalize_doi, normalize_pmcid, normalize_pmid
from .models import Source, SourceKind
from .models.sources import CITATION_KEY_RE


class SourceImportError(ValueError):
    """The file cannot be imported; nothing was written."""


@dataclass
class ImportReport:
    """What an import did, entry key by entry key."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return _(
            "%(created)d créée(s), %(updated)d mise(s) à jour, %(skipped)d inchangée(s)"
        ) % {
            "created": len(self.created),
            "updated": len(self.updated),
            "skipped": len(self.skipped),
        }


def _error(line: int | None, message: str, **params) -> SourceImportError:
    text = message % params if params else message
    if line is None:
        return SourceImportError(text)
    return SourceImportError(
        _("ligne %(line)d : %(message)s") % {"line": line, "message": text}
    )


# BibTeX ----------------------------------------------------------------------

_latex = LatexNodes2Text()
BIBTEX_KINDS = {
    "article": SourceKind.ARTICLE,
    "online": SourceKind.WEBPAGE,
    "electronic": SourceKind.WEBPAGE,
    "www": SourceKind.WEBPAGE,
    "techreport": SourceKind.GUIDELINE,
    "report": SourceKind.GUIDELINE,
    "manual": SourceKind.GUIDELINE,
}


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", _latex.latex_to_text(value or "")).strip()


def _bibtex_authors(names) -> list[dict]:
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
        raise _error(
            block.start_line + 1,
            _("entrée BibTeX illisible (accolade, virgule ou « = » manquant ?)."),
        )
    if not library.entries:
        raise _error(None, _("Aucune entrée BibTeX (@article{…}) dans ce fichier."))
    records = []
    for entry in library.entries:
        line = entry.start_line + 1
        values = {k.lower(): f.value for k, f in entry.fields_dict.items()}
        note = _text(values.get("note", ""))
        url = _text(values.get("url", ""))
        record = {
            "line": line,
            "key": entry.key,
            "kind": BIBTEX_KINDS.get(entry.entry_type.lower(), SourceKind.OTHER),
            "authors": _bibtex_authors(values.get("author", [])),
            "title": _text(values.get("title", "")),
            "container_title": _text(
                values.get("journal", values.get("howpublished", ""))
            ),
            "publisher": _text(values.get("publisher", values.get("institution", ""))),
            "volume": _text(values.get("volume", "")),
            "issue": _text(values.get("number", "")),
            "pages": re.sub(r"\s*[-–—]+\s*", "-", _text(values.get("pages", ""))),
            "year": _year(_text(values.get("year", "")), line),
            "doi": _text(values.get("doi", "")),
            "pmid": _text(values.get("pmid", "")),
            "pmcid": _text(values.get("pmcid", "")),
            "trial_id": find_trial_id(_text(values.get("eprint", "")), note, url),
            "url": url,
            "language": _text(values.get("language", values.get("langid", "")))[:10],
            "note": note,
        }
        records.append(_finish(record))
    return records


# RIS -------------------------------------------------------------------------

RIS_TAG_RE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")
RIS_KINDS = {
    "JOUR": SourceKind.ARTICLE,
    "JFULL": SourceKind.ARTICLE,
    "EJOUR": SourceKind.ARTICLE,
    "ABST": SourceKind.ARTICLE,
    "ELEC": SourceKind.WEBPAGE,
    "WEB": SourceKind.WEBPAGE,
    "RPRT": SourceKind.GUIDELINE,
    "GOVDOC": SourceKind.GUIDELINE,
    "STAND": SourceKind.GUIDELINE,
    "DATA": SourceKind.TRIAL,
}


def _check_ris_structure(text: str) -> list[int]:
    """Check every line of a RIS file; return the line of each record's TY."""
    starts: list[int] = []
    open_at: int | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = RIS_TAG_RE.match(line)
        if match is None:
            if open_at is None:
                raise _error(
                    number,
                    _("ligne hors d'une référence RIS (attendu « TY  - … »)."),
                )
            continue  # the continuation of the previous tag's value
        tag = match.group(1)
        if tag == "TY":
            if open_at is not None:
                raise _error(
                    number,
                    _(
                        "nouvelle référence alors que celle de la ligne %(start)d "
                        "n'est pas terminée par « ER  - »."
                    ),
                    start=open_at,
                )
            open_at = number
            starts.append(number)
        elif open_at is None:
            raise _error(
                number,
                _("balise %(tag)s hors d'une référence (attendu « TY  - … »)."),
                tag=tag,
            )
        elif tag == "ER":
            open_at = None
    if open_at is not None:
        raise _error(open_at, _("référence RIS sans fin : « ER  - » manquant."))
    if not starts:
        raise _error(None, _("Aucune référence RIS (TY  - …) dans ce fichier."))
    return starts


def _ris_author(name: str) -> dict:
    family, _sep, given = (part.strip() for part in name.partition(","))
    if not given and " " in family:
        return {"literal": family}
    return {"family": family, "given": given}


def _ris_key(entry: dict) -> tuple[str, bool]:
    """The record's own ID as key, or one made from author and year (generated)."""
    given = (entry.get("id") or "").strip()
    if given and re.match(CITATION_KEY_RE, given):
        return given, False
    authors = entry.get("authors") or entry.get("first_authors") or []
    family = authors[0].split(",")[0] if authors else "source"
    ascii_family = (
        unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    )
    year = _first_year(entry)
    key = re.sub(r"[^a-z0-9]", "", ascii_family.lower()) or "source"
    return f"{key}{year or ''}", True


def _free_key(base: str, *, taken) -> str:
    """``base``, else ``base`` + b, c, … : two "doe2020" make doe2020 and doe2020b."""
    key, letter = base, ord("a")
    while key in taken:
        letter += 1
        key = f"{base}{chr(letter)}"
    return key


def _first_year(entry: dict) -> str:
    for name in ("year", "publication_year", "date"):
        match = re.search(r"\d{4}", entry.get(name) or "")
        if match:
            return match.group(0)
    return ""


def parse_ris(text: str) -> list[dict]:
    """Parse RIS into source field dicts; raise on any broken record."""
    starts = _check_ris_structure(text)
    entries = rispy.loads(text, skip_unknown_tags=True)
    if len(entries) != len(starts):  # pragma: no cover (structure checked above)
        raise _error(None, _("Fichier RIS incohérent."))
    records, keys = [], set()
    for line, entry in zip(starts, entries, strict=True):
        key, generated = _ris_key(entry)
        if generated:
            key = _free_key(key, taken=keys)
        keys.add(key)
        urls = entry.get("urls") or []
        notes = " ".join(entry.get("notes") or []) + " " + (entry.get("note") or "")
        start, end = entry.get("start_page", ""), entry.get("end_page", "")
        accession = (entry.get("accession_number") or "").strip()
        custom2 = (entry.get("custom2") or "").strip()
        record = {
            "line": line,
            "key": key,
            "key_generated": generated,
            "kind": RIS_KINDS.get(
                (entry.get("type_of_reference") or "").upper(), SourceKind.OTHER
            ),
            "authors": [
                _ris_author(name)
                for name in (entry.get("authors") or entry.get("first_authors") or [])
            ],
            "title": (entry.get("title") or entry.get("primary_title") or "").strip(),
            "container_title": (
                entry.get("journal_name")
                or entry.get("secondary_title")
                or entry.get("alternate_title3")
                or entry.get("alternate_title2")
                or ""
            ).strip(),
            "publisher": (entry.get("publisher") or "").strip(),
            "volume": (entry.get("volume") or "").strip(),
            "issue": (entry.get("number") or "").strip(),
            "pages": "-".join(p.strip() for p in (start, end) if p and p.strip()),
            "year": _year(_first_year(entry), line),
            "doi": (entry.get("doi") or "").strip(),
            "pmid": accession if accession.isdigit() else "",
            "pmcid": custom2 if custom2.upper().startswith("PMC") else "",
            "trial_id": find_trial_id(notes, *urls),
            "url": urls[0].strip() if urls else "",
            "language": (entry.get("language") or "").strip()[:10],
            "note": notes.strip(),
        }
        records.append(_finish(record))
    return records


# Shared ----------------------------------------------------------------------


def _year(value: str, line: int) -> int | None:
    if not value:
        return None
    if not value.isdigit() or not 1000 <= int(value) <= 2999:
        raise _error(line, _("année illisible « %(value)s »."), value=value)
    return int(value)


def _finish(record: dict) -> dict:
    """Normalize identifiers and check what every source needs."""
    line = record["line"]
    for name, normalize in (
        ("doi", normalize_doi),
        ("pmid", normalize_pmid),
        ("pmcid", normalize_pmcid),
    ):
        try:
            record[name] = normalize(record[name])
        except ValidationError as exc:
            raise _error(line, "%(problem)s", problem=exc.messages[0]) from exc
    if record["trial_id"] and record["kind"] in (SourceKind.OTHER, SourceKind.WEBPAGE):
        record["kind"] = SourceKind.TRIAL
    if not record["title"]:
        raise _error(line, _("entrée « %(key)s » sans titre."), key=record["key"])
    return record


@transaction.atomic
def import_records(records: list[dict]) -> ImportReport:
    """Create or update sources; match on DOI, then PMID, then key."""
    report = ImportReport()
    for record in records:
        data = {k: v for k, v in record.items() if k not in ("line", "key_generated")}
        existing = None
        if data.get("doi"):
            existing = Source.objects.filter(doi=data["doi"]).first()
        if existing is None and data.get("pmid"):
            existing = Source.objects.filter(pmid=data["pmid"]).first()
        if existing is None and record.get("key_generated"):
            # A key made up from author and year may name another study: match
            # on key and title, else take the next free key (doe2020b, …).
            existing = _same_generated(data["key"], data["title"])
            if existing is None:
                data["key"] = _free_key(data["key"], taken=_KeysInDatabase())
        elif existing is None:
            existing = Source.objects.filter(key=data["key"]).first()
        if existing is None:
            source = Source(**data)
            _validate(source, record)
            source.save()
            report.created.append(source.key)
            continue
        data.pop("key")
        # An import fills and corrects fields; it never blanks one an editor set.
        changed = {
            k: v
            for k, v in data.items()
            if v not in ("", None, []) and getattr(existing, k) != v
        }
        if not changed:
            report.skipped.append(existing.key)
            continue
        for name, value in changed.items():
            setattr(existing, name, value)
        _validate(existing, record)
        existing.save()
        report.updated.append(existing.key)
    return report


def _same_generated(base: str, title: str) -> Source | None:
    pattern = re.compile(rf"^{re.escape(base)}[b-z]?$")
    for source in Source.objects.filter(key__startswith=base, title__iexact=title):
        if pattern.match(source.key):
            return source
    return None


class _KeysInDatabase:
    def __contains__(self, key: str) -> bool:
        return Source.objects.filter(key=key).exists()


def _validate(source: Source, record: dict) -> None:
    try:
        source.full_clean()
    except ValidationError as exc:
        details = "; ".join(
            "%s : %s" % (name, " ".join(messages))  # noqa: UP031
            for name, messages in exc.message_dict.items()
        )
        raise _error(
            record["line"], "%(key)s : %(details)s", key=record["key"], details=details
        ) from exc


def import_bibtex(text: str) -> ImportReport:
    """Parse and import a BibTeX text; all or nothing."""
    return import_records(parse_bibtex(text))


def import_ris(text: str) -> ImportReport:
    """Parse and import a RIS text; all or nothing."""
    return import_records(parse_ris(text))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise _error(
            line, _("le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8.")
        ) from exc


def detect_format(filename: str, text: str) -> str:
    """``"bibtex"`` or ``"ris"``, from the file's extension or its first line."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix in (".bib", ".bibtex"):
        return "bibtex"
    if suffix in (".ris", ".txt") and re.search(r"^TY  -", text, re.MULTILINE):
        return "ris"
    if suffix == ".ris":
        return "ris"
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if first.startswith("TY  -"):
        return "ris"
    if "@" in text:
        return "bibtex"
    raise _error(
        None,
        _("Format inconnu : envoyez un fichier BibTeX (.bib) ou RIS (.ris)."),
    )


def import_sources_file(*, data: bytes | str, filename: str, user=None) -> ImportReport:
    """Import a BibTeX or RIS file into the source library; all or nothing.

    ``user`` is checked for the right to add and change sources; ``None`` is
    the command line, which already has the database.
    """
    if user is not None and not (
        user.has_perm("briefs.add_source") and user.has_perm("briefs.change_source")
    ):
        raise PermissionDenied(_("Vous n'avez pas le droit d'importer des sources."))
    text = _decode(data)
    if detect_format(filename, text) == "ris":
        return import_ris(text)
    return import_bibtex(text)
