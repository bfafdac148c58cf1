"""The English catalogue is complete and used on English pages."""

import re
from pathlib import Path

from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            yield block, None
            continue
        msgid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if msgid and msgstr:
            joined = lambda m: "".join(re.findall(r'"(.*)"', m.group(1)))  # noqa: E731
            yield joined(msgid), joined(msgstr)


def test_every_french_string_has_an_english_translation():
    missing = [
        msgid
        for msgid, msgstr in _entries(PO.read_text(encoding="utf-8"))
        if msgid and not msgstr
    ]
    assert missing == []


def test_english_page_speaks_english(client, demo):
    page = client.get("/en/afm/tacrolimus-dermatomyosite/").content.decode()
    assert '<html lang="en">' in page
    assert "Patients and families" in page
    assert 'aria-label="Back to text"' in page
    assert "Retour au texte" not in page


def test_every_string_of_the_code_is_in_the_english_catalogue(tmp_path):
    """What makemessages finds in the code and templates has a translation."""
    import shutil
    import subprocess
    import sys

    if shutil.which("xgettext") is None:  # GNU gettext: make messages needs it too
        raise AssertionError("xgettext is missing: install Debian's gettext")
    root = Path(settings.BASE_DIR)
    for name in ("briefs", "templates", "newsroom", "manage.py"):
        source = root / name
        target = tmp_path / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("migrations"))
        else:
            shutil.copy(source, target)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
            "PATH": "/usr/bin:/bin",
        },
    )
    found = {
        msgid
        for msgid, msgstr in _entries(
            (tmp_path / "locale/en/LC_MESSAGES/django.po").read_text(encoding="utf-8")
        )
        if msgid and msgstr is not None  # the header is marked fuzzy
    }
    translated = {
        msgid
        for msgid, msgstr in _entries(PO.read_text(encoding="utf-8"))
        if msgid and msgstr
    }
    assert sorted(found - translated) == []
