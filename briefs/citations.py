"""Source identifiers, links built from them, and Vancouver reference formatting."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CSL_STYLE = Path(__file__).resolve().parent / "csl" / "vancouver.csl"

DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIX_RE = re.compile(
    r"^(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE
)
_PMID_PREFIX_RE = re.compile(r"^pmid:?\s*", re.IGNORECASE)
PMID_RE = re.compile(r"^[1-9]\d{0,8}$")
PMCID_RE = re.compile(r"^PMC[1-9]\d{0,9}$")


# Identifiers ---------------------------------------------------------------


def normalize_doi(value: str) -> str:
    """Return a DOI lower-cased and without its resolver prefix, or raise."""
    doi = _DOI_PREFIX_RE.sub("", (value or "").strip()).strip().lower()
    if not doi:
        return ""
    if not DOI_RE.match(doi):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un DOI : un DOI commence par « 10. », "
                "un préfixe de 4 à 9 chiffres, une barre oblique puis un suffixe "
                "sans espace (exemple : 10.1093/rheumatology/kez394)."
            ),
            code="invalid_doi",
            params={"value": value},
        )
    return doi


def normalize_pmid(value: str) -> str:
    """Return a PubMed identifier as digits only, or raise."""
    pmid = _PMID_PREFIX_RE.sub("", (value or "").strip())
    if not pmid:
        return ""
    if not PMID_RE.match(pmid):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un PMID : un identifiant PubMed ne contient "
                "que des chiffres (exemple : 31539061)."
            ),
            code="invalid_pmid",
            params={"value": value},
        )
    return pmid


def normalize_pmcid(value: str) -> str:
    """Return a PubMed Central identifier as ``PMC`` + digits, or raise."""
    pmcid = re.sub(r"\s+", "", value or "").upper()
    if not pmcid:
        return ""
    if pmcid.isdigit():
        pmcid = f"PMC{pmcid}"
    if not PMCID_RE.match(pmcid):
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un PMCID : il s'écrit PMC suivi de "
                "chiffres (exemple : PMC7850120)."
            ),
            code="invalid_pmcid",
            params={"value": value},
        )
    return pmcid


@dataclass(frozen=True)
class Registry:
    """A clinical trial registry: how its identifiers look and where they live."""

    code: str
    name: str
    pattern: re.Pattern
    url: str

    def link(self, trial_id: str) -> str:
        return self.url.format(id=trial_id)


REGISTRIES = [
    Registry(
        "nct",
        "ClinicalTrials.gov",
        re.compile(r"^NCT\d{8}$"),
        "https://clinicaltrials.gov/study/{id}",
    ),
    # EU CT number of the Clinical Trials Information System (since 2023).
    Registry(
        "euct",
        "CTIS",
        re.compile(r"^(?:19|20)\d{2}-5\d{5}-\d{2}-\d{2}$"),
        "https://euclinicaltrials.eu/ctis-public/view/{id}",
    ),
    Registry(
        "eudract",
        "EU Clinical Trials Register",
        re.compile(r"^(?:19|20)\d{2}-\d{6}-\d{2}$"),
        "https://www.clinicaltrialsregister.eu/ctr-search/search?query={id}",
    ),
    Registry(
        "jrct",
        "jRCT",
        re.compile(r"^jRCT[a-z]?\d{9,10}$"),
        "https://jrct.mhlw.go.jp/latest-detail/{id}",
    ),
    # UMIN-CTR pages are keyed by an internal receipt number, not by the
    # public identifier: the WHO search portal resolves the identifier.
    Registry(
        "umin",
        "UMIN-CTR",
        re.compile(r"^UMIN\d{9}$"),
        "https://trialsearch.who.int/Trial2.aspx?TrialID={id}",
    ),
    Registry(
        "isrctn",
        "ISRCTN",
        re.compile(r"^ISRCTN\d{8}$"),
        "https://www.isrctn.com/{id}",
    ),
]

# Finds a registry identifier inside free text (a note, a URL).
TRIAL_ID_IN_TEXT_RE = re.compile(
    r"\b(NCT\d{8}|ISRCTN\d{8}|UMIN\d{9}|jRCT[a-z]?\d{9,10}"
    r"|(?:19|20)\d{2}-\d{6}-\d{2}(?:-\d{2})?)\b",
    re.IGNORECASE,
)


def _canonical_trial_id(value: str) -> str:
    trial_id = re.sub(r"\s+", "", value or "")
    if trial_id[:4].lower() == "jrct":
        return "jRCT" + trial_id[4:].lower()
    return trial_id.upper()


def trial_registry(trial_id: str) -> Registry | None:
    """The registry a (normalized) trial identifier belongs to, if any."""
    for registry in REGISTRIES:
        if registry.pattern.match(trial_id or ""):
            return registry
    return None


def normalize_trial_id(value: str) -> str:
    """Return a trial registry identifier in its canonical case, or raise."""
    trial_id = _canonical_trial_id(value)
    if not trial_id:
        return ""
    if trial_registry(trial_id) is None:
        raise ValidationError(
            _(
                "« %(value)s » n'est pas un identifiant de registre d'essais reconnu. "
                "Formats acceptés : NCT suivi de 8 chiffres (ClinicalTrials.gov), "
                "AAAA-5NNNNN-NN-NN (EU CT, CTIS), AAAA-NNNNNN-NN (EudraCT), "
                "jRCT suivi de chiffres, UMIN suivi de 9 chiffres, ISRCTN suivi "
                "de 8 chiffres."
            ),
            code="invalid_trial_id",
            params={"value": value},
        )
    return trial_id


def find_trial_id(*texts: str) -> str:
    """The first registry identifier found in ``texts``, normalized, or ""."""
    for text in texts:
        for match in TRIAL_ID_IN_TEXT_RE.finditer(text or ""):
            trial_id = _canonical_trial_id(match.group(1))
            if trial_registry(trial_id):
                return trial_id
    return ""


IDENTIFIER_FIELDS = {
    "doi": normalize_doi,
    "pmid": normalize_pmid,
    "pmcid": normalize_pmcid,
    "trial_id": normalize_trial_id,
}


def clean_source(source) -> None:
    """Normalize a source's identifiers in place; raise every problem by field."""
    from .models import SourceKind

    errors: dict[str, list] = {}
    for name, normalize in IDENTIFIER_FIELDS.items():
        try:
            setattr(source, name, normalize(getattr(source, name) or ""))
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)
    if (
        source.kind == SourceKind.TRIAL
        and not source.trial_id
        and "trial_id" not in errors
    ):
        errors["trial_id"] = [
            ValidationError(
                _("Un enregistrement d'essai clinique doit porter son identifiant."),
                code="trial_id_required",
            )
        ]
    if source.kind == SourceKind.WEBPAGE and not source.url:
        errors["url"] = [
            ValidationError(_("Une page web doit avoir son URL."), code="url_required")
        ]
    authors = source.authors or []
    if not isinstance(authors, list):
        errors["authors"] = [
            ValidationError(
                _("Les auteurs s'écrivent en liste JSON : [{…}, {…}]."),
                code="invalid_authors",
            )
        ]
        authors = []
    for index, author in enumerate(authors):
        if not isinstance(author, Mapping) or not (
            author.get("family") or author.get("literal") or author.get("others")
        ):
            errors.setdefault("authors", []).append(
                ValidationError(
                    _(
                        "Auteur n° %(number)d : indiquez au moins « family » "
                        "(nom), « literal » (collectivité) ou « others »."
                    ),
                    code="invalid_author",
                    params={"number": index + 1},
                )
            )
    if errors:
        raise ValidationError(errors)


# Links ---------------------------------------------------------------------


def doi_url(doi: str) -> str:
    """Return the doi.org link of a normalized DOI."""
    return f"https://doi.org/{doi}"


def pubmed_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def pmc_url(pmcid: str) -> str:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"


def source_links(source) -> list[tuple[str, str]]:
    """Return ``(label, url)`` links built from a source's identifiers."""
    links = []
    if source.doi:
        links.append(("DOI", doi_url(source.doi)))
    if source.pmid:
        links.append(("PubMed", pubmed_url(source.pmid)))
    if source.pmcid:
        links.append(("PMC", pmc_url(source.pmcid)))
    registry = trial_registry(source.trial_id)
    if registry:
        links.append((registry.name, registry.link(source.trial_id)))
    if source.url and all(url != source.url for _label, url in links):
        links.append((_("Lien"), source.url))
    return links


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


def unknown_citation_keys(text: str) -> list[str]:
    """Keys cited in Markdown ``text`` (outside code) that match no source."""
    from .models import Source
    from .rendering import citation_keys, render_markdown

    keys = citation_keys(text)
    if not keys:
        return []
    known = set(Source.objects.filter(key__in=keys).values_list("key", flat=True))
    return render_markdown(text, known_keys=known).unknown_keys


def unknown_keys_message(keys: list[str]) -> str:
    """One sentence naming the unknown citation keys and what to do about them."""
    return ngettext(
        "La source [@%(keys)s] n'existe pas : corrigez la clé ou ajoutez la source "
        "dans Sources avant de la citer.",
        "Les sources %(keys)s n'existent pas : corrigez les clés ou ajoutez les "
        "sources dans Sources avant de les citer.",
        len(keys),
    ) % {"keys": ", ".join(keys if len(keys) == 1 else [f"[@{k}]" for k in keys])}


def deletion_blockers(sources: Iterable) -> list[str]:
    """The revisions that keep ``sources`` from being deleted, one line each."""
    from .models import Revision

    revisions = (
        Revision.objects.filter(citations__source__in=list(sources))
        .select_related("variant__audience", "variant__brief")
        .order_by("variant__brief__slug", "variant__audience__code", "number")
        .distinct()
    )
    lines = []
    for revision in revisions:
        live = revision.variant.live_revision_id == revision.pk
        lines.append(
            (
                _("« %(title)s » (%(audience)s), révision %(number)d, en ligne")
                if live
                else _("« %(title)s » (%(audience)s), révision %(number)d")
            )
            % {
                "title": revision.title_fr,
                "audience": revision.variant.audience.code.upper(),
                "number": revision.number,
            }
        )
    return lines
