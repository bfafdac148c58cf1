"""What both parsers share: the error, the limits, and the checks of one record."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ...models import SourceKind
from ...text.identifiers import normalize_doi, normalize_pmcid, normalize_pmid

# Limits a newsroom never meets and a hostile or broken file always does. They
# bound the time and memory one import may take, whatever the door.
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_AUTHORS = 1_000
MAX_NAME_CHARS = 300
MAX_NOTE_CHARS = 10_000

# The fields a record carries, in the order the preview shows them.
RECORD_FIELDS = (
    "kind",
    "authors",
    "title",
    "container_title",
    "publisher",
    "year",
    "volume",
    "issue",
    "pages",
    "doi",
    "pmid",
    "pmcid",
    "trial_id",
    "url",
    "language",
    "note",
)


class SourceImportError(ValueError):
    """The file cannot be imported; nothing was written."""


def error(
    message: str, *, line: int | None = None, key: str = "", **params
) -> SourceImportError:
    """An import error naming the line and the entry it concerns, when known."""
    text = message % {"key": key, **params} if "%(" in message else message
    if line is not None and key:
        text = _("ligne %(line)d (entrée « %(key)s ») : %(message)s") % {
            "line": line,
            "key": shorten(key, 80),
            "message": text,
        }
    elif line is not None:
        text = _("ligne %(line)d : %(message)s") % {"line": line, "message": text}
    return SourceImportError(text)


def shorten(value: str, limit: int = 60) -> str:
    """``value`` cut to ``limit`` characters with an ellipsis, for messages."""
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def check_entry_count(count: int) -> None:
    """Refuse a file with more entries than one import takes."""
    if count > MAX_ENTRIES:
        raise error(
            _(
                "Ce fichier contient %(count)d références ; un import en prend "
                "%(max)d au plus. Découpez-le en plusieurs fichiers."
            ),
            count=count,
            max=MAX_ENTRIES,
        )


def check_author_count(count: int, *, line: int, key: str) -> None:
    """Refuse an entry with more authors than any real publication lists."""
    if count > MAX_AUTHORS:
        raise error(
            _("%(count)d auteurs ; une référence en compte %(max)d au plus."),
            line=line,
            key=key,
            count=count,
            max=MAX_AUTHORS,
        )


def check_length(value: str, *, limit: int, label: str, line: int, key: str) -> None:
    """Refuse a value longer than ``limit`` characters (never cut it silently)."""
    if len(value) > limit:
        raise error(
            _(
                "champ « %(field)s » trop long : %(length)d caractères pour "
                "%(max)d au plus."
            ),
            line=line,
            key=key,
            field=label,
            length=len(value),
            max=limit,
        )


def year(value: str, *, line: int, key: str) -> int | None:
    """The year as a number, or ``None`` when the file gives none."""
    if not value:
        return None
    if not value.isdigit() or not 1000 <= int(value) <= 2999:
        raise error(
            _("année illisible « %(value)s »."),
            line=line,
            key=key,
            value=shorten(value),
        )
    return int(value)


def finish(record: dict) -> dict:
    """Normalize a record's identifiers and check what every source needs."""
    line, key = record["line"], record.get("label", record["key"])
    for name, normalize in (
        ("doi", normalize_doi),
        ("pmid", normalize_pmid),
        ("pmcid", normalize_pmcid),
    ):
        try:
            record[name] = normalize(record[name])
        except ValidationError as exc:
            raise error(
                "%(problem)s", line=line, key=key, problem=exc.messages[0]
            ) from exc
    if record["trial_id"] and record["kind"] in (SourceKind.OTHER, SourceKind.WEBPAGE):
        record["kind"] = SourceKind.TRIAL
    if not record["title"]:
        raise error(_("référence sans titre."), line=line, key=key)
    check_length(
        record["note"], limit=MAX_NOTE_CHARS, label=_("note"), line=line, key=key
    )
    for number, author in enumerate(record["authors"], start=1):
        for part in author.values():
            if isinstance(part, str) and len(part) > MAX_NAME_CHARS:
                raise error(
                    _("auteur n° %(number)d : nom de plus de %(max)d caractères."),
                    line=line,
                    key=key,
                    number=number,
                    max=MAX_NAME_CHARS,
                )
    return record


def collapse(value: str) -> str:
    """``value`` with runs of white space made one space, stripped."""
    return re.sub(r"\s+", " ", value or "").strip()
