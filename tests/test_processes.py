"""Every process sees the same site: the web server, cron commands and a shell.

These tests run the real thing on the embedded default (`make run`'s
settings, SQLite): migrate and the demo content from commands, gunicorn with
two worker processes, and changes made by other processes (cron's
publish_scheduled, a shell) while the server keeps serving.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AFM = "/fr/afm/tacrolimus-dermatomyosite/"
AIM = "/fr/aim/tacrolimus-dermatomyosite/"
OTHER_VERSION = "Version professionnels de santé"

# Run from a shell process: the professionals' version goes offline, then a
# corrected revision is approved and scheduled; its time has come.
SCHEDULE_AIM = """
import datetime as dt
from django.contrib.auth.models import User
from django.utils import timezone
from briefs.editorial import workflow
from briefs.models import Variant
editor, reviewer, chief = (User.objects.get(username=n) for n in ("redactrice", "relecteur", "chef"))
aim = Variant.objects.get(brief__slug="tacrolimus-dermatomyosite", audience__code="aim")
workflow.unpublish(variant=aim, user=chief, confirm=True)
aim = Variant.objects.get(pk=aim.pk)
aim.title_fr += " (corrigé)"
workflow.save_content(variant=aim, user=editor, expected_edit_count=aim.edit_count)
workflow.submit(variant=Variant.objects.get(pk=aim.pk), user=editor, change_kind="substance", change_note="Titre corrigé.", translation="not_needed")
workflow.approve(variant=Variant.objects.get(pk=aim.pk), user=reviewer)
workflow.publish(variant=Variant.objects.get(pk=aim.pk), user=chief,
                 at=timezone.now() + dt.timedelta(hours=1))
# The hour has passed (a schedule whose time has come, as cron finds it).
Variant.objects.filter(pk=aim.pk).update(scheduled_at=timezone.now() - dt.timedelta(minutes=1))
"""

UNPUBLISH_AFM = """
from django.contrib.auth.models import User
from briefs.editorial import workflow
from briefs.models import Variant
afm = Variant.objects.get(brief__slug="tacrolimus-dermatomyosite", audience__code="afm")
workflow.unpublish(variant=afm, user=User.objects.get(username="chef"), confirm=True)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def site(tmp_path):
    """The demo site on its default settings, served by two gunicorn workers."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("REDIS_URL", "NEWSROOM_PAGE_CACHE_SECONDS", "DJANGO_DEBUG"):
        env.pop(name, None)

    def manage(*argv: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *argv],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    manage("migrate", "--noinput", "-v0")
    manage("seed_demo")
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "newsroom/gunicorn.conf.py",
            "newsroom.wsgi:application",
        ],
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_THREADS": "2",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base, manage
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_what_cron_publishes_is_seen_by_every_server_process_at_once(site):
    base, manage = site
    manage("shell", "-c", SCHEDULE_AIM)
    # Read a few times: both workers render and keep the patient page.
    for _ in range(6):
        status, page = _get(base + AFM)
        assert status == 200 and OTHER_VERSION not in page
    assert _get(base + AIM)[0] == 410

    assert "1 version(s) publiée(s)" in manage("publish_scheduled")

    for _ in range(6):
        status, page = _get(base + AFM)
        assert status == 200 and OTHER_VERSION in page
    status, page = _get(base + AIM)
    assert status == 200 and "(corrigé)" in page


def test_a_withdrawal_made_from_a_shell_is_served_at_once(site):
    base, manage = site
    for _ in range(4):
        assert _get(base + AFM)[0] == 200
    manage("shell", "-c", UNPUBLISH_AFM)
    for _ in range(4):
        assert _get(base + AFM)[0] == 410
        assert "Dermatomyosite : le tacrolimus" not in _get(base + "/fr/")[1]
