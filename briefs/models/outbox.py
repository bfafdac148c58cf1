"""Mail waiting to be sent, written in the transaction of what it announces."""

import datetime as dt

from django.db import models
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    """Why a mail was written."""

    WORKFLOW = "workflow", _("étape de relecture")
    REVIEW_DUE = "review_due", _("relecture à prévoir")


class MailStatus(models.TextChoices):
    """Where a queued mail stands."""

    PENDING = "pending", _("en attente")
    SENT = "sent", _("envoyé")
    FAILED = "failed", _("en échec")


KEPT_MESSAGE = _("Les courriels de la file d'envoi sont conservés.")


class OutboxQuerySet(models.QuerySet):
    """Queued mail by status; rows are kept as a record, never deleted."""

    def pending(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=True)

    def sent(self):
        return self.filter(sent_at__isnull=False)

    def failed(self):
        return self.filter(sent_at__isnull=True, failed_at__isnull=False)

    def due(self, *, now: dt.datetime, claim_expired_before: dt.datetime):
        """Pending mail whose time has come and that no sender holds."""
        return self.pending().filter(
            Q(claimed_at__isnull=True) | Q(claimed_at__lt=claim_expired_before),
            next_attempt_at__lte=now,
        )

    def delete(self):
        raise ProtectedError(KEPT_MESSAGE, set())

    delete.queryset_only = True


class OutboxMail(models.Model):
    """One mail to one recipient, pending until a sender has delivered it."""

    recipient = models.EmailField(_("destinataire"), max_length=254)
    subject = models.CharField(_("objet"), max_length=998)
    body = models.TextField(_("texte"))
    event = models.ForeignKey(
        "briefs.ReviewEvent",
        # A mail is part of the record of the event it announces.
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mails",
        verbose_name=_("événement de relecture"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=MailKind.choices)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(
        _("prochaine tentative"), default=timezone.now
    )
    # A sender takes a row by writing its token here with a conditional
    # UPDATE; a claim older than NEWSROOM_MAIL_CLAIM_SECONDS is abandoned.
    claim_token = models.CharField(_("pris par"), max_length=32, blank=True)
    claimed_at = models.DateTimeField(_("pris le"), null=True, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    failed_at = models.DateTimeField(_("abandonné le"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("courriel en file d'envoi")
        verbose_name_plural = _("file d'envoi des courriels")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="briefs_outbox_pending",
            ),
            models.Index(fields=["-created_at", "-id"], name="briefs_outbox_created"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"

    def delete(self, *args, **kwargs):
        raise ProtectedError(KEPT_MESSAGE, {self})

    @property
    def status(self) -> str:
        """Pending, sent or failed (given up after the last attempt)."""
        if self.sent_at is not None:
            return MailStatus.SENT
        if self.failed_at is not None:
            return MailStatus.FAILED
        return MailStatus.PENDING
