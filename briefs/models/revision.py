"""Immutable revisions of a variant, and the querysets of the audit trail."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from .content import LANGUAGE_CODES


class ImmutableQuerySet(models.QuerySet):
    """Rows of the audit trail: never deleted, never updated in bulk.

    ``mutable_fields`` names the only fields a bulk update may set (a
    revision's approval, written once by briefs.editorial.workflow).
    """

    mutable_fields: frozenset[str] = frozenset()

    def delete(self):
        raise ProtectedError(
            _("L'historique et les révisions ne se suppriment pas."), set()
        )

    delete.queryset_only = True

    def update(self, **kwargs):
        if not kwargs or not set(kwargs) <= self.mutable_fields:
            raise ValidationError(
                _("L'historique et les révisions ne se modifient pas.")
            )
        return super().update(**kwargs)


class RevisionQuerySet(ImmutableQuerySet):
    mutable_fields = frozenset({"approved_by", "approved_at"})


class ChangeKind(models.TextChoices):
    """What a revision changes in a text readers have already seen."""

    FIRST = "first", _("premier texte")
    SUBSTANCE = "substance", _("correction de fond")
    MINOR = "minor", _("correction mineure")


class Revision(models.Model):
    """An immutable snapshot of a variant's content, made at submission."""

    variant = models.ForeignKey(
        "briefs.Variant",
        # Revisions are never deleted: a variant with history cannot be either.
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("version"),
    )
    number = models.PositiveIntegerField(_("numéro"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("soumise par"),
    )
    title_fr = models.CharField(_("titre (fr)"), max_length=300)
    title_en = models.CharField(_("titre (en)"), max_length=300, blank=True)
    standfirst_fr = models.TextField(_("chapô (fr)"), blank=True)
    standfirst_en = models.TextField(_("chapô (en)"), blank=True)
    body_fr = models.TextField(_("texte Markdown (fr)"), blank=True)
    body_en = models.TextField(_("texte Markdown (en)"), blank=True)
    body_html_fr = models.TextField(_("texte HTML (fr)"), blank=True)
    body_html_en = models.TextField(_("texte HTML (en)"), blank=True)
    references_html_fr = models.TextField(_("références HTML (fr)"), blank=True)
    references_html_en = models.TextField(_("références HTML (en)"), blank=True)
    sources = models.JSONField(_("sources citées"), default=list, blank=True)
    metrics = models.JSONField(_("indicateurs"), default=dict, blank=True)
    # Said by the editor on submitting a text that was published before: a
    # correction of substance is shown to readers with its note (and makes
    # the translations outdated); a minor one (a typo) stays silent.
    change_kind = models.CharField(
        _("nature de la modification"),
        max_length=12,
        choices=ChangeKind.choices,
        default=ChangeKind.FIRST,
    )
    change_note = models.TextField(
        _("ce qui a changé (affiché aux lecteurs)"), blank=True
    )
    # Set when the English of this revision translates an older French text
    # (a correction of substance in French since): that older revision.
    # Empty when the English is a translation of this revision's French.
    translated_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anglais traduit de la révision"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approuvée par"),
    )
    approved_at = models.DateTimeField(_("approuvée le"), null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["variant", "-number"]
        get_latest_by = "number"
        verbose_name = _("révision")
        verbose_name_plural = _("révisions")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "number"], name="revision_number_per_variant"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} r{self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError(_("Une révision ne se modifie pas."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Une révision ne se supprime pas."))

    @property
    def translation_outdated(self) -> bool:
        """Whether the English translates an older French text than this one's."""
        return self.translated_from_id is not None

    @property
    def languages(self) -> list[str]:
        """Languages this revision is complete in (title and body present)."""
        return [
            lang
            for lang in LANGUAGE_CODES
            if getattr(self, f"title_{lang}") and getattr(self, f"body_html_{lang}")
        ]

    def has_language(self, lang: str) -> bool:
        """Whether this revision can be shown in ``lang``."""
        return lang in self.languages

    def localized(self, field: str, lang: str) -> str:
        """Return ``field`` in ``lang`` (no fallback: absent means empty)."""
        return getattr(self, f"{field}_{lang}", "") or ""
