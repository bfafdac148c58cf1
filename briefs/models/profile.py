"""What the public pages say about a person: their role or title."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Profile(models.Model):
    """A person's public title, shown in the trust block (e.g. "médecin")."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("utilisateur"),
    )
    title = models.CharField(
        _("fonction"),
        max_length=120,
        blank=True,
        help_text=_("Affichée sur les pages publiques, par exemple « médecin »."),
    )

    # The secret part of the person's private calendar address; a new one
    # makes the old address stop working.
    calendar_key = models.CharField(
        _("clé du calendrier"), max_length=64, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profils")

    def __str__(self) -> str:
        return str(self.user)
