"""The markdownx preview and upload endpoints are for logged-in staff only."""

import io

import pytest
from PIL import Image

from tests.factories import make_user

MARKDOWNIFY = "/admin/markdownx/markdownify/"
UPLOAD = "/admin/markdownx/upload/"


def _image(fmt: str, size=(8, 8)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format=fmt)
    buffer.seek(0)
    buffer.name = f"image.{fmt.lower()}"
    return buffer


@pytest.mark.parametrize("url", [MARKDOWNIFY, UPLOAD])
def test_anonymous_is_refused(client, db, url):
    response = client.post(url, {"content": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("url", [MARKDOWNIFY, UPLOAD])
def test_logged_in_non_staff_is_refused(client, db, url):
    client.force_login(make_user(staff=False))
    assert client.post(url, {"content": "x"}).status_code == 403


def test_get_is_not_allowed(client, editor):
    client.force_login(editor)
    assert client.get(MARKDOWNIFY).status_code == 405


def test_staff_preview_is_the_sanitized_rendering(client, editor):
    client.force_login(editor)
    response = client.post(
        MARKDOWNIFY, {"content": "**gras** <script>alert(1)</script>"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>gras</strong>" in body
    assert "<script" not in body


def test_preview_without_content_is_a_clear_400(client, editor):
    client.force_login(editor)
    response = client.post(MARKDOWNIFY, {})
    assert response.status_code == 400


def test_png_upload_is_reencoded_under_a_random_name(
    client, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    response = client.post(UPLOAD, {"image": _image("PNG")})
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    assert "image.png" not in code
    stored = next(tmp_path.rglob("*.png"))
    with Image.open(stored) as img:
        assert img.format == "PNG"


@pytest.mark.parametrize(
    ("payload", "name"),
    [
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "x.svg",
        ),
        (b"GIF89a" + b"\x00" * 20, "x.gif"),
        (b"not an image at all", "x.png"),
    ],
)
def test_non_images_svg_and_broken_files_are_refused(
    client, editor, settings, tmp_path, payload, name
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    upload = io.BytesIO(payload)
    upload.name = name
    response = client.post(UPLOAD, {"image": upload})
    assert response.status_code == 400
    assert response.json()["image"]
    assert not list(tmp_path.rglob("*.*"))


def test_real_gif_is_refused(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    response = client.post(UPLOAD, {"image": _image("GIF")})
    assert response.status_code == 400
    assert "GIF" in response.json()["image"][0]


def test_oversized_upload_is_refused(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MARKDOWNX_UPLOAD_MAX_SIZE = 100
    client.force_login(editor)
    response = client.post(UPLOAD, {"image": _image("PNG", size=(200, 200))})
    assert response.status_code == 400
    assert "lourde" in response.json()["image"][0]
