"""Image uploads for the Markdown editor: decoded, re-encoded, renamed."""

from __future__ import annotations

import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Decoded format -> (format to write, extension). GIF and SVG are never accepted.
ACCEPTED_FORMATS = {
    "JPEG": ("JPEG", "jpg"),
    "PNG": ("PNG", "png"),
    "WEBP": ("WEBP", "webp"),
}


def _check_dimensions(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1 or width * height > settings.NEWSROOM_IMAGE_MAX_PIXELS:
        raise ValidationError(
            _("Image trop grande en pixels (%(w)d × %(h)d ; maximum %(max)d pixels).")
            % {"w": width, "h": height, "max": settings.NEWSROOM_IMAGE_MAX_PIXELS}
        )
    if getattr(image, "n_frames", 1) > 1:
        raise ValidationError(_("Les images animées ne sont pas acceptées."))


def store_image(upload) -> str:
    """Check, re-encode and store an uploaded image; return its public URL.

    The file is decoded by Pillow (whatever its name or declared type says),
    written again from its pixels (metadata and any trailing payload are
    dropped) under a random name.
    """
    max_bytes = settings.MARKDOWNX_UPLOAD_MAX_SIZE
    if upload.size > max_bytes:
        raise ValidationError(
            _("Image trop lourde (%(size)d Ko ; maximum %(max)d Ko).")
            % {"size": upload.size // 1024, "max": max_bytes // 1024}
        )
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # the declared size lied
        raise ValidationError(
            _("Image trop lourde (maximum %(max)d Ko).") % {"max": max_bytes // 1024}
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            # Dimensions come from the header: refuse a decompression bomb
            # before a single pixel is decoded.
            _check_dimensions(probe)
            probe.verify()
        image = Image.open(io.BytesIO(data))
        _check_dimensions(image)
        image.load()
    except Image.DecompressionBombError as exc:
        raise ValidationError(
            _("Image trop grande en pixels (maximum %(max)d pixels).")
            % {"max": settings.NEWSROOM_IMAGE_MAX_PIXELS}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ValidationError(
            _("Ce fichier n'est pas une image lisible (JPEG, PNG ou WebP).")
        ) from exc
    if kind not in ACCEPTED_FORMATS:
        raise ValidationError(
            _(
                "Format %(format)s refusé : seules les images JPEG, PNG et WebP sont acceptées."
            )
            % {"format": kind or "?"}
        )
    out_format, extension = ACCEPTED_FORMATS[kind]
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=out_format)
    name = (
        f"{settings.MARKDOWNX_MEDIA_PATH}{timezone.now():%Y/%m}/"
        f"{secrets.token_hex(16)}.{extension}"
    )
    stored = default_storage.save(name, ContentFile(buffer.getvalue()))
    return default_storage.url(stored)
