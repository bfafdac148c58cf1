"""QR codes as inline SVG markup, which a strict CSP lets through."""

import qrcode
from qrcode.image.svg import SvgPathFillImage


def qr_svg(text: str) -> str:
    """An SVG QR code of ``text``, dark on white, without style attributes."""
    image = qrcode.make(text, image_factory=SvgPathFillImage)
    return image.to_string(encoding="unicode")
