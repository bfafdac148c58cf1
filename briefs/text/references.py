"""Vancouver reference formatting (citeproc-py), reference lists, snapshots.

Pure functions of text and plain data: a source is anything with a
source's attributes (a model instance, a snapshot); no database access.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from .identifiers import doi_url, pmc_url, pubmed_url, source_links, trial_registry

CSL_STYLE = Path(__file__).resolve().parent / "csl" / "vancouver.csl"


# Vancouver formatting --------------------------------------------------------

CSL_TYPES = {
    "article": "article-journal",
    "trial": "dataset",
    "guideline": "report",
    "webpage": "webpage",
    "other": "report",
}
# Past six authors Vancouver lists six and "et al.": the style truncates.
VANCOUVER_MAX_AUTHORS = 6


@lru_cache(maxsize=1)
def _style():
    from citeproc import CitationStylesStyle

    return CitationStylesStyle(str(CSL_STYLE), validate=False)


def _csl_authors(authors: Iterable[Mapping]) -> list[dict]:
    names, others = [], False
    for author in authors or []:
        if author.get("others"):
            others = True
        elif author.get("literal"):
            names.append({"literal": author["literal"]})
        elif author.get("family"):
            name = {"family": author["family"]}
            if author.get("given"):
                name["given"] = author["given"]
            names.append(name)
    if others and len(names) <= VANCOUVER_MAX_AUTHORS - 1:
        # "and others" in the source: say so even below the truncation point.
        names.append({"literal": "et al"})
    return names


def _date_parts(value) -> dict:
    return {"date-parts": [[value.year, value.month, value.day]]}


def csl_item(source) -> dict:
    """The CSL-JSON item of ``source`` (its identifiers already normalized)."""
    item: dict = {"id": "ref", "type": CSL_TYPES.get(source.kind, "report")}
    authors = _csl_authors(source.authors)
    if authors:
        item["author"] = authors
    title = (source.title or "").strip().rstrip(".")
    if title:
        item["title"] = title
    registry = trial_registry(source.trial_id)
    container = (source.container_title or "").strip().rstrip(".")
    if not container and registry and source.kind == "trial":
        container = registry.name
    if container:
        item["container-title"] = container
    year = source.year or (source.published_on.year if source.published_on else None)
    if year:
        item["issued"] = {"date-parts": [[year]]}
    if source.accessed_on:
        item["accessed"] = _date_parts(source.accessed_on)
    pages = re.sub(r"\s*(?:--|–|—)\s*", "-", (source.pages or "").strip())
    for key, value in (
        ("publisher", source.publisher),
        ("volume", source.volume),
        ("issue", source.issue),
        ("page", pages),
        ("DOI", source.doi),
        ("PMID", source.pmid),
        ("PMCID", source.pmcid),
        ("number", source.trial_id),
        ("URL", source.url),
    ):
        if (value or "").strip():
            item[key] = value.strip()
    return item


def format_reference_text(source) -> str:
    """Return one reference in Vancouver style, as plain text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(
        _style(), CiteProcJSON([csl_item(source)]), formatter.plain
    )
    bibliography.register(Citation([CitationItem("ref")]))
    return " ".join(str(bibliography.bibliography()[0]).split())


def _linked_spans(source, text: str) -> list[tuple[int, int, str]]:
    """Where the identifiers stand in ``text``: (start, end, url), in order."""
    registry = trial_registry(source.trial_id)
    wanted = [
        ("doi: ", source.doi, doi_url(source.doi)),
        ("PMID: ", source.pmid, pubmed_url(source.pmid)),
        ("PMCID: ", source.pmcid, pmc_url(source.pmcid)),
        (
            "identifier: ",
            source.trial_id,
            registry.link(source.trial_id) if registry else "",
        ),
        ("Available from: ", source.url, source.url),
    ]
    spans = []
    for prefix, value, url in wanted:
        if not value or not url:
            continue
        at = text.find(prefix + value)
        if at >= 0:
            start = at + len(prefix)
            spans.append((start, start + len(value), url))
    return sorted(spans)


def format_reference(source, *, text: str | None = None) -> str:
    """Return one Vancouver reference as safe HTML, its identifiers as links.

    ``text`` is the reference's plain text when the caller has it already.
    """
    if text is None:
        text = format_reference_text(source)
    parts, position = [], 0
    for start, end, url in _linked_spans(source, text):
        if start < position:
            continue
        parts.append(conditional_escape(text[position:start]))
        parts.append(
            format_html(
                '<a href="{}" class="ref-link" rel="noopener">{}</a>',
                url,
                text[start:end],
            )
        )
        position = end
    parts.append(conditional_escape(text[position:]))
    # Identifiers the style does not print for this kind (a trial behind an
    # article, say) still get their link.
    linked = {url for _start, _end, url in _linked_spans(source, text)}
    for label, url in source_links(source):
        if url not in linked:
            parts.append(
                format_html(
                    ' <a href="{}" class="ref-link" rel="noopener">{}</a>', url, label
                )
            )
    html = mark_safe("".join(str(p) for p in parts))  # noqa: S308 (each part escaped)
    return str(format_html('<span class="ref-text">{}</span>', html))


# Reference lists and revision snapshots ------------------------------------


def reference_entries(sources: Iterable, *, uses: Mapping[str, int]) -> list[dict]:
    """Number ``sources`` (already in citation order) for a reference list."""
    return [
        {
            "number": number,
            "key": source.key,
            "html": format_reference(source),
            "uses": uses.get(source.key, 1),
        }
        for number, source in enumerate(sources, start=1)
    ]


def snapshot(source, *, number: int) -> dict:
    """The citable fields of ``source`` as they are now, for a revision."""
    text = format_reference_text(source)
    return {
        "number": number,
        "key": source.key,
        "kind": source.kind,
        "title": source.title,
        "authors": list(source.authors or []),
        "container_title": source.container_title,
        "year": source.year,
        "volume": source.volume,
        "issue": source.issue,
        "pages": source.pages,
        "doi": source.doi,
        "pmid": source.pmid,
        "pmcid": source.pmcid,
        "trial_id": source.trial_id,
        "url": source.url,
        "text": text,
        "html": format_reference(source, text=text),
        "links": [
            {"label": str(label), "url": url} for label, url in source_links(source)
        ],
    }


# Citing from a body --------------------------------------------------------


def unknown_keys_message(keys: list[str]) -> str:
    """One sentence naming the unknown citation keys and what to do about them."""
    return ngettext(
        "La source [@%(keys)s] n'existe pas : corrigez la clé ou ajoutez la source "
        "dans Sources avant de la citer.",
        "Les sources %(keys)s n'existent pas : corrigez les clés ou ajoutez les "
        "sources dans Sources avant de les citer.",
        len(keys),
    ) % {"keys": ", ".join(keys if len(keys) == 1 else [f"[@{k}]" for k in keys])}
