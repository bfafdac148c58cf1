"""Source identifiers (DOI, PMID, PMCID, trial registries) and their links.

Pure functions of text: no database access (import-linter keeps it so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
