"""French readability: Kandel & Moles' adaptation of Flesch, on plain text.

Score = 207 − 1.015 × (words / sentences) − 73.6 × (syllables / words).
Syllables come from pyphen's French hyphenation dictionary (hyphenation
points + 1 per word part); numbers are counted as read aloud and short
acronyms letter by letter. Higher is easier; 60 and above reads easily.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from html.parser import HTMLParser

import pyphen
from django.utils.translation import gettext as _
from num2words import num2words

from .markdown import CITATION_RE, render_markdown

# Between a table row's cells: not a space, so that no phrase (a glossary term,
# a clinical term) is found across two cells.
from .plain import CELL_SEPARATOR

LONGEST_SHOWN = 3

# A number (with decimals) or a word, hyphens and apostrophes inside it.
WORD_RE = re.compile(r"\d+(?:[.,]\d+)?|[^\W_](?:[\w’'\-]*[^\W_])?")
_VOWELS_RE = re.compile(r"[aeiouyàâäéèêëîïôöùûüÿœæ]", re.IGNORECASE)
_PART_SPLIT_RE = re.compile(r"[’'\-]")
_ACRONYM_RE = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{2,}$")
# How each letter sounds when an acronym is spelled out (AMM: a-èm-èm).
_LETTER_SYLLABLES = {"W": 3, "Y": 2}
# Abbreviations whose final stop does not end a sentence.
ABBREVIATIONS = frozenset(
    {"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "st", "ste", "cf", "etc", "ex",
     "env", "fig", "vol", "no", "n°", "p", "pp", "al", "vs", "coll", "éd", "ed"}
)  # fmt: skip
_SENTENCE_END_RE = re.compile(r"([.!?…]+[»”\")\]]*)\s+")
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dd", "dt"}  # fmt: skip
_CELLS = {"td", "th"}
_SKIPPED = {"pre", "code", "sup"}


@dataclass(frozen=True)
class Sentence:
    """One sentence of the text and its length in words."""

    text: str
    words: int


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item; or one row of a table, its cells
    joined by CELL_SEPARATOR (a row is data, not a sentence)."""

    text: str
    table_row: bool = False


@dataclass
class Readability:
    """What the panel shows and a revision stores."""

    score: float | None
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    avg_sentence_length: float = 0.0
    longest: list[Sentence] = field(default_factory=list)
    # Tables are left out of the counts: their cells are not sentences.
    tables: int = 0

    def as_dict(self) -> dict:
        """A JSON-ready copy (for revision metrics and the admin endpoint)."""
        return asdict(self)


def kandel_moles(*, words: int, sentences: int, syllables: int) -> float:
    """Kandel & Moles' French reading ease for the given counts."""
    return 207 - 1.015 * (words / sentences) - 73.6 * (syllables / words)


@lru_cache(maxsize=1)
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="fr")


def _number_syllables(token: str) -> int:
    value = float(token.replace(",", ".")) if re.search(r"[.,]", token) else int(token)
    spoken = num2words(value, lang="fr")
    return sum(syllables(word) for word in re.split(r"[\s\-]+", spoken) if word)


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Syllables of one word: French hyphenation points + 1 per part.

    Hyphenated and elided words count each part (``l’étude``: the ``l``
    has no vowel and adds nothing); numbers count as read aloud; acronyms
    of up to four letters (AMM, MDA5) are spelled out.
    """
    word = word.strip()
    if not word:
        return 0
    if word[0].isdigit() and re.fullmatch(r"\d+(?:[.,]\d+)?", word):
        return _number_syllables(word)
    if _ACRONYM_RE.match(word) and len(re.sub(r"\d", "", word)) <= 4:
        count = 0
        for match in re.finditer(r"\d+|[A-Z]", word):
            chunk = match.group()
            count += (
                _number_syllables(chunk)
                if chunk.isdigit()
                else _LETTER_SYLLABLES.get(chunk, 1)
            )
        return count
    parts = [p for p in _PART_SPLIT_RE.split(word) if p]
    if len(parts) > 1:
        return sum(syllables(part) for part in parts)
    if not _VOWELS_RE.search(word):
        return 1 if word.isdigit() else 0
    return len(_dictionary().positions(word.lower())) + 1


def words_of(sentence: str) -> list[str]:
    """The words of a sentence (numbers included, punctuation left out)."""
    return WORD_RE.findall(sentence)


def split_sentences(block: str) -> list[str]:
    """Split one paragraph, heading or list item into sentences.

    A block always ends a sentence, stop or not (a heading is one
    sentence). A stop after an abbreviation (« M. », « etc. ») or an
    initial does not.
    """
    block = re.sub(r"\s+", " ", block).strip()
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(block):
        before = block[start : match.start()].split()
        last = before[-1].lower().rstrip(".") if before else ""
        if match.group(1).startswith(".") and (
            last in ABBREVIATIONS or (len(last) == 1 and last.isalpha())
        ):
            continue
        sentence = block[start : match.end()].strip()
        if words_of(sentence):
            sentences.append(sentence)
        start = match.end()
    rest = block[start:].strip()
    if words_of(rest):
        sentences.append(rest)
    return sentences


class _BlockText(HTMLParser):
    """Collects the text of each block element, skipping code and citations;
    a table gives one block per row."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.tables = 0
        self._current: list[str] = []
        self._cells: list[str] | None = None  # inside a table row
        self._skip = 0

    def _flush(self):
        text = "".join(self._current).strip()
        if text:
            self.blocks.append(Block(text))
        self._current = []

    def _end_cell(self):
        text = " ".join("".join(self._current).split())
        if self._cells is not None and text:
            self._cells.append(text)
        self._current = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skip += 1
        elif tag == "table":
            self._flush()
            self.tables += 1
        elif tag == "tr":
            self._flush()
            self._cells = []
        elif tag in _CELLS:
            self._current = []
        elif tag in _BLOCKS:
            self._flush()
        elif tag == "br":
            self._current.append(" ")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _CELLS:
            self._end_cell()
        elif tag == "tr":
            if self._cells:
                self.blocks.append(Block(CELL_SEPARATOR.join(self._cells), True))
            self._cells = None
            self._current = []
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._current.append(data)

    def close(self):
        super().close()
        self._flush()


def _parsed(markdown_text: str) -> _BlockText:
    text = CITATION_RE.sub("", markdown_text or "")
    parser = _BlockText()
    parser.feed(render_markdown(text).html)
    parser.close()
    return parser


def text_blocks(markdown_text: str) -> list[Block]:
    """The blocks of a Markdown body, in order, citations removed."""
    return _parsed(markdown_text).blocks


def plain_blocks(markdown_text: str) -> list[str]:
    """The text of a Markdown body, one string per block (a table: per row)."""
    return [block.text for block in text_blocks(markdown_text)]


def plain_text(markdown_text: str) -> str:
    """The Markdown body made plain: blocks separated by blank lines."""
    return "\n\n".join(plain_blocks(markdown_text))


def analyse(markdown_text: str, *, longest: int = LONGEST_SHOWN) -> Readability:
    """Readability of a French Markdown body; its tables are not prose and
    are left out (a 9-row table is not 54 one-word sentences)."""
    parsed = _parsed(markdown_text)
    sentences = [
        s
        for block in parsed.blocks
        if not block.table_row
        for s in split_sentences(block.text)
    ]
    counted = [(s, words_of(s)) for s in sentences]
    n_words = sum(len(w) for _, w in counted)
    if not n_words:
        return Readability(score=None, tables=parsed.tables)
    n_syllables = sum(syllables(w) for _, words in counted for w in words)
    score = kandel_moles(words=n_words, sentences=len(counted), syllables=n_syllables)
    ranked = sorted(counted, key=lambda item: len(item[1]), reverse=True)[:longest]
    return Readability(
        score=round(score, 1),
        words=n_words,
        sentences=len(counted),
        syllables=n_syllables,
        avg_sentence_length=round(n_words / len(counted), 1),
        longest=[Sentence(text=s, words=len(w)) for s, w in ranked],
        tables=parsed.tables,
    )


def below_target(score: float | None, target: int | None) -> bool:
    """Whether a score misses an audience's target (no target: never)."""
    return target is not None and score is not None and score < target


def verdict(score: float | None, target: int | None) -> str:
    """How a score compares with an audience's target, in words."""
    if target is None:
        return _("pas de cible pour ce public")
    if score is None:
        return _("texte vide")
    if below_target(score, target):
        return _("sous la cible de %(target)s") % {"target": target}
    return _("cible de %(target)s atteinte") % {"target": target}
