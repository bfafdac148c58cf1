"""Detail pages kept as they were rendered, until what they show changes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderedPage(models.Model):
    """The HTML of one public detail page, for one site origin.

    A row is served only while its ``token`` equals its brief's
    ``page_token`` and its ``render_key`` is the running code's (templates,
    translations, static files): see briefs.pages.
    """

    brief = models.ForeignKey(
        "briefs.Brief", on_delete=models.CASCADE, related_name="rendered_pages"
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
