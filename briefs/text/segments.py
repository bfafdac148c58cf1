"""A Markdown text cut into the segments a translator translates, and put back.

A segment is the text of one paragraph, heading, list item or table cell,
in the words of a sentence; its Markdown markup (citations ``[@key]``,
emphasis, links, code, the structural prefixes such as ``## `` or ``- ``)
is kept as *tags*, which a translation tool shows as tags and a translator
moves but does not type. The *skeleton* is the rest of the text (the blank
lines between blocks, the table's pipes and rule, code blocks): with the
segments' translations it rebuilds the translated Markdown.

Segment ids are stable and say where a segment is: ``body-3`` (the third
block), ``body-5-item-2`` (the second item of the list that is the fifth
block), ``body-7-cell-2-1`` (row 2, column 1 of a table; row 1 is the
header). Pure functions of text: no database access.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .markdown import CITATION_RE, citation_keys

PH, BPT, EPT = "ph", "bpt", "ept"
# What each tag stands for (XLIFF 1.2's ctype attribute).
CITATION, CODE, PREFIX, LINE = "x-citation", "x-code", "x-markdown-prefix", "lb"
LINK, IMAGE, AUTOLINK = "link", "x-image", "x-link"
EMPHASIS = {1: "italic", 2: "bold", 3: "x-bold-italic"}
# Tags that give a line its place in the block: where they are is the structure.
STRUCTURAL = frozenset({PREFIX, LINE})


@dataclass(frozen=True)
class Tag:
    """Markup a translator keeps: ``markup`` is the Markdown it stands for.

    A ``ph`` stands alone; a ``bpt`` opens and the ``ept`` of the same id
    closes (bold, italic, a link's text).
    """

    id: str
    kind: str
    markup: str
    role: str


Part = str | Tag


@dataclass(frozen=True)
class Segment:
    """One unit of translation: its id and its text, as words and tags."""

    id: str
    parts: tuple[Part, ...]

    @property
    def tags(self) -> tuple[Tag, ...]:
        return tuple(p for p in self.parts if isinstance(p, Tag))

    @property
    def words(self) -> str:
        """The segment's text without its tags."""
        return "".join(p for p in self.parts if isinstance(p, str))

    def markdown(self) -> str:
        """The segment as Markdown: its words with the markup of its tags."""
        return "".join(p if isinstance(p, str) else p.markup for p in self.parts)


@dataclass(frozen=True)
class Slot:
    """The place of segment ``id`` in a skeleton."""

    id: str


@dataclass(frozen=True)
class Split:
    """A text's segments and the skeleton that puts their translations back."""

    segments: tuple[Segment, ...]
    skeleton: tuple[str | Slot, ...]

    def ids(self) -> list[str]:
        return [s.id for s in self.segments]


# Blocks ----------------------------------------------------------------------

_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_TABLE_RULE = re.compile(
    r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$"
)
_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
# Whatever starts a line before its words: indentation, quotation marks, a
# list marker, a heading's hashes.
_LINE_PREFIX = re.compile(
    r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$))?(?:#{1,6}(?:[ \t]+|$))?"
)
_SETEXT = re.compile(r"^[ \t]*(?:=+|-+)[ \t]*$")
_INDENTED = re.compile(r"^(?: {4}|\t)")


def blocks(text: str) -> list[list[str]]:
    """The blocks of ``text`` (as in briefs.text.paragraphs), each as its lines,
    trailing spaces kept (two of them end a line with a break)."""
    found: list[list[str]] = []
    current: list[str] = []
    fenced = False
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if not line.strip() and not fenced:
            if current:
                found.append(current)
                current = []
            continue
        current.append(line)
    if current:
        found.append(current)
    return found


def split_plain(id: str, text: str) -> Split:
    """A text without Markdown (a title, a standfirst) as one segment."""
    text = (text or "").strip()
    if not text:
        return Split(segments=(), skeleton=())
    return Split(segments=(Segment(id, (text,)),), skeleton=(Slot(id),))


def split_markdown(text: str, *, prefix: str = "body") -> Split:
    """Cut a Markdown body into its segments and skeleton."""
    segments: list[Segment] = []
    skeleton: list[str | Slot] = []
    after_list = False
    for number, lines in enumerate(blocks(text), 1):
        if number > 1:
            skeleton.append("\n\n")
        block_id = f"{prefix}-{number}"
        first = lines[0]
        if _FENCE.match(first) or (len(lines) == 1 and _RULE.match(first)):
            skeleton.append("\n".join(lines))
        elif len(lines) >= 2 and "|" in first and _TABLE_RULE.match(lines[1]):
            _table(block_id, lines, segments, skeleton)
        elif _ITEM.match(first):
            _list(block_id, lines, segments, skeleton)
            after_list = True
            continue
        elif not after_list and all(_INDENTED.match(line) for line in lines):
            # An indented code block: code, not words.
            skeleton.append("\n".join(lines))
        else:
            _place(Segment(block_id, tuple(_lines_parts(lines))), segments, skeleton)
            # A paragraph indented under a list item still belongs to the list.
            if after_list and _INDENTED.match(first):
                continue
        after_list = False
    return Split(segments=tuple(segments), skeleton=tuple(skeleton))


def _place(segment: Segment, segments: list, skeleton: list) -> None:
    """A segment with words goes to the translator; markup alone stays put."""
    if segment.words.strip():
        segments.append(segment)
        skeleton.append(Slot(segment.id))
    else:
        skeleton.append(segment.markdown())


def _lines_parts(lines: list[str]) -> list[Part]:
    """The parts of a block's lines: each line's prefix and its break are tags."""
    raw: list[tuple[str, str] | str] = []
    previous_trailing = ""
    for index, line in enumerate(lines):
        prefix = _LINE_PREFIX.match(line).group(0)
        content = line[len(prefix) :]
        trailing = content[len(content.rstrip()) :]
        content = content.rstrip()
        if index == 0:
            if prefix:
                raw.append((PREFIX, prefix))
        elif _SETEXT.match(line):
            raw.append((LINE, previous_trailing + "\n" + line))
            previous_trailing = ""
            continue
        else:
            raw.append((LINE, previous_trailing + "\n" + prefix))
        previous_trailing = trailing
        raw.append(content)
    return _numbered(raw)


def _list(block_id: str, lines: list[str], segments: list, skeleton: list) -> None:
    items: list[list[str]] = []
    for line in lines:
        if _ITEM.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    for number, item in enumerate(items, 1):
        if number > 1:
            skeleton.append("\n")
        _place(
            Segment(f"{block_id}-item-{number}", tuple(_lines_parts(item))),
            segments,
            skeleton,
        )


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Where ``text``'s code spans are: a run of backticks closed by the same run."""
    spans, runs = [], list(_BACKTICKS.finditer(text))
    index = 0
    while index < len(runs):
        run = runs[index]
        close = next(
            (
                later
                for later in range(index + 1, len(runs))
                if len(runs[later].group(0)) == len(run.group(0))
            ),
            None,
        )
        if close is None:
            index += 1
            continue
        spans.append((run.start(), runs[close].end()))
        index = close + 1
    return spans


def _cells(line: str) -> list[str]:
    """A table row's cells, split on the pipes outside code and escapes."""
    row = line.strip()
    inside = set()
    for start, end in _code_spans(row):
        inside.update(range(start, end))
    cells, current, i = [], [], 0
    while i < len(row):
        char = row[i]
        if char == "\\" and i + 1 < len(row):
            current.append(row[i : i + 2])
            i += 2
            continue
        if char == "|" and i not in inside:
            cells.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    cells.append("".join(current))
    if row.startswith("|"):
        cells = cells[1:]
    if row.endswith("|") and not row.endswith("\\|") and cells:
        cells = cells[:-1]
    return [cell.strip() for cell in cells]


def _table(block_id: str, lines: list[str], segments: list, skeleton: list) -> None:
    rows = [lines[0], *lines[2:]]
    for number, line in enumerate(rows, 1):
        if number == 2:
            skeleton.append("\n" + lines[1].strip())
        if number > 1:
            skeleton.append("\n")
        skeleton.append("|")
        for column, cell in enumerate(_cells(line), 1):
            skeleton.append(" ")
            cell_id = f"{block_id}-cell-{number}-{column}"
            _place(Segment(cell_id, tuple(_numbered([cell]))), segments, skeleton)
            skeleton.append(" |")
    if len(rows) == 1:
        skeleton.append("\n" + lines[1].strip())


# Inline markup -----------------------------------------------------------------

_ESCAPABLE = frozenset("\\`*_{}[]()#+-.!|>~")
_AUTOLINK = re.compile(r"<(?:https?://|mailto:)[^<>\s]+>")
_BACKTICKS = re.compile(r"`+")


def _numbered(raw: Iterable[tuple[str, str] | str]) -> list[Part]:
    """Parts with their tags numbered 1, 2, ... in order; a pair shares its id."""
    parts: list[Part] = []
    counter = 0
    for item in raw:
        if isinstance(item, tuple):
            counter += 1
            parts.append(Tag(str(counter), PH, item[1], item[0]))
            continue
        for token in _inline(item):
            if isinstance(token, str):
                if parts and isinstance(parts[-1], str):
                    parts[-1] += token
                elif token:
                    parts.append(token)
                continue
            kind, markup, role, pair = token
            if kind == EPT:
                parts.append(Tag(pair.id, EPT, markup, role))
                continue
            counter += 1
            tag = Tag(str(counter), kind, markup, role)
            if kind == BPT:
                pair.id = tag.id
            parts.append(tag)
    return parts


class _Pair:
    """Links an opening tag to its closing one while they are being found."""

    id = ""


def _matches(text: str, opening: str, closing: str) -> dict[int, int]:
    """Where each ``opening`` bracket of ``text`` is closed (one linear pass)."""
    found, stack, i = {}, [], 0
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char == opening:
            stack.append(i)
        elif char == closing and stack:
            found[stack.pop()] = i
        i += 1
    return found


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the run of ``*`` or ``_`` at ``text[start:end]`` may open, close."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "

    def punct(c: str) -> bool:
        return not c.isalnum() and not c.isspace()

    left = not after.isspace() and (
        not punct(after) or before.isspace() or punct(before)
    )
    right = not before.isspace() and (
        not punct(before) or after.isspace() or punct(after)
    )
    if text[start] == "_":
        return left and (not right or punct(before)), right and (
            not left or punct(after)
        )
    return left, right


def _inline(text: str) -> list:
    """Tokens of a line: strings of words, and (kind, markup, role, pair) tags."""
    tokens: list = []
    words: list[str] = []
    brackets = _matches(text, "[", "]")
    parens = _matches(text, "(", ")")
    runs: dict[int, list[int]] = {}
    for m in _BACKTICKS.finditer(text):
        runs.setdefault(len(m.group(0)), []).append(m.start())
    closing: dict[int, tuple[int, str, _Pair, int]] = {}
    stack: list[tuple[int, str, int, _Pair]] = []  # token index, char, length

    def emit(token) -> None:
        if words:
            tokens.append("".join(words))
            words.clear()
        tokens.append(token)

    def unpair(from_index: int) -> None:
        # An opening never closed is no markup: Markdown shows it as it is.
        while stack and stack[-1][0] >= from_index:
            index = stack.pop()[0]
            tokens[index] = tokens[index][1]

    i = 0
    while i < len(text):
        if i in closing:
            end, markup, pair, opened = closing.pop(i)
            unpair(opened + 1)
            emit((EPT, markup, tokens[opened][2], pair))
            i = end
            continue
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _ESCAPABLE:
            words.append(text[i : i + 2])
            i += 2
            continue
        if char == "`":
            length = len(_BACKTICKS.match(text, i).group(0))
            positions = runs.get(length, [])
            after = bisect.bisect_right(positions, i)
            if after < len(positions):
                end = positions[after] + length
                emit((PH, text[i:end], CODE, None))
                i = end
                continue
            words.append(text[i : i + length])
            i += length
            continue
        if char == "<" and (m := _AUTOLINK.match(text, i)):
            emit((PH, m.group(0), AUTOLINK, None))
            i = m.end()
            continue
        if char == "[" and (m := CITATION_RE.match(text, i)):
            emit((PH, m.group(0), CITATION, None))
            i = m.end()
            continue
        opener = 2 if text.startswith("![", i) else 1 if char == "[" else 0
        if opener:
            start = i + opener - 1
            close = brackets.get(start)
            end = None
            if close is not None and close + 1 < len(text):
                follow = text[close + 1]
                if follow == "(" and close + 1 in parens:
                    end = parens[close + 1] + 1
                elif follow == "[" and close + 1 in brackets:
                    end = brackets[close + 1] + 1
            if end is not None and not any(start < c < end for c in closing):
                pair = _Pair()
                emit((BPT, text[i : start + 1], IMAGE if opener == 2 else LINK, pair))
                closing[close] = (end, text[close:end], pair, len(tokens) - 1)
                i = start + 1
                continue
        if char in "*_":
            end = i
            while end < len(text) and text[end] == char:
                end += 1
            length = end - i
            can_open, can_close = _flanking(text, i, end)
            if can_close:
                found = next(
                    (
                        depth
                        for depth in range(len(stack) - 1, -1, -1)
                        if stack[depth][1] == char and stack[depth][2] == length
                    ),
                    None,
                )
                if found is not None:
                    index, _char, _length, pair = stack[found]
                    unpair(index + 1)
                    stack.pop()
                    emit((EPT, text[i:end], EMPHASIS.get(length, "x-emphasis"), pair))
                    i = end
                    continue
            if can_open or can_close:
                pair = _Pair()
                emit((BPT, text[i:end], EMPHASIS.get(length, "x-emphasis"), pair))
                stack.append((len(tokens) - 1, char, length, pair))
                i = end
                continue
            words.append(text[i:end])
            i = end
            continue
        words.append(char)
        i += 1
    unpair(0)
    for _end, _markup, _pair, opened in closing.values():
        # A link whose end was inside code or a citation is no link.
        tokens[opened] = tokens[opened][1]
    if words:
        tokens.append("".join(words))
    return tokens


# Putting translations back ------------------------------------------------------


def rebuild(skeleton: Iterable[str | Slot], texts: Mapping[str, str]) -> str:
    """The skeleton with each slot replaced by its text's Markdown."""
    return "".join(
        texts[piece.id] if isinstance(piece, Slot) else piece for piece in skeleton
    )


def fingerprint(splits: Iterable[Split]) -> str:
    """A hash of the segments and skeletons: the same text, the same hash."""
    data = [
        {
            "skeleton": [
                {"slot": p.id} if isinstance(p, Slot) else p for p in split.skeleton
            ],
            "segments": [[s.id, s.markdown()] for s in split.segments],
        }
        for split in splits
    ]
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def skeleton_to_data(skeleton: Iterable[str | Slot]) -> list:
    """The skeleton as JSON data: strings, and ``{"slot": id}``."""
    return [{"slot": p.id} if isinstance(p, Slot) else p for p in skeleton]


def skeleton_from_data(data) -> tuple[str | Slot, ...] | None:
    """The skeleton written by :func:`skeleton_to_data`, or ``None`` if it is not one."""
    if not isinstance(data, list):
        return None
    pieces: list[str | Slot] = []
    for item in data:
        if isinstance(item, str):
            pieces.append(item)
        elif (
            isinstance(item, dict)
            and set(item) == {"slot"}
            and isinstance(item["slot"], str)
        ):
            pieces.append(Slot(item["slot"]))
        else:
            return None
    return tuple(pieces)


def adopt_tags(source: Segment, other: Segment) -> Segment | None:
    """``other`` (the same place in another language) with the tag ids of
    ``source``, if it has the same tags in the same order; else ``None``."""
    theirs, ours = other.tags, source.tags
    if [(t.kind, t.markup) for t in theirs] != [(t.kind, t.markup) for t in ours]:
        return None
    renamed = dict(zip((t.id for t in theirs), (t.id for t in ours), strict=True))
    return Segment(
        source.id,
        tuple(
            p if isinstance(p, str) else Tag(renamed[p.id], p.kind, p.markup, p.role)
            for p in other.parts
        ),
    )


def cited(segment: Segment) -> list[str]:
    """The citation keys a segment's Markdown cites, in order."""
    return citation_keys(segment.markdown())
