"""Uploads: images only, decoded before anything else, bombs refused, and
served back with headers that keep a browser from running them."""

import io
import struct
import zlib

import pytest
from django.http import Http404
from django.test import RequestFactory
from PIL import Image

from briefs.ops.security import serve_media
from tests.factories import make_user

UPLOAD = "/admin/markdownx/upload/"


def _png_header(width: int, height: int) -> bytes:
    """A valid PNG start claiming huge dimensions, with a tiny body."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


def _post(client, payload: bytes, name: str):
    upload = io.BytesIO(payload)
    upload.name = name
    return client.post(UPLOAD, {"image": upload})


@pytest.fixture
def editor_client(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("editor"))
    return client


@pytest.mark.parametrize("side", [8_000, 100_000])
def test_a_decompression_bomb_is_refused_from_its_header(editor_client, tmp_path, side):
    response = _post(editor_client, _png_header(side, side), "bomb.png")
    assert response.status_code == 400
    assert "pixels" in response.json()["image"][0]
    assert not list(tmp_path.rglob("*.*"))


def test_an_image_over_the_pixel_limit_is_refused(editor_client, settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 100
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, format="PNG")
    assert _post(editor_client, buffer.getvalue(), "x.png").status_code == 400


def test_an_animated_image_is_refused(editor_client):
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    frames[0].save(buffer, format="WEBP", save_all=True, append_images=frames[1:])
    response = _post(editor_client, buffer.getvalue(), "anim.webp")
    assert response.status_code == 400


def test_a_polyglot_image_loses_its_payload(editor_client, tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    payload = buffer.getvalue() + b"<script>alert(1)</script><?php system($_GET[1]); ?>"
    response = _post(editor_client, payload, "x.html")
    assert response.status_code == 200
    assert response.json()["image_code"].endswith(".png)")
    stored = next(tmp_path.rglob("*.png")).read_bytes()
    assert b"<script>" not in stored and b"<?php" not in stored


def test_a_truncated_image_is_refused(editor_client):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(buffer, format="JPEG")
    assert _post(editor_client, buffer.getvalue()[:200], "x.jpg").status_code == 400


def test_media_is_served_inline_as_an_image_never_sniffed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    Image.new("RGB", (4, 4)).save(tmp_path / "uploads" / "abc.png")
    response = serve_media(
        RequestFactory().get("/media/uploads/abc.png"), "uploads/abc.png"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="abc.png"'
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path", ["uploads/x.html", "uploads/x.svg", "../settings.py", "x"]
)
def test_media_other_than_stored_images_is_never_served(settings, tmp_path, path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "uploads").mkdir()
    (tmp_path / "uploads" / "x.html").write_text("<script>alert(1)</script>")
    with pytest.raises(Http404):
        serve_media(RequestFactory().get("/media/" + path), path)
