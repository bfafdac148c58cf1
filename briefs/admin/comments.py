"""What the review page and the editing page show of paragraph comments."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from ..editorial.actions import open_comments
from ..editorial.review_actions import paragraphs_of
from ..models import ReviewComment, Revision, TextPart, Variant
from ..models.content import LANGUAGE_CODES
from ..text.paragraphs import blocks, blocks_html, find_again

LANGUAGE_NAMES = {"fr": _("Français"), "en": _("Anglais")}


@dataclass
class Paragraph:
    key: str
    part: str
    part_label: str
    language: str
    index: int
    html: SafeString
    comments: list = field(default_factory=list)
    typed: str = ""

    @property
    def number(self) -> int:
        return self.index + 1


def _threads(comments) -> list[ReviewComment]:
    """Top-level comments, each with its answers in ``thread``, oldest first."""
    replies = defaultdict(list)
    top = []
    for comment in comments:
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies[comment.parent_id].append(comment)
    for comment in top:
        comment.thread = replies[comment.pk]
    return top


def review_sections(
    *, variant: Variant, revision: Revision, typed: dict[str, str]
) -> list[dict]:
    """The revision's paragraphs per language, each with its comments."""
    by_place = defaultdict(list)
    for comment in _threads(
        revision.comments.select_related("author", "resolved_by").order_by(
            "created_at", "pk"
        )
    ):
        comment.typed = typed.get(f"c{comment.pk}", "")
        by_place[(comment.part, comment.language, comment.paragraph)].append(comment)
    sections = []
    for lang in LANGUAGE_CODES:
        if not revision.localized("title", lang):
            continue
        paragraphs = []
        for part in (TextPart.TITLE, TextPart.STANDFIRST, TextPart.BODY):
            if part == TextPart.BODY:
                html = blocks_html(revision.localized("body", lang))
            else:
                html = [
                    mark_safe(f"<p>{escape(text)}</p>")  # noqa: S308 (escaped)
                    for text in paragraphs_of(revision, part=part, language=lang)
                ]
            for index, fragment in enumerate(html):
                key = f"{part}-{lang}-{index}"
                paragraphs.append(
                    Paragraph(
                        key=key,
                        part=part,
                        part_label=TextPart(part).label,
                        language=lang,
                        index=index,
                        html=mark_safe(fragment),  # noqa: S308 (sanitized)
                        comments=by_place.get((part, lang, index), []),
                        typed=typed.get(key, ""),
                    )
                )
        sections.append(
            {
                "language": lang,
                "label": LANGUAGE_NAMES[lang],
                "paragraphs": paragraphs,
                # The sources the citations' numbers lead to, as on the page.
                "references": mark_safe(  # noqa: S308 (made by the renderer)
                    revision.localized("references_html", lang)
                ),
            }
        )
    return sections


def open_threads_while_editing(variant: Variant) -> list[ReviewComment]:
    """The open comments on ``variant``, each with its answers and where its
    paragraph is now in the text being edited (``now``: None if it is gone)."""
    opened = list(
        open_comments(variant)
        .select_related("author", "revision")
        .order_by("language", "part", "paragraph", "pk")
    )
    if not opened:
        return []
    answers = defaultdict(list)
    for reply in (
        ReviewComment.objects.filter(parent__in=[c.pk for c in opened])
        .select_related("author")
        .order_by("created_at", "pk")
    ):
        answers[reply.parent_id].append(reply)
    current: dict[tuple[str, str], list[str]] = {}
    for comment in opened:
        place = (comment.part, comment.language)
        if place not in current:
            value = getattr(variant, f"{comment.part}_{comment.language}", "") or ""
            current[place] = blocks(value) if comment.part == TextPart.BODY else [value]
        now = find_again(current[place], comment.quote, comment.paragraph)
        comment.now = None if now is None else now + 1
        comment.thread = answers[comment.pk]
    return opened
