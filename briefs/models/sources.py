"""Citable sources and the citations of a revision."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..text.identifiers import IDENTIFIER_FIELDS

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


def clean_source(source) -> None:
    """Normalize a source's identifiers in place; raise every problem by field."""
    errors: dict[str, list] = {}
    for name, normalize in IDENTIFIER_FIELDS.items():
        try:
            setattr(source, name, normalize(getattr(source, name) or ""))
        except ValidationError as exc:
            errors.setdefault(name, []).append(exc)
    if (
        source.kind == SourceKind.TRIAL
        and not source.trial_id
        and "trial_id" not in errors
    ):
        errors["trial_id"] = [
            ValidationError(
                _("Un enregistrement d'essai clinique doit porter son identifiant."),
                code="trial_id_required",
            )
        ]
    if source.kind == SourceKind.WEBPAGE and not source.url:
        errors["url"] = [
            ValidationError(_("Une page web doit avoir son URL."), code="url_required")
        ]
    authors = source.authors or []
    if not isinstance(authors, list):
        errors["authors"] = [
            ValidationError(
                _("Les auteurs s'écrivent en liste JSON : [{…}, {…}]."),
                code="invalid_authors",
            )
        ]
        authors = []
    for index, author in enumerate(authors):
        if not isinstance(author, Mapping) or not (
            author.get("family") or author.get("literal") or author.get("others")
        ):
            errors.setdefault("authors", []).append(
                ValidationError(
                    _(
                        "Auteur n° %(number)d : indiquez au moins « family » "
                        "(nom), « literal » (collectivité) ou « others »."
                    ),
                    code="invalid_author",
                    params={"number": index + 1},
                )
            )
    if errors:
        raise ValidationError(errors)
