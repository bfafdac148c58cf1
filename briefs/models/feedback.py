"""What readers tell the newsroom about a published page."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# A report is a few sentences; a longer one is refused, never cut.
MESSAGE_MAX_LENGTH = 2000


class FeedbackKind(models.TextChoices):
    """What a reader said: the page helped, it did not, or it has an error."""

    HELPFUL = "helpful", _("page utile")
    NOT_HELPFUL = "not_helpful", _("page pas utile")
    ERROR = "error", _("erreur signalée")


class ReaderFeedbackQuerySet(models.QuerySet):
    def reports(self) -> "ReaderFeedbackQuerySet":
        """Errors reported by readers."""
        return self.filter(kind=FeedbackKind.ERROR)

    def open_reports(self) -> "ReaderFeedbackQuerySet":
        """Errors reported and not handled yet."""
        return self.reports().filter(handled_at__isnull=True)


class ReaderFeedback(models.Model):
    """One reader's answer on one page: only the page and the message are
    kept (no address, no account, no cookie)."""

    variant = models.ForeignKey(
        "briefs.Variant",
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("version"),
    )
    language = models.CharField(
        _("langue de la page"), max_length=2, choices=settings.LANGUAGES
    )
    kind = models.CharField(_("avis"), max_length=12, choices=FeedbackKind.choices)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    handled_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )

    objects = ReaderFeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("avis de lecteur")
        verbose_name_plural = _("avis de lecteurs")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FeedbackKind.values),
                name="feedback_kind_valid",
            ),
            # An error report says what the error is.
            models.CheckConstraint(
                condition=~Q(kind=FeedbackKind.ERROR) | ~Q(message=""),
                name="feedback_report_has_message",
            ),
        ]
        indexes = [
            # The desk's count and the list of reports still open.
            models.Index(
                fields=["-created_at"],
                name="feedback_open_reports",
                condition=Q(kind="error", handled_at__isnull=True),
            ),
            models.Index(fields=["variant", "kind"], name="feedback_variant_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id} {self.kind} {self.created_at:%Y-%m-%d}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None
