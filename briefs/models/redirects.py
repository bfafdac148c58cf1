"""Old addresses of briefs whose slug changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SlugRedirect(models.Model):
    """An address a brief had before its slug changed: it answers with a
    permanent redirect to the brief's current pages.

    The row names the brief, not the slug it moved to, so that renaming
    a→b then b→c sends a straight to c without rewriting anything.
    """

    old_slug = models.SlugField(_("ancien slug"), max_length=120, unique=True)
    brief = models.ForeignKey(
        "briefs.Brief",
        on_delete=models.CASCADE,
        related_name="old_slugs",
        verbose_name=_("brève"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self) -> str:
        return self.old_slug

    @classmethod
    def slug_changed(cls, *, brief, old_slug: str | None) -> None:
        """Record that ``brief`` left ``old_slug`` for its current slug.

        The current slug is no one's old address any more: a brief taking a
        slug another brief had wins over the redirect.
        """
        cls.objects.filter(old_slug=brief.slug).delete()
        if old_slug:
            cls.objects.update_or_create(old_slug=old_slug, defaults={"brief": brief})
