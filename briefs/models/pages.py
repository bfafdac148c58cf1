"""Public pages kept as they were rendered, until what they show changes."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PageToken(models.Model):
    """A token that changes whenever the pages of a kind must be rendered again.

    One row, ``listings``: the home page and the audience listings.
    """

    name = models.CharField(_("nom"), max_length=40, unique=True)
    token = models.UUIDField(_("jeton"), default=uuid.uuid4)

    class Meta:
        verbose_name = _("jeton de pages")
        verbose_name_plural = _("jetons de pages")

    def __str__(self) -> str:
        return self.name


class RenderedPage(models.Model):
    """The HTML of one public page, for one site origin.

    A detail page belongs to its brief and is served only while its ``token``
    equals the brief's ``page_token``; a listing (no brief) only while it
    equals the ``listings`` :class:`PageToken`. Either way its
    ``render_key`` must be the running code's (templates, translations,
    static files): see briefs.pages.
    """

    brief = models.ForeignKey(
        "briefs.Brief",
        on_delete=models.CASCADE,
        related_name="rendered_pages",
        null=True,
        blank=True,
    )
    origin = models.CharField(_("origine"), max_length=200)
    path = models.CharField(_("chemin"), max_length=300)
    token = models.UUIDField(_("jeton de la brève"))
    render_key = models.CharField(_("clé de rendu"), max_length=64)
    html = models.TextField(_("HTML"))
    etag = models.CharField(_("ETag"), max_length=80)
    rendered_at = models.DateTimeField(_("rendue le"))
    # When the page would read differently with no edit (a review falling due).
    valid_until = models.DateTimeField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("page rendue")
        verbose_name_plural = _("pages rendues")
        constraints = [
            models.UniqueConstraint(
                fields=["origin", "path"], name="renderedpage_unique_url"
            )
        ]

    def __str__(self) -> str:
        return f"{self.origin}{self.path}"
