"""Glossary of medical terms with plain-language definitions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class GlossaryTerm(models.Model):
    """A medical term and its plain-language definition."""

    term = models.CharField(_("terme"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    definition = models.TextField(_("définition"))
    variants_of_term = models.CharField(
        _("autres formes"),
        max_length=300,
        blank=True,
        help_text=_("Pluriels ou variantes, séparés par des virgules."),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("terme du glossaire")
        verbose_name_plural = _("glossaire")

    def __str__(self) -> str:
        return self.term
