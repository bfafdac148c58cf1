"""Source identifiers, links built from them, and reference formatting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX_RE = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def normalize_doi(value: str) -> str:
    """Return a DOI lower-cased and without its resolver prefix, or raise."""
    doi = _DOI_PREFIX_RE.sub("", (value or "").strip()).lower()
    if not doi:
        return ""
    if not DOI_RE.match(doi):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un DOI (il commence par 10. suivi d'un préfixe/suffixe)."
            ),
            code="invalid_doi",
            params={"value": value},
        )
    return doi


def doi_url(doi: str) -> str:
    """Return the doi.org link of a normalized DOI."""
    return f"https://doi.org/{doi}"


def source_links(source) -> list[tuple[str, str]]:
    """Return ``(label, url)`` links built from a source's identifiers."""
    links = []
    if source.doi:
        links.append(("DOI", doi_url(source.doi)))
    if source.pmid:
        links.append(("PubMed", f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/"))
    if source.pmcid:
        links.append(("PMC", f"https://pmc.ncbi.nlm.nih.gov/articles/{source.pmcid}/"))
    if source.trial_id and source.trial_id.upper().startswith("NCT"):
        links.append(
            (
                "ClinicalTrials.gov",
                f"https://clinicaltrials.gov/study/{source.trial_id}",
            )
        )
    if source.url and all(url != source.url for _label, url in links):
        links.append((_("Lien"), source.url))
    return links


def _author_name(author: Mapping) -> str:
    if author.get("literal"):
        return author["literal"]
    initials = "".join(
        part[0] for part in re.split(r"[\s\-]+", author.get("given", "")) if part
    )
    return f"{author.get('family', '')} {initials}".strip()


def format_reference(source) -> str:
    """Return one reference in Vancouver style, as safe HTML with its links."""
    authors = list(source.authors or [])
    names = [_author_name(a) for a in authors[:6]]
    if len(authors) > 6 or any(a.get("others") for a in authors):
        names.append("et al")
    parts = []
    if names:
        parts.append(", ".join(n for n in names if n) + ".")
    parts.append(source.title.rstrip(".") + ".")
    if source.container_title:
        detail = f"{source.container_title.rstrip('.')}."
        if source.year:
            detail += f" {source.year}"
        if source.volume:
            detail += f";{source.volume}"
        if source.issue:
            detail += f"({source.issue})"
        if source.pages:
            detail += f":{source.pages}"
        parts.append(detail + ".")
    elif source.year:
        parts.append(f"{source.year}.")
    text = " ".join(parts)
    links = format_html_join(
        " ",
        '<a href="{}" rel="noopener">{}</a>',
        ((url, label) for label, url in source_links(source)),
    )
    return str(format_html('<span class="ref-text">{}</span> {}', text, links))


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
    return {
        "number": number,
        "key": source.key,
        "kind": source.kind,
        "title": source.title,
        "authors": list(source.authors or []),
        "container_title": source.container_title,
        "year": source.year,
        "doi": source.doi,
        "pmid": source.pmid,
        "pmcid": source.pmcid,
        "trial_id": source.trial_id,
        "url": source.url,
        "html": format_reference(source),
        "links": [
            {"label": str(label), "url": url} for label, url in source_links(source)
        ],
    }
