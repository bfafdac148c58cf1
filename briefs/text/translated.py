"""A translated XLIFF file checked and turned back into Markdown.

Every unit of the export must come back translated, with the tags of its
source (none missing, added, doubled, altered or turned around), the same
citations, and nothing typed in its words that changes the text's structure
(a heading, a list, a table's pipe, a code block). The first problem found
is refused with a message naming its unit. Pure functions of text.
"""

from __future__ import annotations

import re
from collections import Counter

from django.utils.translation import gettext as _

from .markdown import citation_keys, complexity_problem
from .segments import (
    BPT,
    CITATION,
    EPT,
    LINE,
    PREFIX,
    STRUCTURAL,
    Segment,
    Slot,
    Split,
    Tag,
    fingerprint,
    rebuild,
    split_markdown,
)
from .xliff import FIELDS, TranslationFile, XliffRefused

_NEWLINES = re.compile(r"\r\n|\r|\n")
_PIPE = re.compile(r"(?<!\\)\|")


def file_splits(file: TranslationFile) -> dict[str, Split]:
    """The source splits the file holds, by field; refuses a unit missing or
    added since the export."""
    expected = [
        piece.id
        for name in FIELDS
        for piece in file.skeletons[name]
        if isinstance(piece, Slot)
    ]
    present = set(file.order)
    for unit_id in expected:
        if unit_id not in present:
            raise XliffRefused(
                _(
                    "L'unité « %(unit)s » manque dans le fichier : chaque unité "
                    "exportée doit revenir, traduite."
                )
                % {"unit": unit_id}
            )
    wanted = set(expected)
    for unit_id in file.order:
        if unit_id not in wanted:
            raise XliffRefused(
                _("L'unité « %(unit)s » n'était pas dans le texte exporté.")
                % {"unit": unit_id}
            )
    if len(wanted) != len(expected):
        raise XliffRefused(_("Le squelette du fichier cite une unité deux fois."))
    return {
        name: Split(
            segments=tuple(
                file.sources[piece.id]
                for piece in file.skeletons[name]
                if isinstance(piece, Slot)
            ),
            skeleton=file.skeletons[name],
        )
        for name in FIELDS
    }


def translated_texts(file: TranslationFile) -> dict[str, str]:
    """The title, standfirst and body that the file's translations make."""
    splits = file_splits(file)
    if fingerprint(splits[name] for name in FIELDS) != file.handoff.fingerprint:
        raise XliffRefused(
            _(
                "Les textes source (français) du fichier ne sont plus ceux de "
                "l'export : seules les cibles (anglais) peuvent être modifiées. "
                "Exportez le fichier à nouveau."
            )
        )
    texts: dict[str, str] = {}
    for name in FIELDS:
        split = splits[name]
        translated = {
            source.id: checked_target(source, file.targets.get(source.id)).markdown()
            for source in split.segments
        }
        texts[name] = rebuild(split.skeleton, translated).strip()
        if name == "body":
            _check_body(split, texts[name], translated)
    return texts


def _tag_label(tag: Tag) -> str:
    # As a person reads it: line breaks shown, spaces at its ends left out.
    return tag.markup.replace("\n", "↵").strip() or "␣"


def checked_target(source: Segment, parts: tuple | None) -> Segment:
    """The translation of ``source`` as a segment, its words tidied; refuses
    an empty one and any tag missing, added, doubled, altered or misplaced."""
    unit = source.id
    if parts is None or not "".join(p for p in parts if isinstance(p, str)).strip():
        raise XliffRefused(
            _("L'unité « %(unit)s » n'est pas traduite : sa cible est vide.")
            % {"unit": unit}
        )
    wanted = {(t.kind, t.id): t for t in source.tags}
    seen: dict[tuple[str, str], int] = {}
    for index, part in enumerate(parts):
        if isinstance(part, str):
            continue
        key = (part.kind, part.id)
        original = wanted.get(key)
        if original is None:
            raise XliffRefused(
                _(
                    "Unité « %(unit)s » : la balise n° %(id)s (« %(markup)s ») "
                    "n'est pas dans le texte source."
                )
                % {"unit": unit, "id": part.id, "markup": _tag_label(part)}
            )
        if key in seen:
            raise XliffRefused(
                _(
                    "Unité « %(unit)s » : la balise n° %(id)s (« %(markup)s ») "
                    "figure deux fois."
                )
                % {"unit": unit, "id": part.id, "markup": _tag_label(original)}
            )
        if part.markup != original.markup:
            message = (
                _(
                    "Unité « %(unit)s » : la citation « %(old)s » a été modifiée "
                    "(« %(new)s ») ; les citations doivent rester telles quelles."
                )
                if original.role == CITATION
                else _(
                    "Unité « %(unit)s » : la balise n° %(id)s a été modifiée "
                    "(« %(new)s » au lieu de « %(old)s »)."
                )
            )
            raise XliffRefused(
                message
                % {
                    "unit": unit,
                    "id": part.id,
                    "old": _tag_label(original),
                    "new": _tag_label(part),
                }
            )
        seen[key] = index
    for key, original in wanted.items():
        if key not in seen:
            message = (
                _("Unité « %(unit)s » : la citation « %(markup)s » manque.")
                if original.role == CITATION
                else _(
                    "Unité « %(unit)s » : la balise n° %(id)s (« %(markup)s ») manque."
                )
            )
            raise XliffRefused(
                message
                % {"unit": unit, "id": original.id, "markup": _tag_label(original)}
            )
    for (kind, tag_id), index in seen.items():
        if kind == BPT and seen[(EPT, tag_id)] < index:
            raise XliffRefused(
                _(
                    "Unité « %(unit)s » : la balise n° %(id)s se ferme avant de "
                    "s'ouvrir."
                )
                % {"unit": unit, "id": tag_id}
            )
    roles = {t.id: t.role for t in source.tags}
    target_tags = [p for p in parts if isinstance(p, Tag)]
    structure = [t.id for t in target_tags if roles[t.id] in STRUCTURAL]
    if structure != [t.id for t in source.tags if t.role in STRUCTURAL]:
        raise XliffRefused(
            _("Unité « %(unit)s » : les balises de lignes ont changé d'ordre.")
            % {"unit": unit}
        )
    first = next(
        (p for p in parts if not isinstance(p, str) or p.strip()),
        None,
    )
    prefixes = [t for t in target_tags if roles[t.id] == PREFIX]
    if prefixes and first is not prefixes[0]:
        raise XliffRefused(
            _(
                "Unité « %(unit)s » : la balise n° %(id)s (« %(markup)s ») marque "
                "le début de la ligne et doit rester en tête."
            )
            % {
                "unit": unit,
                "id": prefixes[0].id,
                "markup": _tag_label(prefixes[0]),
            }
        )
    tags = {t.id: t for t in source.tags}
    return Segment(unit, _tidy(parts, tags))


def _tidy(parts: tuple, tags: dict[str, Tag]) -> tuple:
    """The target's words on one line, without spaces at a line's ends."""
    tidy: list = []
    for index, part in enumerate(parts):
        if not isinstance(part, str):
            tidy.append(Tag(part.id, part.kind, part.markup, tags[part.id].role))
            continue
        text = _NEWLINES.sub(" ", part)
        before = parts[index - 1] if index else None
        after = parts[index + 1] if index + 1 < len(parts) else None
        if before is None or (
            isinstance(before, Tag) and tags[before.id].role in STRUCTURAL
        ):
            text = text.lstrip()
        if after is None or (isinstance(after, Tag) and tags[after.id].role == LINE):
            text = text.rstrip()
        if text:
            tidy.append(text)
    return tuple(tidy)


def _shape(split: Split) -> tuple:
    return (
        split.skeleton,
        [(s.id, sorted((t.kind, t.markup) for t in s.tags)) for s in split.segments],
    )


def _check_body(split: Split, body: str, translated: dict[str, str]) -> None:
    """Refuses a body whose citations or structure are not the source's."""
    for segment in split.segments:
        source_keys = Counter(citation_keys(segment.markdown()))
        target_keys = Counter(citation_keys(translated[segment.id]))
        if source_keys != target_keys:
            raise XliffRefused(
                _(
                    "Unité « %(unit)s » : les citations ne sont plus celles du "
                    "texte source (en trop : %(added)s ; manquantes : %(missing)s)."
                )
                % {
                    "unit": segment.id,
                    "added": ", ".join(sorted(target_keys - source_keys)) or "-",
                    "missing": ", ".join(sorted(source_keys - target_keys)) or "-",
                }
            )
    problem = complexity_problem(body)
    if problem:
        raise XliffRefused(problem)
    if _shape(split_markdown(body)) == _shape(split):
        return
    raise XliffRefused(
        _(
            "Unité « %(unit)s » : la traduction contient du Markdown tapé comme du "
            "texte (titre, liste, tableau, code, emphase ou lien) qui change la "
            "structure du texte ; utilisez les balises du texte source."
        )
        % {"unit": _culprit(split, translated)}
    )


def _culprit(split: Split, translated: dict[str, str]) -> str:
    """The first unit whose translation, alone, has another shape than its source."""
    for segment in split.segments:
        text = translated[segment.id]
        if "-cell-" in segment.id and _PIPE.search(text):
            return segment.id
        alone = split_markdown(text, prefix="x")
        if _shape(alone) != _shape(split_markdown(segment.markdown(), prefix="x")):
            return segment.id
    return split.segments[0].id if split.segments else "body"
