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
