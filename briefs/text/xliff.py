"""XLIFF 1.2 files of segments, for translation tools, written and read with
translate-toolkit.

A file holds one text's segments (briefs.text.segments): one ``trans-unit``
per segment, its tags as ``<ph>``, ``<bpt>`` and ``<ept>`` holding the
Markdown they stand for; the skeleton in the header's ``<skl>``; and what the
file is about (which variant, which edit of it, a fingerprint of the source
segments) in an element of the site's own namespace. Reading refuses, with a
message naming the unit, anything that is not such a file. Pure functions of
text and plain data: no database access.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree
from translate.storage import xliff as tt_xliff
from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as tt_placeables

from .segments import (
    BPT,
    EPT,
    PH,
    Segment,
    Slot,
    Split,
    Tag,
    skeleton_from_data,
    skeleton_to_data,
)

XLIFF_NS = "urn:oasis:names:tc:xliff:document:1.2"
HANDOFF_NS = "urn:x-newsroom:translation-handoff:1"
SKELETON_FORM = "application/x-newsroom-skeleton+json"
# The longest file read (a body is 100,000 characters at most: its source,
# its translation and their tags fit well within this) and its most units.
MAX_FILE_BYTES = 2_000_000
MAX_UNITS = 5_000
FIELDS = ("title", "standfirst", "body")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PLACEABLES = {PH: tt_placeables.Ph, BPT: tt_placeables.Bpt, EPT: tt_placeables.Ept}


class XliffRefused(ValueError):
    """A file that cannot be read back; ``message`` says why, for a person."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Handoff:
    """What a file says it holds: whose text, at which edit, with which source."""

    variant_id: int
    brief: str
    audience: str
    edit_count: int
    revision: int | None
    fingerprint: str


@dataclass(frozen=True)
class TranslationFile:
    """A file read back: its header, skeletons, sources and translations."""

    handoff: Handoff
    skeletons: dict[str, tuple[str | Slot, ...]]
    sources: dict[str, Segment]
    targets: dict[str, tuple | None]
    order: tuple[str, ...]


class _Unit(tt_xliff.xliffunit):
    namespace = XLIFF_NS


class _File(tt_xliff.xlifffile):
    UnitClass = _Unit
    namespace = XLIFF_NS
    XMLskeleton = f"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="{XLIFF_NS}">
<file original="NoName" source-language="fr" datatype="plaintext">
<body>
</body>
</file>
</xliff>"""


def _rich(parts) -> list[StringElem]:
    elements = []
    for part in parts:
        if isinstance(part, str):
            elements.append(part)
        else:
            elements.append(
                _PLACEABLES[part.kind](
                    id=part.id, sub=[part.markup], xml_attrib={"ctype": part.role}
                )
            )
    return [StringElem(elements)]


def write_xliff(
    *,
    handoff: Handoff,
    splits: Mapping[str, Split],
    targets: Mapping[str, Segment],
    notes: Mapping[str, str],
    original: str,
    source_language: str = "fr",
    target_language: str = "en",
) -> bytes:
    """The XLIFF 1.2 file of ``splits`` (by field), targets pre-filled from
    ``targets`` (by unit id) where given."""
    store = _File(sourcelanguage=source_language, targetlanguage=target_language)
    file_node = store.getfilenode("NoName")
    store.setfilename(file_node, original)
    file_node.set("target-language", target_language)
    store.switchfile(original)
    header = etree.Element(f"{{{XLIFF_NS}}}header")
    file_node.insert(0, header)
    skl = etree.SubElement(header, f"{{{XLIFF_NS}}}skl")
    internal = etree.SubElement(skl, f"{{{XLIFF_NS}}}internal-file", form=SKELETON_FORM)
    internal.text = json.dumps(
        {name: skeleton_to_data(split.skeleton) for name, split in splits.items()},
        ensure_ascii=False,
    )
    etree.SubElement(
        header,
        f"{{{HANDOFF_NS}}}handoff",
        nsmap={"nr": HANDOFF_NS},
        variant=str(handoff.variant_id),
        brief=handoff.brief,
        audience=handoff.audience,
        **{
            "edit-count": str(handoff.edit_count),
            "revision": "" if handoff.revision is None else str(handoff.revision),
            "fingerprint": handoff.fingerprint,
        },
    )
    for split in splits.values():
        for segment in split.segments:
            unit = store.addsourceunit("", filename=original)
            unit.setid(segment.id)
            unit.rich_source = _rich(segment.parts)
            target = targets.get(segment.id)
            if target is not None:
                unit.rich_target = _rich(target.parts)
                unit.get_target_dom().set("state", "needs-review-translation")
            unit.xmlelement.set(_XML_SPACE, "preserve")
            if notes.get(segment.id):
                unit.addnote(notes[segment.id], origin="developer")
    return bytes(store)


# Reading ----------------------------------------------------------------------


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _parts(node, unit_id: str) -> tuple:
    """The words and tags of a ``<source>`` or ``<target>``; ``<mrk>`` (a
    tool's sentence marks) is read through."""
    parts: list = []

    def add_text(text: str | None) -> None:
        if text:
            if parts and isinstance(parts[-1], str):
                parts[-1] += text
            else:
                parts.append(text)

    def walk(element) -> None:
        add_text(element.text)
        for child in element:
            name = _local(child)
            if not name:
                pass  # comments and processing instructions
            elif name == "mrk":
                walk(child)
            elif name in _PLACEABLES:
                if len(child):
                    raise XliffRefused(
                        _(
                            "Unité « %(unit)s » : la balise %(tag)s contient "
                            "d'autres balises ; elle doit rester telle qu'exportée."
                        )
                        % {"unit": unit_id, "tag": child.get("id", "?")}
                    )
                parts.append(
                    Tag(
                        child.get("id", ""),
                        name,
                        child.text or "",
                        child.get("ctype", ""),
                    )
                )
            else:
                raise XliffRefused(
                    _(
                        "Unité « %(unit)s » : balise « %(name)s » inconnue ; seules "
                        "les balises exportées (ph, bpt, ept) sont acceptées."
                    )
                    % {"unit": unit_id, "name": name}
                )
            add_text(child.tail)

    walk(node)
    return tuple(parts)


def _not_xliff() -> XliffRefused:
    return XliffRefused(
        _("Ce fichier n'est pas un fichier XLIFF 1.2 exporté par ce site.")
    )


def _parse_safely(data: bytes):
    """The document's root, parsed without DTD, entities or network."""
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=False,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise XliffRefused(
            _("Ce fichier n'est pas un XML bien formé (%(error)s).")
            % {"error": str(exc)[:200]}
        ) from None
    if root is None:
        raise _not_xliff()
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        # XLIFF needs no DTD: one is only a way to smuggle entities in.
        raise XliffRefused(
            _("Ce fichier déclare une DTD ou des entités : il est refusé.")
        )
    return root


def read_xliff(data: bytes) -> TranslationFile:
    """Read a file written by :func:`write_xliff` and translated since.

    Raises :class:`XliffRefused` for anything else: not XML, not XLIFF 1.2,
    too big, no header of this site, a unit twice.
    """
    if len(data) > MAX_FILE_BYTES:
        raise XliffRefused(
            _("Fichier trop gros (%(size)d octets ; maximum %(max)d).")
            % {"size": len(data), "max": MAX_FILE_BYTES}
        )
    root = _parse_safely(data)
    if root.tag != f"{{{XLIFF_NS}}}xliff" or root.get("version") != "1.2":
        raise _not_xliff()
    files = root.findall(f"{{{XLIFF_NS}}}file")
    if len(files) != 1:
        raise XliffRefused(
            _("Ce fichier XLIFF doit contenir un seul texte (élément <file>).")
        )
    file_node = files[0]
    if not (file_node.get("source-language") or "").lower().startswith("fr") or not (
        file_node.get("target-language") or ""
    ).lower().startswith("en"):
        raise XliffRefused(
            _("Ce fichier doit traduire du français (fr) vers l'anglais (en).")
        )
    handoff, skeletons = _header(file_node)
    try:
        store = _File.parsestring(data)
    except Exception:  # translate-toolkit refuses in its own ways
        raise _not_xliff() from None
    sources: dict[str, Segment] = {}
    targets: dict[str, tuple | None] = {}
    order: list[str] = []
    for unit in store.units:
        unit_id = unit.xmlelement.get("id") or ""
        if unit_id in sources:
            raise XliffRefused(
                _("L'unité « %(unit)s » figure deux fois dans le fichier.")
                % {"unit": unit_id}
            )
        if len(sources) >= MAX_UNITS:
            raise XliffRefused(
                _("Trop d'unités dans ce fichier (maximum %(max)d).")
                % {"max": MAX_UNITS}
            )
        source = unit.source_dom
        sources[unit_id] = Segment(
            unit_id, _parts(source, unit_id) if source is not None else ()
        )
        target = unit.get_target_dom()
        targets[unit_id] = _parts(target, unit_id) if target is not None else None
        order.append(unit_id)
    return TranslationFile(
        handoff=handoff,
        skeletons=skeletons,
        sources=sources,
        targets=targets,
        order=tuple(order),
    )


def _header(file_node) -> tuple[Handoff, dict]:
    missing = XliffRefused(
        _(
            "Ce fichier n'a pas l'en-tête que le site écrit à l'export (version, "
            "texte, empreinte) : exportez-le à nouveau depuis la page de la version."
        )
    )
    header = file_node.find(f"{{{XLIFF_NS}}}header")
    if header is None:
        raise missing
    element = header.find(f"{{{HANDOFF_NS}}}handoff")
    internal = header.find(f"{{{XLIFF_NS}}}skl/{{{XLIFF_NS}}}internal-file")
    if element is None or internal is None:
        raise missing
    try:
        revision = element.get("revision") or None
        handoff = Handoff(
            variant_id=int(element.get("variant", "")),
            brief=element.get("brief", ""),
            audience=element.get("audience", ""),
            edit_count=int(element.get("edit-count", "")),
            revision=int(revision) if revision is not None else None,
            fingerprint=element.get("fingerprint", ""),
        )
        data = json.loads(internal.text or "")
    except (ValueError, RecursionError):
        raise missing from None
    skeletons = (
        {name: skeleton_from_data(data.get(name)) for name in FIELDS}
        if isinstance(data, dict)
        else {}
    )
    if set(skeletons) != set(FIELDS) or None in skeletons.values():
        raise missing
    return handoff, skeletons
