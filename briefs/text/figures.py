"""The figures of a text, and what differs between two texts that should agree.

A figure is a number with what it counts: a percentage ("76,4 %"), a dose
or a concentration ("5 à 10 ng/mL", "0.6-1 mg/kg/jour"), a number of people
("29 adultes"), a duration ("à un an", "six mois"), a year ("2019"), a ratio
("deux fois et demi"), a range of any of these, or a bare number. Each is
reduced to a canonical ``(value, unit)``, the same for French and English
writing: "76,4 %" and "76.4%" are both ``("76.4", "%")``; "dix-huit" and
"eighteen" are both ``18``.

Pure functions of text (no database): fast enough to run as the editor
types, and stored with each revision as plain data.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass
from functools import cache

from num2words import num2words

from .paragraphs import blocks
from .readability import split_sentences

LANGUAGES = ("fr", "en")

# Citations and link targets hold digits that are not figures.
_CITATION = re.compile(r"\[@[^\]\n]*\]")
_LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
_MARKUP = re.compile(r"[*_`#>|]+")
_SPACES = re.compile(r"[ \u00a0\u202f\u2009\t]+")

# Units, as written, with the canonical name both languages share.
_TIME_UNITS = {
    "an": "year",
    "ans": "year",
    "année": "year",
    "années": "year",
    "year": "year",
    "years": "year",
    "mois": "month",
    "month": "month",
    "months": "month",
    "semaine": "week",
    "semaines": "week",
    "week": "week",
    "weeks": "week",
    "jour": "day",
    "jours": "day",
    "day": "day",
    "days": "day",
    "heure": "hour",
    "heures": "hour",
    "hour": "hour",
    "hours": "hour",
}
_PEOPLE = {
    "personne",
    "personnes",
    "patient",
    "patients",
    "patiente",
    "patientes",
    "malade",
    "malades",
    "adulte",
    "adultes",
    "enfant",
    "enfants",
    "participant",
    "participants",
    "participante",
    "participantes",
    "sujet",
    "sujets",
    "people",
    "person",
    "persons",
    "adult",
    "adults",
    "child",
    "children",
    "subject",
    "subjects",
    "individuals",
}
_PER = {
    "jour": "day",
    "j": "day",
    "d": "day",
    "day": "day",
    "semaine": "week",
    "week": "week",
    "h": "hour",
    "heure": "hour",
    "hour": "hour",
}
_MASS = r"(?:mg|µg|μg|mcg|ng|g|kg|ml|mL|l|L|mmol|µmol|μmol|mol|ui|UI|IU|iu|U)"
_DOSE_UNIT = re.compile(
    rf"{_MASS}(?:\s?/\s?(?:{_MASS}|m2|m²|jour|j|d|day|semaine|week|h|heure|hour))*"
    r"(?![\w/])"
)
_PERCENT = re.compile(r"(?:%|pour\s?cent\b|per\s?cent\b|percent\b)", re.IGNORECASE)

_DIGITS = r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
# A number written in digits, not part of a name ("anti-MDA5", "COVID-19").
_NUMBER = re.compile(rf"(?<![\w./])(?<![^\W\d_]-)(?:{_DIGITS})(?![\w]|[.,]\d)")
_RANGE_JOIN = re.compile(r"^\s?(?:and|to|et|à|-|–|—)\s?", re.IGNORECASE)


@dataclass(frozen=True)
class Figure:
    """One figure of a text: canonical value and unit, and how it was written."""

    value: str
    unit: str
    kind: str
    text: str
    sentence: int

    @property
    def key(self) -> tuple[str, str]:
        return (self.value, self.unit)

    def label(self) -> str:
        """The figure as the text wrote it."""
        return self.text

    def as_dict(self) -> dict:
        return asdict(self)


def _fold(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower().replace("’", "'"))


@cache
def _number_words() -> dict[str, dict[str, int]]:
    """Numbers spelled out, French and English, zero to one hundred."""
    words: dict[str, dict[str, int]] = {}
    for lang in LANGUAGES:
        found: dict[str, int] = {}
        for n in range(0, 101):
            spelled = _fold(num2words(n, lang=lang))
            found[spelled] = n
            found[spelled.replace("-", " ")] = n
            found[spelled.replace(" ", "-")] = n
        found["une"] = 1
        found["mille"] = 1000
        found["thousand"] = 1000
        found["a hundred"] = 100
        words[lang] = found
    return words


@cache
def _spelled_pattern(lang: str) -> re.Pattern:
    names = sorted(_number_words()[lang], key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\-", r"[\-\s]?") for n in names)
    return re.compile(rf"(?<![\w\-])(?:{alternatives})(?!\w)", re.IGNORECASE)


def _canonical(number: float) -> str:
    text = f"{number:.6f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


_EN_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")


def _digits_value(text: str, lang: str = "fr") -> float:
    compact = re.sub(r"[ \u00a0\u202f\u2009]", "", text)
    if lang == "en" and _EN_THOUSANDS.match(compact):
        return float(compact.replace(",", ""))  # "1,200": twelve hundred
    return float(compact.replace(",", "."))


# Ratios: "deux fois et demi", "one and a half times", "twice".
_RATIO_FR = re.compile(
    r"(?<![\w\-])(?P<n>[\w\-]+|\d+(?:[.,]\d+)?)\s+fois(?P<half>\s+et\s+demie?)?(?![\w])",
    re.IGNORECASE,
)
_RATIO_EN = re.compile(
    r"(?<![\w\-])(?:(?P<n>[\w\-]+|\d+(?:[.,]\d+)?)(?P<half>\s+and\s+a\s+half)?\s+times"
    r"|(?P<twice>twice)|(?P<thrice>thrice))(?![\w])",
    re.IGNORECASE,
)


def _clean(sentence: str) -> str:
    text = _CITATION.sub(" ", sentence)
    text = _LINK_TARGET.sub("] ", text)
    text = _MARKUP.sub(" ", text)
    return _SPACES.sub(" ", text)


def _unit_after(rest: str, *, spelled: bool) -> tuple[str, str, int]:
    """The unit written right after a number: ``(unit, kind, length read)``."""
    match = _PERCENT.match(rest.lstrip(" "))
    skip = len(rest) - len(rest.lstrip(" "))
    if match and not spelled:
        return "%", "percent", skip + match.end()
    match = _DOSE_UNIT.match(rest, skip) if skip <= 1 and not spelled else None
    if match:
        written = match.group(0)
        parts = [p.strip() for p in written.split("/")]
        unit = "/".join(
            [
                parts[0].lower().replace("μ", "µ").replace("mcg", "µg"),
                *(_PER.get(p.lower(), p.lower().replace("²", "2")) for p in parts[1:]),
            ]
        )
        return unit, "dose", match.end()
    word = re.match(r"[\s\-]?([^\W\d_]+)", rest)
    if word:
        folded = _fold(word.group(1))
        if folded in _TIME_UNITS:
            return _TIME_UNITS[folded], "duration", word.end()
        if folded in _PEOPLE:
            return "people", "count", word.end()
    return "", "number", 0


def _is_year(value: float, unit: str) -> bool:
    return unit == "" and value.is_integer() and 1900 <= value <= 2099


def figures_of_sentence(sentence: str, lang: str, index: int = 0) -> list[Figure]:
    """The figures of one sentence written in ``lang``."""
    text = _clean(sentence)
    found: list[tuple[int, int, float, str]] = []  # start, end, value, "digits"/"word"
    for match in _NUMBER.finditer(text):
        value = _digits_value(match.group(0), lang)
        found.append((match.start(), match.end(), value, "d"))
    words = _number_words()[lang]
    for match in _spelled_pattern(lang).finditer(text):
        if any(s <= match.start() < e for s, e, *_ in found):
            continue
        value = words.get(_fold(match.group(0)).replace("\n", " "))
        if value is None:
            value = words.get(re.sub(r"[\s\-]+", "-", _fold(match.group(0))))
        if value is None:
            continue
        found.append((match.start(), match.end(), float(value), "w"))
    found.sort()

    ratios = _ratios(text, lang)
    figures: list[Figure] = []
    used_until = -1
    i = 0
    while i < len(found):
        start, end, value, how = found[i]
        if start < used_until or any(s <= start < e for s, e, _v in ratios):
            i += 1
            continue
        # A range: "5 à 10 ng/mL", "0.6-1 mg/kg/jour", "entre 2014 et 2017".
        if i + 1 < len(found):
            nxt = found[i + 1]
            join = _RANGE_JOIN.match(text[end : nxt[0]] + " ")
            between = text[end : nxt[0]]
            if join and join.end() >= len(between) and how == nxt[3] == "d":
                unit, kind, length = _unit_after(text[nxt[1] :], spelled=False)
                if (
                    unit == ""
                    and not (_is_year(value, "") and _is_year(nxt[2], ""))
                    and not _range_opened(text[:start], lang)
                ):
                    pass  # two numbers joined by "et"/"and": not a range
                else:
                    if unit == "" and _is_year(value, "") and _is_year(nxt[2], ""):
                        kind, unit = "year", "year-date"
                    figures.append(
                        Figure(
                            value=f"{_canonical(value)}-{_canonical(nxt[2])}",
                            unit=unit,
                            kind=kind if kind != "number" else "range",
                            text=text[start : nxt[1] + length].strip(),
                            sentence=index,
                        )
                    )
                    used_until = nxt[1] + length
                    i += 2
                    continue
        unit, kind, length = _unit_after(text[end:], spelled=how == "w")
        if how == "w" and unit == "" and value < 2:
            i += 1  # "un essai", "one of them": an article, not a figure
            continue
        if _is_year(value, unit) and how == "d":
            kind, unit = "year", "year-date"
        figures.append(
            Figure(
                value=_canonical(value),
                unit=unit,
                kind=kind,
                text=text[start : end + length].strip(),
                sentence=index,
            )
        )
        used_until = end + length
        i += 1
    for start, end, value in ratios:
        figures.append(
            Figure(
                value=_canonical(value),
                unit="times",
                kind="ratio",
                text=text[start:end].strip(),
                sentence=index,
            )
        )
    return figures


def _range_opened(before: str, lang: str) -> bool:
    """Whether the words before a number open a range ("entre", "from")."""
    last = before.rstrip().rsplit(" ", 1)[-1].lower() if before.strip() else ""
    return last in ({"entre", "de", "du"} if lang == "fr" else {"between", "from"})


def _ratios(text: str, lang: str) -> list[tuple[int, int, float]]:
    words = _number_words()[lang]
    pattern = _RATIO_FR if lang == "fr" else _RATIO_EN
    found = []
    for match in pattern.finditer(text):
        if lang == "en" and match.group("twice"):
            found.append((match.start(), match.end(), 2.0))
            continue
        if lang == "en" and match.group("thrice"):
            found.append((match.start(), match.end(), 3.0))
            continue
        written = match.group("n")
        folded = _fold(written)
        if folded in ("un", "une", "one", "a"):
            value = 1.0
        elif folded in words:
            value = float(words[folded])
        elif re.fullmatch(r"\d+(?:[.,]\d+)?", written):
            value = _digits_value(written, lang)
        else:
            continue
        if match.group("half"):
            value += 0.5
        found.append((match.start(), match.end(), value))
    return found


def sentences_of(markdown_text: str) -> list[str]:
    """The sentences of a Markdown text, block by block; a citation written
    just after a stop belongs to the sentence it follows."""
    found: list[str] = []
    for block in blocks(markdown_text):
        for sentence in split_sentences(block):
            if found and sentence.startswith("[@") and _CITATION.match(sentence):
                cited = _CITATION.match(sentence)
                found[-1] += " " + cited.group(0)
                sentence = sentence[cited.end() :].strip()
                if not sentence:
                    continue
            found.append(sentence)
    return found


def extract(markdown_text: str, lang: str) -> list[Figure]:
    """Every figure of a Markdown text written in ``lang``, in order."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    return [
        figure
        for index, sentence in enumerate(sentences_of(markdown_text))
        for figure in figures_of_sentence(sentence, lang, index)
    ]


@dataclass(frozen=True)
class Difference:
    """A figure on one side and not the other, or changed between them."""

    kind: str  # "missing" (in the source, not the translation), "extra", "changed"
    source: str  # as written in the source text ("" for extra)
    translation: str  # as written in the translation ("" for missing)

    def as_dict(self) -> dict:
        return asdict(self)


def _unmatched(left: list[Figure], right: list[Figure]) -> list[Figure]:
    remaining = Counter(f.key for f in right)
    out = []
    for figure in left:
        if remaining[figure.key]:
            remaining[figure.key] -= 1
        else:
            out.append(figure)
    return out


def compare_translation(source: str, translation: str) -> list[Difference]:
    """What differs between the figures of a French text and its English one.

    A figure of one side without its equal on the other is missing or extra;
    one of each with the same unit, in the same order, is a changed figure.
    """
    fr, en = extract(source, "fr"), extract(translation, "en")
    missing, extra = _unmatched(fr, en), _unmatched(en, fr)
    differences: list[Difference] = []
    for figure in missing:
        partner = next((f for f in extra if f.unit == figure.unit), None)
        if partner is not None:
            extra.remove(partner)
            differences.append(Difference("changed", figure.text, partner.text))
        else:
            differences.append(Difference("missing", figure.text, ""))
    differences.extend(Difference("extra", "", figure.text) for figure in extra)
    return differences


def unsupported(
    patient: str, professional: str, records: list[str], lang: str = "fr"
) -> list[Figure]:
    """Figures of the patient text found neither in the professional text nor
    in the records of the cited sources (their titles, notes, abstracts)."""
    known = Counter(f.key for f in extract(professional, lang))
    for record in records:
        for candidate in LANGUAGES:
            known.update(f.key for f in extract(record, candidate))
    seen = set()
    out = []
    for figure in extract(patient, lang):
        if figure.key in known or figure.key in seen:
            continue
        seen.add(figure.key)
        out.append(figure)
    return out


def uncited_claims(markdown_text: str, lang: str) -> list[str]:
    """Sentences that state a figure (a year alone does not count) and cite
    no source."""
    claims = []
    for index, sentence in enumerate(sentences_of(markdown_text)):
        if _CITATION.search(sentence):
            continue
        figures = figures_of_sentence(sentence, lang, index)
        if any(f.kind != "year" for f in figures):
            claims.append(_SPACES.sub(" ", sentence).strip())
    return claims


def _whole(texts: dict[str, str], lang: str) -> str:
    """A variant's text in ``lang``: title, standfirst and body, as blocks."""
    return "\n\n".join(
        part
        for part in (
            texts.get(f"title_{lang}", ""),
            texts.get(f"standfirst_{lang}", ""),
            texts.get(f"body_{lang}", ""),
        )
        if part and part.strip()
    )


def report(
    texts: dict[str, str],
    *,
    other: dict[str, str] | None = None,
    records: list[str] = (),
    is_patient: bool = False,
) -> dict:
    """Every check of a variant's figures, as plain data to store and show.

    ``texts`` holds the variant's fields (``title_fr``, ``body_en``…);
    ``other`` the other audience's version of the brief, ``records`` the
    cited sources' records, ``is_patient`` whether this is the patients'
    version (whose figures are checked against the professionals').
    """
    from .markdown import citation_keys

    french, english = _whole(texts, "fr"), _whole(texts, "en")
    found: dict = {
        "translation": (
            [d.as_dict() for d in compare_translation(french, english)]
            if french and english
            else []
        ),
        "uncited": {
            lang: uncited_claims(_whole(texts, lang), lang)
            for lang in LANGUAGES
            if _whole(texts, lang)
        },
    }
    if other is not None:
        other_french = _whole(other, "fr")
        mine = set(citation_keys(texts.get("body_fr", "") or ""))
        theirs = set(citation_keys(other.get("body_fr", "") or ""))
        found["versions"] = {
            "only_here": sorted(mine - theirs),
            "only_there": sorted(theirs - mine),
            "unsupported": (
                [f.text for f in unsupported(french, other_french, list(records))]
                if is_patient
                else []
            ),
        }
    return found


def report_problems(found: dict) -> int:
    """How many things of a report a reviewer must look at."""
    versions = found.get("versions", {})
    return (
        len(found.get("translation", []))
        + sum(len(claims) for claims in found.get("uncited", {}).values())
        + len(versions.get("unsupported", []))
        + len(versions.get("only_here", []))
        + len(versions.get("only_there", []))
    )
