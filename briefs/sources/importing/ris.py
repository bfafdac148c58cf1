"""RIS files (Zotero, EndNote, Mendeley exports) read into source records (rispy)."""

from __future__ import annotations

import re
import unicodedata

import rispy
from django.utils.translation import gettext as _

from ...models import SourceKind
from ...models.sources import CITATION_KEY_RE
from ...text.identifiers import find_trial_id
from . import records
from .records import error

KINDS = {
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
# Tags read as one value: rispy keeps the first of repeated ones, so a second,
# different value would be lost without a word.
SINGLE_TAGS = frozenset(
    [
        "TY",
        "ID",
        "TI",
        "T1",
        "T2",
        "JO",
        "JF",
        "JA",
        "J2",
        "PB",
        "VL",
        "IS",
        "SP",
        "EP",
        "PY",
        "Y1",
        "DA",
        "DO",
        "AN",
        "C2",
        "LA",
        "M1",
    ]
)
AUTHOR_TAGS = frozenset({"AU", "A1"})


def _lines(text: str) -> list[str]:
    """The file's lines, split the one way both the check and rispy read them."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _tag(line: str) -> str | None:
    # rispy's own rule, so that the check and the parser agree on every line.
    return _PARSER.parse_line(line)[0]


_PARSER = rispy.RisParser(skip_unknown_tags=True)
# Tags whose next line rispy would read as one more value, not a continuation.
_NO_CONTINUATION = frozenset({"TY", "AU", "A1", "UR"})


def _check_structure(lines: list[str]) -> list[int]:
    """Check every line of a RIS file; return the line of each record's TY."""
    starts: list[int] = []
    open_at: int | None = None
    last = ""
    seen: dict[str, tuple[int, str]] = {}
    authors = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        tag = _tag(line)
        if tag is None:
            if open_at is None:
                raise error(
                    _("ligne hors d'une référence RIS (attendu « TY  - … »)."),
                    line=number,
                )
            if last in _NO_CONTINUATION:
                raise error(
                    _(
                        "ligne sans balise après « %(tag)s  - » : chaque ligne "
                        "d'une référence commence par sa balise (« TI  - … »)."
                    ),
                    line=number,
                    tag=last,
                )
            continue  # the continuation of the previous tag's value
        value = line[6:].strip()
        if tag == "TY":
            if open_at is not None:
                raise error(
                    _(
                        "nouvelle référence alors que celle de la ligne %(start)d "
                        "n'est pas terminée par « ER  - »."
                    ),
                    line=number,
                    start=open_at,
                )
            open_at, seen, authors = number, {}, 0
            starts.append(number)
            records.check_entry_count(len(starts))
        elif open_at is None:
            raise error(
                _("balise %(tag)s hors d'une référence (attendu « TY  - … »)."),
                line=number,
                tag=tag,
            )
        elif tag == "ER":
            open_at = None
            continue
        last = tag
        if tag in AUTHOR_TAGS:
            authors += 1
            records.check_author_count(authors, line=open_at, key="")
        if tag in SINGLE_TAGS:
            if tag in seen and seen[tag][1] != value:
                raise error(
                    _(
                        "balise %(tag)s répétée (déjà ligne %(previous)d, avec une "
                        "autre valeur) : une seule valeur serait gardée."
                    ),
                    line=number,
                    tag=tag,
                    previous=seen[tag][0],
                )
            seen.setdefault(tag, (number, value))
    if open_at is not None:
        raise error(_("référence RIS sans fin : « ER  - » manquant."), line=open_at)
    if not starts:
        raise error(_("Aucune référence RIS (TY  - …) dans ce fichier."))
    return starts


def _author(name: str) -> dict:
    family, _sep, given = (part.strip() for part in name.partition(","))
    if not given and " " in family:
        return {"literal": family}
    return {"family": family, "given": given}


def _key(entry: dict) -> tuple[str, bool]:
    """The record's own ID as key, or one made from author and year (generated)."""
    given = (entry.get("id") or "").strip()
    if given and re.match(CITATION_KEY_RE, given) and len(given) <= 80:
        return given, False
    authors = entry.get("authors") or entry.get("first_authors") or []
    family = authors[0].split(",")[0] if authors else "source"
    ascii_family = (
        unicodedata.normalize("NFKD", family).encode("ascii", "ignore").decode()
    )
    year = _first_year(entry)
    key = re.sub(r"[^a-z0-9]", "", ascii_family.lower())[:40] or "source"
    return f"{key}{year or ''}", True


def _first_year(entry: dict) -> str:
    for name in ("year", "publication_year", "date"):
        match = re.search(r"\d{4}", entry.get(name) or "")
        if match:
            return match.group(0)
    return ""


def parse_ris(text: str) -> list[dict]:
    """Parse RIS into source records; raise on any broken record."""
    lines = _lines(text)
    starts = _check_structure(lines)
    # Blank lines carry nothing; rispy would read one as a continuation.
    entries = _PARSER.parse_lines(iter([line for line in lines if line.strip()]))
    if len(entries) != len(starts):  # pragma: no cover (structure checked above)
        raise error(_("Fichier RIS incohérent."))
    return [_record(entry, line) for line, entry in zip(starts, entries, strict=True)]


def _record(entry: dict, line: int) -> dict:
    key, generated = _key(entry)
    title = records.collapse(entry.get("title") or entry.get("primary_title"))
    # A key made up here means nothing to the editor: name the record by title.
    label = records.shorten(title, 50) if generated else key
    urls = [url.strip() for url in entry.get("urls") or [] if url.strip()]
    notes = records.collapse(
        " ".join(entry.get("notes") or []) + " " + (entry.get("note") or "")
    )
    records.check_length(
        notes, limit=records.MAX_NOTE_CHARS, label=_("note"), line=line, key=label
    )
    start, end = entry.get("start_page", ""), entry.get("end_page", "")
    accession = (entry.get("accession_number") or "").strip()
    custom2 = (entry.get("custom2") or "").strip()
    names = entry.get("authors") or entry.get("first_authors") or []
    record = {
        "line": line,
        "key": key,
        "key_generated": generated,
        "label": label,
        "kind": KINDS.get(
            (entry.get("type_of_reference") or "").upper(), SourceKind.OTHER
        ),
        # An empty AU line names nobody: skipping it loses nothing.
        "authors": [_author(name) for name in names if name.strip()],
        "title": title,
        "container_title": records.collapse(
            entry.get("journal_name")
            or entry.get("secondary_title")
            or entry.get("alternate_title3")
            or entry.get("alternate_title2")
        ),
        "publisher": records.collapse(entry.get("publisher")),
        "volume": records.collapse(entry.get("volume")),
        "issue": records.collapse(entry.get("number")),
        "pages": "-".join(p.strip() for p in (start, end) if p and p.strip()),
        "year": records.year(_first_year(entry), line=line, key=label),
        "doi": records.collapse(entry.get("doi")),
        "pmid": accession if accession.isdigit() else "",
        "pmcid": custom2 if custom2.upper().startswith("PMC") else "",
        "trial_id": find_trial_id(notes, *urls),
        "url": urls[0] if urls else "",
        "language": records.collapse(entry.get("language")),
        "note": notes,
    }
    return records.finish(record)
