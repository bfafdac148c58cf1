"""Readers' feedback: receiving it from a public page, and a report of an
error opening a correction in the back office."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..http import parse_int
from ..models import EventAction, FeedbackKind, ReaderFeedback, Variant
from ..models.content import LANGUAGE_CODES
from ..models.feedback import MESSAGE_MAX_LENGTH
from .actions import Action, note
from .errors import WorkflowError


class FeedbackRefused(Exception):
    """What a reader sent cannot be kept; ``message`` says why, to the reader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _clean_message(kind: str, message: object) -> str:
    text = message.strip() if isinstance(message, str) else ""
    if kind != FeedbackKind.ERROR:
        return ""
    if not text:
        raise FeedbackRefused(_("Décrivez l'erreur que vous avez trouvée."))
    if len(text) > MESSAGE_MAX_LENGTH:
        raise FeedbackRefused(
            _(
                "Votre message est trop long : %(n)s caractères au plus "
                "(il en a %(length)s)."
            )
            % {"n": MESSAGE_MAX_LENGTH, "length": len(text)}
        )
    # PostgreSQL text cannot hold NUL; no keyboard types the other control
    # characters. Refused rather than cleaned: what is kept is what was sent.
    if any(ord(char) < 32 and char not in "\n\r\t" for char in text):
        raise FeedbackRefused(
            _("Votre message contient des caractères invalides : retapez-le.")
        )
    return text


def receive(
    *, page: object, lang: str, kind: object, message: object = ""
) -> ReaderFeedback:
    """Keep one reader's answer on one published page: the page and the
    message only (nothing of the reader). Raises :class:`FeedbackRefused`."""
    if kind not in FeedbackKind.values:
        raise FeedbackRefused(
            _("Choisissez « Oui », « Non » ou « Signaler une erreur ».")
        )
    text = _clean_message(kind, message)
    variant_id = parse_int(page) if isinstance(page, str) else None
    variant = (
        Variant.objects.published().filter(pk=variant_id).first()
        if variant_id is not None
        else None
    )
    if variant is None or lang not in LANGUAGE_CODES or not variant.is_live_in(lang):
        raise FeedbackRefused(
            _(
                "Cette page n'est pas (ou plus) en ligne : votre avis n'a pas été enregistré."
            )
        )
    return ReaderFeedback.objects.create(
        variant=variant, language=lang, kind=kind, message=text
    )


def counts(variant: Variant) -> dict[str, int]:
    """How many readers answered each way on ``variant``, and the open reports."""
    return ReaderFeedback.objects.filter(variant=variant).aggregate(
        helpful=Count("pk", filter=Q(kind=FeedbackKind.HELPFUL)),
        not_helpful=Count("pk", filter=Q(kind=FeedbackKind.NOT_HELPFUL)),
        reports=Count("pk", filter=Q(kind=FeedbackKind.ERROR)),
        open=Count("pk", filter=Q(kind=FeedbackKind.ERROR, handled_at__isnull=True)),
    )


class OpenCorrection(Action):
    """An editor takes a reader's report in hand: the report is marked
    handled, the variant's history says who took it and what it said, and
    the editor goes on to the variant's editing page."""

    name = EventAction.READER_REPORT
    label = gettext_lazy("Ouvrir une correction")
    permission = "briefs.change_variant"
    options = ("report",)

    def check_state(self, *, variant: Variant) -> None:
        """A report may come in whatever the variant's state."""

    def offered(self, *, variant: Variant, user) -> bool:
        return False  # offered beside each report, not among the page's buttons

    def rules(self, *, variant: Variant, user, report=None, **options) -> None:
        if report is None or report.variant_id != variant.pk:
            raise WorkflowError(_("Ce signalement ne concerne pas cette version."))
        current = ReaderFeedback.objects.select_for_update().get(pk=report.pk)
        if current.kind != FeedbackKind.ERROR:
            raise WorkflowError(_("Seul un signalement d'erreur ouvre une correction."))
        if current.handled_at is not None:
            raise WorkflowError(_("Ce signalement a déjà été pris en charge."))

    def execute(self, *, variant: Variant, user, comment: str, report, **options):
        ReaderFeedback.objects.filter(pk=report.pk).update(
            handled_at=timezone.now(), handled_by=user
        )
        return note(
            variant=variant,
            user=user,
            action=self.name,
            revision=variant.live_revision,
            comment=_("Signalement du %(date)s (page %(lang)s) : %(message)s")
            % {
                "date": timezone.localtime(report.created_at).strftime("%d/%m/%Y"),
                "lang": report.language,
                "message": Truncator(report.message).chars(500),
            },
        )


def open_correction(*, report: ReaderFeedback, user) -> None:
    """Take ``report`` in hand, audited (the workflow's one door)."""
    from .workflow import perform

    perform(EventAction.READER_REPORT, variant=report.variant, user=user, report=report)


ACTIONS: dict[str, Action] = {OpenCorrection.name: OpenCorrection()}
