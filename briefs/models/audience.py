"""Audiences (publication channels) and topics."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Audience(models.Model):
    """A publication channel: patients and families (afm) or professionals (aim)."""

    class SchemaType(models.TextChoices):
        PATIENT = "Patient", "Patient"
        MEDICAL = "MedicalAudience", "MedicalAudience"

    code = models.SlugField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    schema_type = models.CharField(
        _("type schema.org"), max_length=30, choices=SchemaType.choices
    )
    readability_target = models.PositiveSmallIntegerField(
        _("lisibilité visée"),
        null=True,
        blank=True,
        help_text=_(
            "Score de lisibilité minimal (Kandel et Moles) ; vide : pas de cible."
        ),
    )
    review_period_months = models.PositiveSmallIntegerField(
        _("durée de validité (mois)"), default=12
    )
    disclaimer = models.TextField(_("avertissement"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("public")
        verbose_name_plural = _("publics")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("briefs:audience", kwargs={"audience": self.code})

    @property
    def is_patient(self) -> bool:
        """Whether this channel speaks to patients and families."""
        return self.schema_type == self.SchemaType.PATIENT


class Topic(models.Model):
    """A disease or theme that briefs are filed under."""

    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.name
