"""Publishing actions: putting an approved revision online, taking it offline."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import ChangeKind, EventAction, ReviewEvent, State, Variant
from . import translations
from .actions import Action, record
from .errors import ConfirmationNeeded, WorkflowError


class Publish(Action):
    """Put the approved revision online now, or schedule it for ``at``."""

    name = EventAction.PUBLISH
    label = gettext_lazy("Publier")
    permission = "briefs.publish_variant"
    decides_revision = True
    options = ("at",)

    def rules(self, *, variant: Variant, user, **options) -> None:
        revision = variant.latest_revision
        if revision is None or revision.approved_at is None:
            raise WorkflowError(_("Cette révision n'a pas été approuvée."))

    def execute(self, *, variant: Variant, user, comment: str, at=None, **options):
        if at is not None and at > timezone.now():
            variant.scheduled_at = at
            note = _("Publication programmée le %(date)s.") % {
                "date": date_format(timezone.localtime(at), "DATETIME_FORMAT")
            }
            return record(
                variant=variant,
                user=user,
                action=EventAction.SCHEDULE,
                from_state=variant.state,
                revision=variant.latest_revision,
                comment=f"{note} {comment}".strip(),
            )
        return go_live(variant=variant, user=user, comment=comment)


def go_live(
    *, variant: Variant, user, comment: str, now: dt.datetime | None = None
) -> ReviewEvent:
    """Make the approved revision the live one (a publication, or its time come)."""
    now = now or timezone.now()
    from_state = variant.state
    revision = variant.latest_revision
    variant.live_revision = revision
    variant.live_languages = " ".join(revision.languages)
    variant.live_translation_dated = (
        translations.translation_date(revision) if revision.has_language("en") else None
    )
    variant.scheduled_at = None
    variant.withdrawn_at = None
    variant.corrections = with_correction(variant, revision, now)
    variant.first_published_at = variant.first_published_at or now
    variant.last_published_at = now
    variant.last_reviewed_at = revision.approved_at
    variant.review_due_at = add_months(
        revision.approved_at, variant.audience.review_period_months
    )
    variant.publish()
    return record(
        variant=variant,
        user=user,
        action=EventAction.PUBLISH,
        from_state=from_state,
        revision=revision,
        comment=comment,
    )


def with_correction(variant: Variant, revision, now: dt.datetime) -> list[dict]:
    """The page's public record of corrections, with ``revision``'s if it
    corrects the substance of a text readers have seen (minor ones stay
    silent). The note is the editor's, in French: the only language it is
    written in; the English page says so."""
    corrections = list(variant.corrections or [])
    if (
        variant.first_published_at is not None
        and revision.change_kind == ChangeKind.SUBSTANCE
        and revision.change_note.strip()
        and all(c.get("revision") != revision.number for c in corrections)
    ):
        corrections.insert(
            0,
            {
                "date": now.isoformat(),
                "note_fr": revision.change_note.strip(),
                "revision": revision.number,
            },
        )
    return corrections


def add_months(moment: dt.datetime, months: int) -> dt.datetime:
    """``moment`` ``months`` later, on the same day or the month's last."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise ValueError(moment)  # pragma: no cover - day 28 always exists


class Unpublish(Action):
    """Take the live revision offline; its public URLs then answer 410.

    Work pending on the variant (a draft, a revision in review or approved)
    keeps its state; since unpublishing does not decide on it, the person
    must ``confirm`` having read what becomes of it, which the history keeps.
    """

    name = EventAction.UNPUBLISH
    label = gettext_lazy("Dépublier")
    permission = "briefs.publish_variant"
    options = ("confirm",)

    def rules(self, *, variant: Variant, user, confirm: bool = False, **options):
        consequences = unpublish_consequences(variant)
        if consequences and not confirm:
            raise ConfirmationNeeded(consequences)

    def offered(self, *, variant: Variant, user) -> bool:
        try:
            self.check(variant=variant, user=user, comment="-", confirm=True)
        except WorkflowError:
            return False
        return True

    def execute(self, *, variant: Variant, user, comment: str, **options):
        consequences = unpublish_consequences(variant)
        from_state = variant.state
        revision = variant.live_revision
        variant.unpublish()
        variant.live_revision = None
        variant.live_languages = ""
        variant.scheduled_at = None
        variant.withdrawn_at = timezone.now()
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=from_state,
            revision=revision,
            comment="\n".join(part for part in (comment, consequences) if part),
        )


def unpublish_consequences(variant: Variant) -> str:
    """What unpublishing does to the work pending on ``variant`` ("" if none)."""
    pending = variant.latest_revision
    if variant.state == State.IN_REVIEW:
        return _(
            "La révision %(n)s, en relecture, y reste : une fois approuvée puis "
            "publiée, elle remettra la page en ligne."
        ) % {"n": pending.number}
    if variant.state == State.APPROVED:
        text = _(
            "La révision %(n)s, approuvée, n'est pas mise en ligne ; elle pourra "
            "être publiée ensuite."
        ) % {"n": pending.number}
        if variant.scheduled_at:
            text += " " + _("Sa publication programmée le %(date)s est annulée.") % {
                "date": date_format(
                    timezone.localtime(variant.scheduled_at), "DATETIME_FORMAT"
                )
            }
        return text
    if variant.state in (State.DRAFT, State.CHANGES_REQUESTED):
        return _(
            "Le texte en cours de modification reste un brouillon ; il pourra être "
            "soumis à relecture ensuite."
        )
    return ""


class Certify(Action):
    """A reviewer certifies that the live text is still accurate, unchanged.

    The periodic review: the last review date and the review due date move,
    the public page's "last reviewed" date with them, and the history says
    who certified which revision.
    """

    name = EventAction.CERTIFY
    label = gettext_lazy("Relu, toujours exact")
    permission = "briefs.review_variant"

    def check_state(self, *, variant: Variant) -> None:
        if not variant.is_live:
            raise WorkflowError(
                _("Ce texte n'est pas en ligne : il n'y a rien à certifier.")
            )

    def rules(self, *, variant: Variant, user, **options) -> None:
        live = variant.live_revision
        if user.pk in (variant.author_id, live.created_by_id):
            raise WorkflowError(
                _(
                    "Vous ne pouvez pas certifier un texte que vous avez écrit : "
                    "un autre relecteur le relit."
                )
            )

    def execute(self, *, variant: Variant, user, comment: str, **options):
        now = timezone.now()
        variant.last_reviewed_at = now
        variant.review_due_at = add_months(now, variant.audience.review_period_months)
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=variant.state,
            revision=variant.live_revision,
            comment=comment,
        )


class WithdrawTranslation(Action):
    """A chief editor takes the English page offline, the French staying."""

    name = EventAction.WITHDRAW_TRANSLATION
    label = gettext_lazy("Retirer la page anglaise")
    permission = "briefs.publish_variant"
    comment_required = True

    def check_state(self, *, variant: Variant) -> None:
        translations.check_english_live(variant)
        if not variant.is_live_in("fr"):
            raise WorkflowError(
                _("Sans page française en ligne, dépubliez plutôt le texte.")
            )

    def execute(self, *, variant: Variant, user, comment: str, **options):
        variant.live_languages = " ".join(
            lang for lang in variant.live_languages.split() if lang != "en"
        )
        return record(
            variant=variant,
            user=user,
            action=self.name,
            from_state=variant.state,
            revision=variant.live_revision,
            comment=comment,
        )
