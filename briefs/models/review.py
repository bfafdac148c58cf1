"""The audit trail of the editorial workflow."""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .content import State
from .revision import ImmutableQuerySet


class EventAction(models.TextChoices):
    """What a review event records, named as the history shows it."""

    EDIT = "edit", _("modification du texte")
    NEW_DRAFT = "new_draft", _("nouveau brouillon")
    SUBMIT = "submit", _("soumission à relecture")
    REQUEST_CHANGES = "request_changes", _("modifications demandées")
    APPROVE = "approve", _("approbation")
    SCHEDULE = "schedule", _("publication programmée")
    PUBLISH = "publish", _("publication")
    UNPUBLISH = "unpublish", _("dépublication")
    ASSIGN = "assign", _("relecteur désigné")
    CERTIFY = "certify", _("relu, sans changement")
    COMMENT = "comment", _("commentaire sur le texte")
    RESOLVE = "resolve_comment", _("commentaire résolu")
    WITHDRAW_TRANSLATION = "withdraw_translation", _("page anglaise retirée")
    READER_REPORT = "reader_report", _("signalement d'un lecteur pris en charge")


def protect_reviewed(collector, field, sub_objs, using) -> None:
    """Keep the audit trail of reviewed texts; records of mere saves go with a
    text deleted before it was ever submitted (a revision protects the rest)."""
    if all(event.action == EventAction.EDIT for event in sub_objs):
        models.CASCADE(collector, field, sub_objs, using)
    else:
        models.PROTECT(collector, field, sub_objs, using)


class ReviewEvent(models.Model):
    """Who moved which variant from which state to which, when and why."""

    variant = models.ForeignKey(
        "briefs.Variant",
        # The audit trail outlives nothing it describes: protect the variant.
        on_delete=protect_reviewed,
        related_name="events",
        verbose_name=_("version"),
    )
    revision = models.ForeignKey(
        "briefs.Revision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("révision"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    action = models.CharField(_("action"), max_length=40, choices=EventAction.choices)
    from_state = models.CharField(
        _("état de départ"), max_length=20, choices=State.choices
    )
    to_state = models.CharField(
        _("état d'arrivée"), max_length=20, choices=State.choices
    )
    comment = models.TextField(_("commentaire"), blank=True)
    # For a save of the text ("edit"): the fields it changed, e.g. ["body_fr"].
    changed_fields = models.JSONField(
        _("champs modifiés"), default=list, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("événement de relecture")
        verbose_name_plural = _("événements de relecture")

    def __str__(self) -> str:
        return f"{self.variant}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("L'historique ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("L'historique ne se supprime pas."))

    @property
    def changed_labels(self) -> str:
        """The fields a save changed, as people name them: "titre (fr), texte (en)"."""
        from .content import LANGUAGE_CODES, Variant

        labels = []
        for name in self.changed_fields or []:
            base, _sep, lang = name.rpartition("_")
            if lang not in LANGUAGE_CODES:
                base, lang = name, ""
            try:
                label = str(Variant._meta.get_field(base).verbose_name)
            except FieldDoesNotExist:  # renamed since: show the stored name
                label = base
            labels.append(f"{label} ({lang})" if lang else label)
        return ", ".join(labels)
