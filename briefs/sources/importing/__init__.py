"""Import sources from BibTeX and RIS files: a plan first, then one short write."""

# Every door (the admin, import_sources, the demo, import_brief) comes here.
# A file is parsed, matched and validated without writing anything
# (plan_file); the plan is then applied in one transaction that first checks
# that nothing it matched has changed (apply_import). The admin keeps a plan
# for its author between the preview and the confirmation (preview_file,
# confirm_preview).

from __future__ import annotations

import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .apply import apply_plan
from .bibtex import parse_bibtex
from .plan import (
    NEW,
    UNCHANGED,
    UPDATE,
    Change,
    ImportPlan,
    ImportPlanChanged,
    ImportReport,
    PlannedEntry,
)
from .planner import plan_records
from .records import (
    MAX_AUTHORS,
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_NOTE_CHARS,
    SourceImportError,
    error,
)
from .ris import parse_ris

__all__ = [
    "MAX_AUTHORS",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_NOTE_CHARS",
    "NEW",
    "UNCHANGED",
    "UPDATE",
    "Change",
    "ImportPlan",
    "ImportPlanChanged",
    "ImportReport",
    "PlannedEntry",
    "Preview",
    "PreviewExpired",
    "PreviewOutdated",
    "SourceImportError",
    "apply_import",
    "confirm_preview",
    "detect_format",
    "import_bibtex",
    "import_ris",
    "import_sources_file",
    "parse_bibtex",
    "parse_ris",
    "plan_file",
    "preview_file",
]

PREVIEW_SECONDS = 60 * 60
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class PreviewExpired(SourceImportError):
    """The preview to confirm is unknown, expired, used or someone else's."""


@dataclass(frozen=True)
class Preview:
    """A plan kept for its author until they confirm it."""

    token: str
    plan: ImportPlan


class PreviewOutdated(SourceImportError):
    """The library changed since the preview; ``preview`` is the new one."""

    def __init__(self, message: str, *, preview: Preview):
        super().__init__(message)
        self.preview = preview


def _check_permission(user) -> None:
    if user is not None and not (
        user.has_perm("briefs.add_source") and user.has_perm("briefs.change_source")
    ):
        raise PermissionDenied(_("Vous n'avez pas le droit d'importer des sources."))


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE_BYTES:
        raise error(
            _("Fichier trop volumineux : %(size)d Mo au plus."),
            size=MAX_FILE_BYTES // (1024 * 1024),
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            _("le fichier n'est pas en UTF-8 ; enregistrez-le en UTF-8."), line=line
        ) from exc
    if "\x00" in text:
        raise error(
            _("ce n'est pas un fichier texte (octet nul)."),
            line=text[: text.index("\x00")].count("\n") + 1,
        )
    if not text.strip():
        raise error(_("Le fichier est vide."))
    return text


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
    raise error(_("Format inconnu : envoyez un fichier BibTeX (.bib) ou RIS (.ris)."))


def _plan_text(text: str, filename: str) -> ImportPlan:
    parse = parse_ris if detect_format(filename, text) == "ris" else parse_bibtex
    return plan_records(parse(text), filename=filename)


def plan_file(*, data: bytes | str, filename: str, user=None) -> ImportPlan:
    """What importing a BibTeX or RIS file would do; nothing is written."""
    # user=None is the command line, which already has the whole database.
    _check_permission(user)
    return _plan_text(_decode(data), filename)


def apply_import(
    *, plan: ImportPlan, user=None, accept: Collection[str] | bool = ()
) -> ImportReport:
    """Write ``plan``; a conflicting change only if ``accept`` names it (or is True)."""
    _check_permission(user)
    return apply_plan(plan=plan, accept=accept)


def import_sources_file(
    *, data: bytes | str, filename: str, user=None, accept_conflicts: bool = False
) -> ImportReport:
    """Plan and apply a BibTeX or RIS file at once, keeping conflicting fields."""
    plan = plan_file(data=data, filename=filename, user=user)
    return apply_import(plan=plan, user=user, accept=accept_conflicts)


def import_bibtex(text: str) -> ImportReport:
    """Import a BibTeX text, keeping conflicting fields; all or nothing."""
    return apply_plan(plan=plan_records(parse_bibtex(_decode(text))))


def import_ris(text: str) -> ImportReport:
    """Import a RIS text, keeping conflicting fields; all or nothing."""
    return apply_plan(plan=plan_records(parse_ris(_decode(text))))


# Previews kept between two requests -------------------------------------------


def _cache_key(token: str) -> str:
    return f"briefs:source-import:{token}"


def _keep(*, plan: ImportPlan, text: str, user) -> Preview:
    token = secrets.token_urlsafe(24)
    cache.set(
        _cache_key(token),
        {"user": user.pk, "text": text, "plan": plan.to_data()},
        PREVIEW_SECONDS,
    )
    return Preview(token=token, plan=plan)


def preview_file(*, data: bytes | str, filename: str, user) -> Preview:
    """Plan a file and keep the plan for ``user`` to confirm (one hour)."""
    _check_permission(user)
    text = _decode(data)
    return _keep(plan=_plan_text(text, filename), text=text, user=user)


def _pending(token: str, user) -> dict:
    pending = cache.get(_cache_key(token)) if _TOKEN_RE.match(token or "") else None
    # Someone else's preview is answered as an unknown one: tokens are secret.
    if not isinstance(pending, dict) or pending.get("user") != user.pk:
        raise PreviewExpired(
            _(
                "Cet aperçu a expiré ou a déjà été confirmé : envoyez le fichier à "
                "nouveau."
            )
        )
    return pending


def load_preview(*, token: str, user) -> Preview:
    """The preview ``user`` made under ``token``; ``PreviewExpired`` otherwise."""
    _check_permission(user)
    pending = _pending(token, user)
    try:
        plan = ImportPlan.from_data(pending["plan"])
    except (KeyError, ValueError) as exc:
        raise PreviewExpired(
            _("Cet aperçu n'est plus lisible : envoyez le fichier à nouveau.")
        ) from exc
    return Preview(token=token, plan=plan)


def confirm_preview(
    *, token: str, user, accept: Collection[str] = ()
) -> tuple[ImportPlan, ImportReport]:
    """Apply the preview ``user`` made; if the library changed, preview again."""
    preview = load_preview(token=token, user=user)
    try:
        report = apply_import(plan=preview.plan, user=user, accept=set(accept))
    except ImportPlanChanged as exc:
        text = _pending(token, user)["text"]
        cache.delete(_cache_key(token))
        fresh = _keep(
            plan=_plan_text(text, preview.plan.filename), text=text, user=user
        )
        raise PreviewOutdated(str(exc), preview=fresh) from exc
    cache.delete(_cache_key(token))
    return preview.plan, report
