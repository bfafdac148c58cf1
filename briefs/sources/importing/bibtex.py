"""BibTeX files read into source records (bibtexparser, LaTeX through pylatexenc)."""

from __future__ import annotations

import re
from functools import lru_cache

import bibtexparser
from bibtexparser.middlewares.names import (
    InvalidNameError,
    parse_single_name_into_parts,
    split_multiple_persons_names,
)
from bibtexparser.model import (
    DuplicateBlockKeyBlock,
    DuplicateFieldKeyBlock,
    Entry,
    String,
)
from django.utils.translation import gettext as _
from pylatexenc import latex2text, latexwalker
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.macrospec import std_macro

from ...models import Source, SourceKind
from ...text.identifiers import find_trial_id
from . import records
from .records import error

KINDS = {
    "article": SourceKind.ARTICLE,
    "online": SourceKind.WEBPAGE,
    "electronic": SourceKind.WEBPAGE,
    "www": SourceKind.WEBPAGE,
    "techreport": SourceKind.GUIDELINE,
    "report": SourceKind.GUIDELINE,
    "manual": SourceKind.GUIDELINE,
}

# Braces, brackets, environments and math open a level the LaTeX parser
# descends into recursively; real titles and names use two or three.
MAX_NESTING = 20
_OPENERS = re.compile(r"\\begin\b|\\end\b|\\[([]|\\[)\]]|(?<!\\)[{}\[\]]")
# Characters and sequences that mean something to LaTeX; a value without any
# of them is plain text and skips the parser.
_LATEX_SIGNS = re.compile(r"[\\{}$~%&#^_]|--|``|''")


def _link_text(node, l2tobj) -> str:
    """``\\href{url}{text}`` as "text <url>", ``\\url{url}`` as "<url>"."""
    arguments = [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a]
    # pylatexenc passes the converter only to a parameter named l2tobj.
    texts = [l2tobj.nodelist_to_text([a]) for a in arguments]
    if node.macroname == "href" and len(texts) == 2:
        return f"{texts[1]} <{texts[0]}>"
    return f"<{texts[0]}>" if texts else ""


@lru_cache(maxsize=1)
def _latex() -> tuple[LatexNodes2Text, object]:
    # The parser must know the macros the text converter formats: pylatexenc's
    # parser ignores \href's and \url's arguments by default, so the converter
    # then indexes arguments that are not there.
    links = [std_macro("href", False, 2), std_macro("url", False, 1)]
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category("newsroom-links", prepend=True, macros=links)
    texts = latex2text.get_default_latex_context_db()
    texts.add_context_category(
        "newsroom-links",
        prepend=True,
        macros=[
            latex2text.MacroTextSpec(name, simplify_repl=_link_text)
            for name in ("href", "url")
        ],
    )
    return LatexNodes2Text(latex_context=texts), context


def _nesting(value: str) -> int:
    depth = deepest = 0
    for match in _OPENERS.finditer(value):
        token = match.group(0)
        if token in ("{", "[", "\\begin", "\\(", "\\["):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth = max(depth - 1, 0)
    return deepest


def latex_text(value: str, *, label: str, line: int, key: str) -> str:
    """The plain text of a BibTeX field written in LaTeX, or a clear refusal."""
    if not value or not _LATEX_SIGNS.search(value):
        return records.collapse(value)
    if _nesting(value) > MAX_NESTING:
        raise error(
            _(
                "champ « %(field)s » : accolades imbriquées sur plus de %(max)d "
                "niveaux."
            ),
            line=line,
            key=key,
            field=label,
            max=MAX_NESTING,
        )
    # A bare % would start a LaTeX comment and silently drop the rest of the
    # value; in a bibliography field it is a percent sign.
    value = re.sub(r"(?<!\\)%", r"\\%", value)
    converter, context = _latex()
    try:
        nodes = latexwalker.LatexWalker(
            value, latex_context=context, tolerant_parsing=False
        ).get_latex_nodes()[0]
        text = converter.nodelist_to_text(nodes)
    except latexwalker.LatexWalkerError as exc:
        position = getattr(exc, "pos", None)
        raise error(
            _(
                "champ « %(field)s » : LaTeX mal formé (commande sans argument, "
                "accolade ou $ non fermé), vers le caractère %(position)d."
            ),
            line=line,
            key=key,
            field=label,
            position=(position or 0) + 1,
        ) from exc
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        # pylatexenc 2.11 raises these on macros it reads without their
        # arguments (\verb at the end, a macro given as another's argument):
        # the same answer for the editor.
        raise error(
            _("champ « %(field)s » : LaTeX mal formé (commande incomplète)."),
            line=line,
            key=key,
            field=label,
        ) from exc
    return records.collapse(text)


def _verbatim(value: str) -> str:
    # URLs and identifiers are not LaTeX: keep %, ~ and _ as written, undo the
    # escapes some exporters add, drop protective braces.
    value = re.sub(r"\\([_%&#~$])", r"\1", value or "")
    return records.collapse(value.replace("{", "").replace("}", ""))


def _names(value: str, *, line: int, key: str) -> list[dict]:
    names = split_multiple_persons_names(value)
    records.check_author_count(len(names), line=line, key=key)
    label = _("auteurs")
    authors = []
    for number, raw in enumerate(names, start=1):
        try:
            name = parse_single_name_into_parts(raw, strict=True)
        except InvalidNameError as exc:
            raise error(
                _("auteur n° %(number)d « %(name)s » illisible (%(reason)s)."),
                line=line,
                key=key,
                number=number,
                name=records.shorten(raw),
                reason=_NAME_PROBLEMS.get(exc.reason, exc.reason),
            ) from exc

        def text(parts: list[str]) -> str:
            return latex_text(" ".join(parts), label=label, line=line, key=key)

        family, given = text(name.von + name.last), text(name.first)
        if family.lower() == "others" and not given:
            authors.append({"others": True})
        elif not given and " " in family:
            authors.append({"literal": family})
        elif family or given:
            authors.append({"family": family, "given": given})
    return authors


_NAME_PROBLEMS = {
    "Unmatched closing brace": _("accolade fermante en trop"),
    "Unterminated opening brace": _("accolade ouvrante jamais fermée"),
    "Too many commas": _("trop de virgules"),
    "Trailing comma at end of name": _("virgule à la fin du nom"),
}

# The fields read from an entry and the model field that will hold each.
_READ = {
    "author": "authors",
    "title": "title",
    "journal": "container_title",
    "howpublished": "container_title",
    "publisher": "publisher",
    "institution": "publisher",
    "volume": "volume",
    "number": "issue",
    "pages": "pages",
    "year": "year",
    "doi": "doi",
    "pmid": "pmid",
    "pmcid": "pmcid",
    "eprint": "trial_id",
    "url": "url",
    "language": "language",
    "langid": "language",
    "note": "note",
}
# LaTeX may spell one character in several (« {\'e} »): the raw value may be
# that much longer than the field that will hold its text.
_RAW_FACTOR = 6


def _raw_limit(name: str) -> int:
    model_field = _READ[name]
    if model_field == "authors":
        return records.MAX_AUTHORS * records.MAX_NAME_CHARS
    if model_field == "note":
        return records.MAX_NOTE_CHARS * _RAW_FACTOR
    if model_field == "year":
        return 20
    return Source._meta.get_field(model_field).max_length * _RAW_FACTOR


def _entry_key(block) -> str:
    match = re.match(r"\s*@\s*\w+\s*[{(]\s*([^,\s]*)", block.raw or "")
    return match.group(1) if match else ""


def _check_blocks(library) -> None:
    failed = sorted(library.failed_blocks, key=lambda b: b.start_line or 0)
    if not failed:
        return
    block = failed[0]
    line = (block.start_line or 0) + 1
    if isinstance(block, DuplicateBlockKeyBlock):
        previous = (block.previous_block.start_line or 0) + 1
        if isinstance(block.previous_block, String):
            message = _("chaîne @string « %(key)s » déjà définie ligne %(previous)d.")
        else:
            message = _("clé « %(key)s » déjà utilisée ligne %(previous)d.")
        raise error(message, line=line, key=block.key, previous=previous)
    if isinstance(block, DuplicateFieldKeyBlock):
        raise error(
            _("champ(s) en double : %(fields)s."),
            line=line,
            key=_entry_key(block),
            fields=", ".join(sorted(block.duplicate_keys)),
        )
    raise error(
        _("entrée BibTeX illisible (accolade, virgule ou « = » manquant ?)."),
        line=line,
        key=_entry_key(block),
    )


def _values(entry: Entry, *, line: int) -> dict[str, str]:
    values: dict[str, str] = {}
    for field in entry.fields:
        name = field.key.lower()
        if name not in _READ:
            continue
        value = str(field.value)
        if field.enclosing == "no-enclosing" and not value.isdigit():
            raise error(
                _(
                    "champ « %(field)s » : « %(value)s » n'est ni une valeur entre "
                    "accolades ni une chaîne @string définie (concaténation « # » "
                    "non prise en charge)."
                ),
                line=line,
                key=entry.key,
                field=name,
                value=records.shorten(value),
            )
        records.check_length(
            value, limit=_raw_limit(name), label=name, line=line, key=entry.key
        )
        values[name] = value
    return values


def parse_bibtex(text: str) -> list[dict]:
    """Parse BibTeX into source records; raise on any broken or hostile entry."""
    library = bibtexparser.parse_string(text)
    _check_blocks(library)
    entries = library.entries
    if not entries:
        raise error(_("Aucune entrée BibTeX (@article{…}) dans ce fichier."))
    records.check_entry_count(len(entries))
    return [_record(entry) for entry in entries]


def _record(entry: Entry) -> dict:
    line, key = (entry.start_line or 0) + 1, entry.key
    if not key:
        raise error(_("entrée sans clé (@article{clé, …})."), line=line)
    values = _values(entry, line=line)

    def text(*names: str) -> str:
        name = next((n for n in names if values.get(n)), names[0])
        return latex_text(values.get(name, ""), label=name, line=line, key=key)

    note, url = text("note"), _verbatim(values.get("url", ""))
    record = {
        "line": line,
        "key": key,
        "kind": KINDS.get(entry.entry_type.lower(), SourceKind.OTHER),
        "authors": _names(values.get("author", ""), line=line, key=key),
        "title": text("title"),
        "container_title": text("journal", "howpublished"),
        "publisher": text("publisher", "institution"),
        "volume": text("volume"),
        "issue": text("number"),
        "pages": re.sub(r"\s*[-–—]+\s*", "-", text("pages")),
        "year": records.year(
            records.collapse(values.get("year", "")), line=line, key=key
        ),
        "doi": _verbatim(values.get("doi", "")),
        "pmid": _verbatim(values.get("pmid", "")),
        "pmcid": _verbatim(values.get("pmcid", "")),
        "trial_id": find_trial_id(_verbatim(values.get("eprint", "")), note, url),
        "url": url,
        "language": text("language", "langid"),
        "note": note,
    }
    return records.finish(record)
