"""Reviewers' comments on one paragraph of a revision, and the answers to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _

from .content import LANGUAGE_CODES


class CommentQuerySet(models.QuerySet):
    """Comments are part of the audit trail: resolved, never deleted."""

    def delete(self):
        raise ProtectedError(_("Les commentaires ne se suppriment pas."), set())

    delete.queryset_only = True

    def open(self) -> "CommentQuerySet":
        """Comments (not answers) nobody has resolved yet."""
        return self.filter(parent__isnull=True, resolved_at__isnull=True)


class TextPart(models.TextChoices):
    """The parts of a text a comment can be about."""

    TITLE = "title", _("titre")
    STANDFIRST = "standfirst", _("chapô")
    BODY = "body", _("texte")


class ReviewComment(models.Model):
    """A comment on one paragraph of a revision under review (or an answer)."""

    variant = models.ForeignKey(
        "briefs.Variant",
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("version"),
    )
    revision = models.ForeignKey(
        "briefs.Revision",
        on_delete=models.PROTECT,
        related_name="comments",
        verbose_name=_("révision"),
    )
    language = models.CharField(
        _("langue"),
        max_length=2,
        choices=[(code, code) for code in LANGUAGE_CODES],
        default="fr",
    )
    part = models.CharField(
        _("partie"), max_length=12, choices=TextPart.choices, default=TextPart.BODY
    )
    # The paragraph's place in the revision's text (0 for the first), and
    # its words then: the author finds it again in a text edited since.
    paragraph = models.PositiveIntegerField(_("paragraphe"), default=0)
    quote = models.TextField(_("passage commenté"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("en réponse à"),
    )
    body = models.TextField(_("commentaire"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("résolu par"),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["paragraph", "created_at", "pk"]
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        indexes = [
            models.Index(
                fields=["variant"],
                name="comment_open_per_variant",
                condition=models.Q(parent__isnull=True, resolved_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant} r{self.revision.number} §{self.paragraph + 1}"

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Les commentaires ne se suppriment pas."))

    @property
    def is_open(self) -> bool:
        return self.parent_id is None and self.resolved_at is None
