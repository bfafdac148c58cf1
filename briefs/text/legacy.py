"""Parse legacy plain-text briefs (text extracted from a PDF) into Markdown.

A file holds a "Brève AFM" part and a "Brève AIM" part. In each, the lines
before the first blank line are the title (up to the first short line) and the
standfirst; the rest is the body. Lines broken by the extraction are joined
again, words cut at a line end are mended, "- " lines become a Markdown list
and a short line standing alone becomes a ``##`` subheading.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

MARKER_RE = re.compile(r"^\s*Br[èeé]ve\s+(AFM|AIM)\s*$", re.IGNORECASE)
LIST_ITEM_RE = re.compile(r"^\s*[-•–]\s+(?=\S)")
TERMINAL = tuple(".!?:;…")
# Words that start a hyphenated compound when cut at the end of a line
# ("Dix-/huit" is "Dix-huit"); other cut words are joined ("immuno-/suppresseur").
COMPOUND_HEADS = {
    "dix", "vingt", "trente", "quarante", "cinquante", "soixante", "quatre",
    "cent", "peut", "est", "sud", "nord", "non", "après", "avant", "arrière",
    "demi", "mi", "semi", "ex", "vice", "grand", "grande", "petit", "petite",
    "chef", "porte", "sans", "sous", "hors", "bien", "mal", "court", "long",
    "c'est", "lui", "elle", "eux", "moi", "toi", "ci", "là", "au", "belle",
    "beau", "franco", "gréco", "anglo", "italo", "germano", "extra", "ultra",
    "post", "pré", "pro", "anti", "auto", "inter", "intra", "multi", "pluri",
}  # fmt: skip


class LegacyFormatError(ValueError):
    """The file does not have the expected shape; ``line`` says where."""

    def __init__(self, line: int, message: str):
        super().__init__(f"ligne {line} : {message}")
        self.line = line
        self.message = message


@dataclass
class LegacyVariant:
    """One audience's text, converted to Markdown."""

    audience: str
    title: str
    standfirst: str
    body: str
    line: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _Line:
    number: int
    text: str


def parse_legacy_brief(text: str) -> dict[str, LegacyVariant]:
    """Return ``{"afm": ..., "aim": ...}`` parsed from a legacy text."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [
        _Line(i, line.replace("\u00a0", " ").replace("\f", "").rstrip())
        for i, line in enumerate(raw_lines, start=1)
    ]
    markers = [(ln, MARKER_RE.match(ln.text)) for ln in lines]
    markers = [(ln, m.group(1).lower()) for ln, m in markers if m]
    seen: dict[str, int] = {}
    for ln, code in markers:
        if code in seen:
            raise LegacyFormatError(
                ln.number,
                f"deuxième « Brève {code.upper()} » (la première est ligne {seen[code]}).",
            )
        seen[code] = ln.number
    for code in ("afm", "aim"):
        if code not in seen:
            raise LegacyFormatError(
                len(lines), f"aucune ligne « Brève {code.upper()} » dans le fichier."
            )
    first = min(seen.values())
    stray = next((ln for ln in lines[: first - 1] if ln.text.strip()), None)
    if stray is not None:
        raise LegacyFormatError(
            stray.number, "du texte précède la première ligne « Brève AFM/AIM »."
        )
    width = _full_width(lines)
    result = {}
    for index, (marker, code) in enumerate(markers):
        end = (
            markers[index + 1][0].number - 1 if index + 1 < len(markers) else len(lines)
        )
        section = lines[marker.number : end]
        result[code] = _parse_section(code, marker.number, section, width)
    return result


@dataclass(frozen=True)
class _Width:
    typical: int  # a full line, ignoring the few longest
    longest: int


def _full_width(lines: list[_Line]) -> _Width:
    lengths = sorted(len(ln.text) for ln in lines if len(ln.text.strip()) > 20)
    if not lengths:
        return _Width(80, 80)
    typical = (
        int(statistics.quantiles(lengths, n=10)[-1]) if len(lengths) > 1 else lengths[0]
    )
    return _Width(typical, lengths[-1])


def _is_short(line: str, width: _Width) -> bool:
    return len(line) < 0.8 * width.typical


def _blocks(section: list[_Line]) -> list[list[_Line]]:
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for ln in section:
        if ln.text.strip():
            current.append(ln)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _ends_paragraph(line: str, following: str | None, width: _Width) -> bool:
    """Whether ``line`` is the last of its paragraph or list item.

    A short line ends its paragraph when it closes a sentence or the next line
    starts one. A longer line closing a sentence ends it too when the next
    line's first word would have fitted on it: the break was the author's.
    """
    if following is None or LIST_ITEM_RE.match(following):
        return True
    stripped = line.strip()
    next_word = following.split()[0] if following.split() else ""
    starts_sentence = next_word[:1].isupper() or next_word[:1] in '«"“'
    if _is_short(line, width):
        return stripped.endswith(TERMINAL) or starts_sentence
    return (
        stripped.endswith((".", "!", "?", "…"))
        and starts_sentence
        and len(line.rstrip()) + 1 + len(next_word) <= width.longest
    )


def _split(block: list[_Line], width: _Width) -> list[list[_Line]]:
    parts: list[list[_Line]] = []
    current: list[_Line] = []
    for i, ln in enumerate(block):
        current.append(ln)
        following = block[i + 1].text if i + 1 < len(block) else None
        if _ends_paragraph(ln.text, following, width):
            parts.append(current)
            current = []
    if current:
        parts.append(current)
    return parts


def _join(lines: list[str], vocabulary: set[str]) -> str:
    text = ""
    for line in (ln.strip() for ln in lines):
        if not text:
            text = line
        elif re.search(r"\w-$", text):
            text = _mend_cut_word(text, line, vocabulary)
        else:
            text = f"{text} {line}"
    return re.sub(r"\s+", " ", text).strip()


def _mend_cut_word(text: str, line: str, vocabulary: set[str]) -> str:
    head = re.search(r"([\w'’]+)-$", text).group(1)
    tail = re.match(r"[\w'’]*", line).group(0)
    joined, hyphenated = f"{head}{tail}".lower(), f"{head}-{tail}".lower()
    keep_hyphen = (
        not tail[:1].islower()
        or hyphenated in vocabulary
        or (
            joined not in vocabulary
            and head.lower().replace("’", "'") in COMPOUND_HEADS
        )
    )
    return f"{text}{line}" if keep_hyphen else f"{text[:-1]}{line}"


def _vocabulary(lines: list[_Line]) -> set[str]:
    words: set[str] = set()
    for ln in lines:
        words.update(w.lower() for w in re.findall(r"[\w’']+(?:-[\w’']+)*", ln.text))
    return words


def _parse_section(
    code: str, marker_line: int, section: list[_Line], width: _Width
) -> LegacyVariant:
    blocks = _blocks(section)
    if not blocks:
        raise LegacyFormatError(marker_line, f"la brève {code.upper()} est vide.")
    vocabulary = _vocabulary(section)
    header = _split(blocks[0], width)
    title = _join([ln.text for ln in header[0]], vocabulary).rstrip(" .")
    standfirst = " ".join(
        _join([ln.text for ln in part], vocabulary) for part in header[1:]
    )
    if not title:
        raise LegacyFormatError(blocks[0][0].number, "titre vide.")
    if len(title) > 300:
        raise LegacyFormatError(
            blocks[0][0].number,
            f"titre de {len(title)} caractères (300 au plus) : une ligne vide manque-t-elle après le titre ?",
        )
    markdown_blocks: list[str] = []
    paragraphs: list[str] = []
    for block in blocks[1:]:
        if len(block) == 1 and _is_heading(block[0].text, width):
            markdown_blocks.append(f"## {_join([block[0].text], vocabulary)}")
            continue
        items: list[str] = []
        for part in _split(block, width):
            first_line = part[0].text
            if LIST_ITEM_RE.match(first_line):
                texts = [LIST_ITEM_RE.sub("", first_line)] + [
                    ln.text for ln in part[1:]
                ]
                items.append(f"- {_join(texts, vocabulary)}")
                continue
            if items:
                markdown_blocks.append("\n".join(items))
                items = []
            paragraph = _join([ln.text for ln in part], vocabulary)
            paragraphs.append(paragraph)
            markdown_blocks.append(paragraph)
        if items:
            markdown_blocks.append("\n".join(items))
    if not markdown_blocks:
        raise LegacyFormatError(
            blocks[0][-1].number,
            f"la brève {code.upper()} n'a pas de texte après son titre.",
        )
    return LegacyVariant(
        audience=code,
        title=title,
        standfirst=standfirst,
        body="\n\n".join(markdown_blocks) + "\n",
        line=marker_line,
        paragraphs=paragraphs,
    )


def _is_heading(line: str, width: _Width) -> bool:
    stripped = line.strip()
    return (
        _is_short(line, width)
        and len(stripped) <= 100
        and not stripped.endswith(TERMINAL + (",",))
        and not LIST_ITEM_RE.match(line)
        and stripped[:1].isupper()
    )
