"""The figure checks of a text, with what they need from the database.

The checks themselves are pure functions of text (briefs.text.figures);
this module gathers their inputs (the other audience's version, the cited
sources' records), stores the result with each revision, and names each
French/English difference so that a reviewer acknowledges it explicitly
before approving.
"""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from ..models import Revision, Source, Variant
from ..text import figures
from ..text.markdown import citation_keys
from .errors import WorkflowError

TEXT_FIELDS = tuple(
    f"{name}_{lang}"
    for name in ("title", "standfirst", "body")
    for lang in figures.LANGUAGES
)


def _texts(source) -> dict[str, str]:
    return {name: getattr(source, name, "") or "" for name in TEXT_FIELDS}


def _other_version(variant: Variant) -> Variant | None:
    if variant.brief_id is None:
        return None
    return (
        Variant.objects.filter(brief_id=variant.brief_id)
        .exclude(pk=variant.pk)
        .only(*TEXT_FIELDS, "brief_id", "audience_id")
        .first()
    )


def _records(*bodies: str) -> list[str]:
    """What the cited sources' records say: titles and notes."""
    keys = {key for body in bodies for key in citation_keys(body)}
    if not keys:
        return []
    return [
        f"{title}\n{note}"
        for title, note in Source.objects.filter(key__in=keys).values_list(
            "title", "note"
        )
    ]


def check(variant: Variant) -> dict:
    """The figure checks of ``variant``'s working copy, against its brief's
    other version and the sources either cites."""
    return check_texts(_texts(variant), variant=variant)


def check_texts(texts: dict[str, str], *, variant: Variant | None) -> dict:
    """The figure checks of ``texts`` (a text being typed, say), written as
    ``variant``'s: against its brief's other version and the sources."""
    texts = {name: texts.get(name, "") or "" for name in TEXT_FIELDS}
    other = _other_version(variant) if variant is not None else None
    other_texts = _texts(other) if other is not None else None
    return figures.report(
        texts,
        other=other_texts,
        records=_records(
            texts["body_fr"], other_texts["body_fr"] if other_texts else ""
        ),
        is_patient=variant is not None and variant.audience.is_patient,
    )


def sections(found: dict) -> list[dict]:
    """A report as headed lists, for the variant page and the live panel."""
    out = []
    if found.get("translation"):
        out.append(
            {
                "heading": _("Français et anglais"),
                "lines": [describe(d) for d in found["translation"]],
                "lang": "",
                "errors": True,
            }
        )
    versions = found.get("versions", {})
    if versions.get("unsupported"):
        out.append(
            {
                "heading": _(
                    "Chiffres de la version patients absents de la version "
                    "professionnels et des sources"
                ),
                "lines": list(versions["unsupported"]),
                "lang": "fr",
            }
        )
    only = [
        _("%(key)s : citée ici seulement") % {"key": key}
        for key in versions.get("only_here", [])
    ] + [
        _("%(key)s : citée par l'autre version seulement") % {"key": key}
        for key in versions.get("only_there", [])
    ]
    if only:
        out.append(
            {
                "heading": _("Sources citées par une seule des deux versions"),
                "lines": only,
                "lang": "",
            }
        )
    for lang, claims in found.get("uncited", {}).items():
        if claims:
            out.append(
                {
                    "heading": _("Phrases chiffrées sans source (%(lang)s)")
                    % {"lang": lang},
                    "lines": list(claims),
                    "lang": lang,
                }
            )
    return out


def of_revision(revision: Revision) -> dict:
    """The checks stored with ``revision`` (made then for older revisions)."""
    stored = (revision.metrics or {}).get("figures")
    if stored is not None:
        return stored
    return figures.report(_texts(revision))


def difference_id(difference: dict) -> str:
    """A short, stable name for one French/English difference."""
    raw = "|".join(
        (difference["kind"], difference["source"], difference["translation"])
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:12]


def differences(revision: Revision) -> list[dict]:
    """The French/English figure differences of ``revision``, each named."""
    return [
        {**difference, "id": difference_id(difference)}
        for difference in of_revision(revision).get("translation", [])
    ]


def describe(difference: dict) -> str:
    """One difference in words, for the reviewer and the audit trail."""
    if difference["kind"] == "missing":
        return _("« %(fr)s » sans équivalent en anglais") % {"fr": difference["source"]}
    if difference["kind"] == "extra":
        return _("« %(en)s » en anglais, absent du français") % {
            "en": difference["translation"]
        }
    return _("« %(fr)s » devenu « %(en)s » en anglais") % {
        "fr": difference["source"],
        "en": difference["translation"],
    }


def check_acknowledged(revision: Revision, acknowledged) -> list[dict]:
    """Refuse an approval that leaves a difference unacknowledged; return the
    differences acknowledged, for the audit trail."""
    found = differences(revision)
    seen = set(acknowledged or ())
    left = [d for d in found if d["id"] not in seen]
    if left:
        raise WorkflowError(
            _(
                "Les chiffres du français et de l'anglais diffèrent : %(list)s. "
                "Cochez chaque différence vérifiée pour approuver."
            )
            % {"list": " ; ".join(describe(d) for d in left)}
        )
    return found
