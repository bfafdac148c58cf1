"""The benchmark's anchors answer the page they stand for.

A floor or naive view answering an error page would give every ratio of
``make bench`` a wrong neighbour, and wrk counts an error as a request.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHECK = """
import importlib, sys
module = importlib.import_module(sys.argv[1])
from django.core.management import call_command
call_command("migrate", verbosity=0)
from bench.data import generate
generate(2, body_chars=400)
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get(sys.argv[2])
print(response.status_code)
print(response.content.decode())
"""


def run_anchor(module: str, path: str, tmp_path: Path) -> tuple[int, str]:
    floor_html = tmp_path / "floor.html"
    floor_html.write_text("<!doctype html><p>page du plancher</p>", encoding="utf-8")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "DJANGO_SECRET_KEY": "anchor-test-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'anchor.sqlite3'}",
        "BENCH_FLOOR_HTML": str(floor_html),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", CHECK, module, path],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    status, _, body = done.stdout.partition("\n")
    return int(status), body


def test_the_floor_serves_its_page(tmp_path):
    status, body = run_anchor("bench.floor", "/floor/", tmp_path)
    assert status == 200
    assert "page du plancher" in body


def test_the_naive_view_renders_the_brief_with_its_references(tmp_path):
    status, body = run_anchor(
        "bench.naive", "/naive/afm/bench-1-tacrolimus-myosite/", tmp_path
    )
    assert status == 200
    assert "Brève 1 : le tacrolimus dans la dermatomyosite (afm)" in body
    assert "<h2>" in body  # the body's Markdown headings, rendered
    assert "doi:10.5555/bench." in body
