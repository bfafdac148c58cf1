"""Making revisions: the immutable, pre-rendered snapshots of a variant.

The text functions (briefs.text) are pure; this module gives them what they
work on: the variant's text, the cited sources, the glossary.
"""

from __future__ import annotations

import re

from django.db.models import Max
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..models import (
    Audience,
    ChangeKind,
    Citation,
    GlossaryTerm,
    Revision,
    Source,
    Variant,
)
from ..models.content import LANGUAGE_CODES
from ..sources.selectors import sources_by_key
from ..text import glossary, jargon, readability
from ..text.markdown import (
    citation_keys,
    complexity_problem,
    render_markdown,
    render_references,
    sanitize,
)
from ..text.references import reference_entries, snapshot, unknown_keys_message
from . import figure_checks

OFF_LABEL_RE = re.compile(r"(?<!\w)hors[\s\u00a0]+(?:AMM|autorisation)", re.IGNORECASE)


def _sources_for(variant: Variant) -> dict[str, Source]:
    keys: set[str] = set()
    for lang in LANGUAGE_CODES:
        keys.update(citation_keys(getattr(variant, f"body_{lang}", "") or ""))
    return sources_by_key(keys)


def glossary_entries(lang: str) -> list[glossary.Entry]:
    """The glossary in ``lang``, as the text functions take it."""
    return glossary.entries(lang, GlossaryTerm.objects.all())


def submission_problems(variant: Variant) -> list[str]:
    """What keeps ``variant`` from being submitted, one sentence each."""
    problems = []
    if not (variant.title_fr or "").strip():
        problems.append(_("Le titre en français est obligatoire."))
    if not (variant.body_fr or "").strip():
        problems.append(_("Le texte en français est obligatoire."))
    if (variant.body_en or "").strip() and not (variant.title_en or "").strip():
        problems.append(_("Le texte anglais n'a pas de titre anglais."))
    sources = _sources_for(variant)
    cited = False
    for lang in LANGUAGE_CODES:
        rendered = render_markdown(
            getattr(variant, f"body_{lang}", "") or "", known_keys=sources
        )
        cited = cited or bool(rendered.cited_keys)
        if rendered.unknown_keys:
            problems.append(
                _("Texte %(lang)s : %(problem)s")
                % {
                    "lang": lang,
                    "problem": unknown_keys_message(rendered.unknown_keys),
                }
            )
    if not cited and not any(p for p in problems if "[@" in p):
        problems.append(
            _(
                "Le texte ne cite aucune source : citez au moins une source "
                "sous la forme [@clé] avant de le soumettre."
            )
        )
    return problems


def make_revision(
    *,
    variant: Variant,
    user,
    change_kind: str = ChangeKind.FIRST,
    change_note: str = "",
    translated_from: Revision | None = None,
) -> Revision:
    """Snapshot ``variant`` now: text, rendered HTML, cited sources, and what
    kind of change it is to a text readers have seen."""
    sources = _sources_for(variant)
    fields: dict = {}
    cited_order: list[str] = []
    terms = list(GlossaryTerm.objects.all()) if variant.audience.is_patient else []
    for lang in LANGUAGE_CODES:
        body = getattr(variant, f"body_{lang}", "") or ""
        rendered = render_markdown(body, known_keys=sources)
        if terms:
            # Patient pages define each glossary term at its first use.
            rendered.html = sanitize(
                glossary.mark_first_uses(rendered.html, glossary.entries(lang, terms))
            )
        entries = reference_entries(
            [sources[key] for key in rendered.cited_keys], uses=rendered.uses
        )
        fields[f"title_{lang}"] = (getattr(variant, f"title_{lang}", "") or "").strip()
        fields[f"standfirst_{lang}"] = (
            getattr(variant, f"standfirst_{lang}", "") or ""
        ).strip()
        fields[f"body_{lang}"] = body
        fields[f"body_html_{lang}"] = rendered.html if body.strip() else ""
        with translation.override(lang):
            # The back-links' labels are in the page's language.
            fields[f"references_html_{lang}"] = render_references(entries)
        if lang == "fr":
            cited_order = rendered.cited_keys
    for key in (k for k in sources if k not in cited_order):
        cited_order.append(key)
    number = (variant.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = Revision.objects.create(
        variant=variant,
        number=number,
        created_by=user,
        sources=[
            snapshot(sources[key], number=i) for i, key in enumerate(cited_order, 1)
        ],
        metrics=revision_metrics(variant),
        change_kind=change_kind,
        change_note=change_note,
        translated_from=translated_from if fields.get("body_en") else None,
        **fields,
    )
    Citation.objects.bulk_create(
        Citation(revision=revision, source=sources[key], number=i)
        for i, key in enumerate(cited_order, 1)
    )
    return revision


def revision_metrics(variant: Variant) -> dict:
    """Indicators stored with a revision: French readability, glossary, jargon."""
    metrics = quality_report(variant.body_fr or "", audience=variant.audience)
    metrics["off_label"] = variant.off_label
    metrics["figures"] = figure_checks.check(variant)
    return metrics


def quality_report(markdown_text: str, *, audience: Audience | None) -> dict:
    """Readability against ``audience``'s target; glossary and jargon for patients."""
    score = readability.analyse(markdown_text)
    target = audience.readability_target if audience is not None else None
    report: dict = {
        "readability": score.as_dict(),
        "readability_target": target,
        "below_target": readability.below_target(score.score, target),
    }
    if audience is None or audience.is_patient:
        text = readability.plain_text(markdown_text)
        entries = glossary_entries("fr")
        report["glossary_terms"] = [e.term for e in glossary.terms_used(text, entries)]
        report["jargon"] = jargon.unexplained_jargon(text, entries)
    return report


def submission_warnings(variant: Variant) -> list[str]:
    """What an editor should know on submitting ``variant``; nothing here blocks it."""
    warnings = []
    target = variant.audience.readability_target
    score = readability.analyse(variant.body_fr or "").score
    if readability.below_target(score, target):
        warnings.append(
            _(
                "Lisibilité %(score)s, sous la cible de %(target)s pour ce public : "
                "raccourcissez les phrases et préférez des mots courts."
            )
            % {"score": score, "target": target}
        )
    if not variant.off_label and OFF_LABEL_RE.search(variant.body_fr or ""):
        warnings.append(
            _(
                "Le texte parle d'un usage hors AMM : cochez « mentionne un usage "
                "hors AMM » pour afficher l'avertissement aux lecteurs."
            )
        )
    return warnings


def markdownify(content: str) -> str:
    """Render an editor's preview exactly as the public page will show it
    (django-markdownx's preview function: MARKDOWNX_MARKDOWNIFY_FUNCTION)."""
    problem = complexity_problem(content)
    if problem:
        return str(format_html('<p class="errornote">{}</p>', problem))
    sources = sources_by_key(citation_keys(content))
    rendered = render_markdown(content, known_keys=sources)
    entries = reference_entries(
        [sources[k] for k in rendered.cited_keys], uses=rendered.uses
    )
    warning = ""
    if rendered.unknown_keys:
        warning = format_html(
            '<p class="errornote">{} {}</p>',
            _("Sources inconnues :"),
            ", ".join(rendered.unknown_keys),
        )
    return str(warning) + rendered.html + render_references(entries)


def baseline(revision: Revision) -> Revision | None:
    """What a revision is compared with: the live one, else the previous one."""
    variant = revision.variant
    if variant.live_revision_id and variant.live_revision_id != revision.pk:
        return variant.live_revision
    return (
        variant.revisions.filter(number__lt=revision.number).order_by("-number").first()
    )
