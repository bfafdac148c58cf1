"""Citable sources and the citations of a revision."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CITATION_KEY_RE = r"^[A-Za-z0-9][A-Za-z0-9_:.\-]*$"


class SourceKind(models.TextChoices):
    """What kind of document a source is."""

    ARTICLE = "article", _("article de revue")
    TRIAL = "trial", _("enregistrement d'essai clinique")
    GUIDELINE = "guideline", _("recommandation")
    WEBPAGE = "webpage", _("page web")
    OTHER = "other", _("autre")


class Source(models.Model):
    """A citable reference with structured fields and checked identifiers."""

    key = models.CharField(
        _("clé de citation"),
        max_length=80,
        unique=True,
        validators=[
            RegexValidator(
                CITATION_KEY_RE,
                _("Lettres, chiffres et « _ : . - » seulement, sans espace."),
            )
        ],
        help_text=_("Citée dans le texte sous la forme [@clé]."),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE
    )
    authors = models.JSONField(
        _("auteurs"),
        default=list,
        blank=True,
        help_text=_(
            'Liste ordonnée : [{"family": "Takada", "given": "Kazuki"}] ou '
            '[{"literal": "Assistance Publique - Hôpitaux de Paris"}].'
        ),
    )
    title = models.CharField(_("titre"), max_length=500)
    container_title = models.CharField(_("revue ou site"), max_length=300, blank=True)
    publisher = models.CharField(_("éditeur"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("année"), null=True, blank=True)
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("numéro"), max_length=30, blank=True)
    pages = models.CharField(_("pages"), max_length=40, blank=True)
    published_on = models.DateField(_("date de publication"), null=True, blank=True)
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    pmid = models.CharField(_("PMID"), max_length=12, blank=True)
    pmcid = models.CharField(_("PMCID"), max_length=16, blank=True)
    trial_id = models.CharField(
        _("identifiant d'essai"),
        max_length=40,
        blank=True,
        help_text=_("NCT, EU CT / EudraCT, jRCT, UMIN ou ISRCTN."),
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    language = models.CharField(_("langue"), max_length=10, blank=True)
    accessed_on = models.DateField(_("consultée le"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["doi"], condition=~Q(doi=""), name="source_unique_doi"
            ),
            models.UniqueConstraint(
                fields=["pmid"], condition=~Q(pmid=""), name="source_unique_pmid"
            ),
            models.CheckConstraint(
                condition=Q(doi="") | Q(doi__startswith="10."),
                name="source_doi_normalized",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"

    def clean(self):
        # Identifiers are checked and normalized in one place, for every door.
        from ..citations import clean_source

        clean_source(self)


class Citation(models.Model):
    """A source cited by a revision, with its number in that revision."""

    revision = models.ForeignKey(
        "briefs.Revision",
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("révision"),
    )
    source = models.ForeignKey(
        Source,
        # A source cited by a revision stays: the revision's snapshot needs it.
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("source"),
    )
    number = models.PositiveSmallIntegerField(_("numéro"))

    class Meta:
        ordering = ["revision", "number"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "source"], name="citation_once_per_revision"
            ),
            models.UniqueConstraint(
                fields=["revision", "number"], name="citation_number_per_revision"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.number}] {self.source.key}"
