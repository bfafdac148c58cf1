"""Security headers on every page, a strict CSP the pages actually obey, and
production settings that pass Django's deployment checks."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.factories import make_published, make_user

ROOT = Path(__file__).resolve().parent.parent


class _Inline(HTMLParser):
    """Collects what a CSP without 'unsafe-inline' would block."""

    def __init__(self):
        super().__init__()
        self.blocked: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        data_block = attrs.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not attrs.get("src") and not data_block:
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style>")
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.blocked.append(f"<{tag} {name}>")
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            loads = tag == "script" or (
                tag == "link"
                and attrs.get("rel") in ("stylesheet", "preload", "modulepreload")
            )
            if loads and value.startswith(("http:", "https:", "//")):
                self.blocked.append(f"<{tag} {name}={value}>")


def inline_code(html: str) -> list[str]:
    parser = _Inline()
    parser.feed(html)
    return parser.blocked


def test_public_pages_send_the_security_headers(client, db):
    variant = make_published()
    response = client.get(variant.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


# Admin pages with the richest widgets: Markdown editor, language tabs,
# filter_horizontal, prepopulated slugs, changelists with actions.
ADMIN_PAGES = [
    "/admin/",
    "/admin/briefs/brief/",
    "/admin/briefs/brief/add/",
    "/admin/briefs/brief/{brief}/change/",
    "/admin/briefs/variant/",
    "/admin/briefs/variant/add/",
    "/admin/briefs/variant/{variant}/change/",
    "/admin/briefs/topic/add/",
    "/admin/briefs/glossaryterm/add/",
    "/admin/briefs/source/add/",
    "/admin/briefs/audience/{audience}/change/",
    "/admin/briefs/reviewevent/",
    "/admin/briefs/brief/{brief}/history/",
    "/admin/password_change/",
]


@pytest.mark.parametrize("template", ADMIN_PAGES)
def test_admin_pages_have_no_inline_code_for_the_csp_to_block(client, db, template):
    variant = make_published()
    client.force_login(make_user("chief"))
    url = template.format(
        brief=variant.brief_id, variant=variant.pk, audience=variant.audience_id
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert inline_code(response.content.decode()) == []


def test_public_pages_have_no_inline_code(client, db):
    variant = make_published()
    for url in ("/fr/", "/fr/afm/", variant.get_absolute_url(), "/fr/nope/"):
        assert inline_code(client.get(url).content.decode()) == [], url


def test_the_login_page_has_no_inline_code(client, db):
    response = client.get("/admin/login/")
    assert inline_code(response.content.decode()) == []


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        DJANGO_SECRET_KEY="k" * 20
        + "-production-secret-for-the-deploy-check-only-0123",
        # Production shares its page cache between servers (see briefs.W001).
        REDIS_URL="redis://127.0.0.1:6379/0",
        # Links in mail point to the public site (see briefs.W002).
        NEWSROOM_SITE_URL="https://breves.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "secret", ["", "short", "dev-only-insecure-key-change-me" + "x" * 30]
)
def test_production_refuses_to_start_without_a_real_secret_key(secret):
    result = _manage(
        "check",
        DJANGO_SETTINGS_MODULE="newsroom.settings.prod",
        DJANGO_SECRET_KEY=secret,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
