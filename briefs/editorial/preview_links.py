"""Signed, expiring preview links to one revision, for people without an account."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Revision

SALT = "briefs.preview"


class PreviewLinkError(Exception):
    """The link is tampered with, expired, or points at nothing."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def make_link(*, revision: Revision, user, lang: str = "fr") -> str:
    """A signed URL showing ``revision`` only; refused to users who can't see it."""
    if not (
        user
        and user.is_active
        and user.is_staff
        and user.has_perm("briefs.view_variant")
    ):
        raise PermissionDenied(_("Vous ne pouvez pas partager cette révision."))
    token = signing.dumps({"r": revision.pk, "u": user.pk}, salt=SALT, compress=True)
    with translation.override(lang):
        return reverse("briefs:preview", kwargs={"token": token})


def revision_for(token: str, *, max_age: int | None = None) -> Revision:
    """The revision a token points at, or :class:`PreviewLinkError`."""
    max_age = settings.NEWSROOM_PREVIEW_MAX_AGE if max_age is None else max_age
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise PreviewLinkError(_("Ce lien de prévisualisation a expiré.")) from exc
    except signing.BadSignature as exc:
        raise PreviewLinkError(
            _("Ce lien de prévisualisation n'est pas valide.")
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        raise PreviewLinkError(_("Ce lien de prévisualisation n'est pas valide."))
    revision = (
        Revision.objects.select_related(
            "variant__brief", "variant__audience", "variant__author", "approved_by"
        )
        .filter(pk=data["r"])
        .first()
    )
    if revision is None:
        raise PreviewLinkError(_("Cette révision n'existe plus."))
    return revision
