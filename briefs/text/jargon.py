"""Clinical jargon that a patient text should explain (via the glossary)."""

from __future__ import annotations

import re

from .glossary import Entry, find_terms

# Words and phrases a patient may not know; the glossary should explain them.
JARGON = (
    "pneumopathie", "pneumopathie interstitielle", "fibrose pulmonaire",
    "autoanticorps", "anticorps", "anti-MDA5", "anti-Jo1", "auto-immun",
    "auto-immune", "immunosuppresseur", "immunosuppresseurs",
    "immunosuppression", "immunoglobulines", "corticoïde", "corticoïdes",
    "corticothérapie", "prednisone", "méthylprednisolone", "tacrolimus",
    "ciclosporine", "cyclophosphamide", "azathioprine", "méthotrexate",
    "mycophénolate", "rituximab", "inhibiteur de la calcineurine",
    "calcineurine", "plasmaphérèse", "échanges plasmatiques",
    "dermatomyosite", "polymyosite", "myosite", "myosites", "myopathie",
    "syndrome des antisynthétases", "antisynthétase", "AMM", "hors AMM",
    "autorisation de mise sur le marché", "ATU", "RTU", "essai clinique",
    "essai randomisé", "randomisé", "randomisée", "double aveugle",
    "placebo", "cohorte", "rétrospective", "rétrospectif", "prospective",
    "prospectif", "multicentrique", "critère principal", "survie sans progression",
    "pronostic", "morbidité", "mortalité", "posologie", "néphrotoxicité",
    "pharmacocinétique", "taux résiduel", "biopsie", "tomodensitométrie",
    "scanner thoracique", "EFR", "DLCO", "CPK", "créatine kinase",
    "indication", "antirejet", "rémission", "rechute", "traitement d'induction",
    "traitement d’induction", "traitement d'entretien", "traitement d’entretien",
)  # fmt: skip

_PATTERN = re.compile(
    r"(?<![\w\-])(?:"
    + "|".join(
        re.escape(term).replace(r"\ ", r"[\s\u00a0\u202f]+")
        for term in sorted(JARGON, key=len, reverse=True)
    )
    + r")(?![\w\-])",
    re.IGNORECASE,
)


def find_jargon(text: str) -> list[tuple[int, int, str]]:
    """Every use of a known clinical term in plain ``text``: (start, end, term)."""
    return [(m.start(), m.end(), m.group()) for m in _PATTERN.finditer(text or "")]


def unexplained_jargon(text: str, glossary: list[Entry]) -> list[str]:
    """Known clinical terms in ``text`` that no glossary entry covers, once each.

    A use is covered when a glossary term spans it ("pneumopathie" inside
    "pneumopathie interstitielle").
    """
    covered = [(m.start, m.end) for m in find_terms(text, glossary)]
    missing: dict[str, str] = {}
    for start, end, term in find_jargon(text):
        if any(s <= start and end <= e for s, e in covered):
            continue
        key = re.sub(r"\s+", " ", term.lower())
        missing.setdefault(key, key)
    return list(missing.values())
