"""The demo content of `make run`."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from briefs.models import Brief, ReviewEvent, Variant


def test_demo_accounts_are_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Brief.objects.exists()


def test_seed_demo_publishes_both_variants_once(db, settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "redactrice" in out and "relecteur" in out and "chef" in out
    assert Variant.objects.published().count() == 2
    # For each variant: the import and the citations added (two saves of the
    # text), submit, approve, publish; and nothing more on a re-run.
    actions = sorted(ReviewEvent.objects.values_list("action", flat=True))
    assert actions == sorted(["edit", "edit", "submit", "approve", "publish"] * 2)


def test_the_demo_content_ships_inside_the_repository(settings):
    """A clone with nothing beside it has the demo brief and its sources."""
    from pathlib import Path

    folder = Path(settings.NEWSROOM_FIXTURES_DIR).resolve()
    assert folder.is_relative_to(Path(settings.BASE_DIR).resolve())
    assert (folder / "breve-tacrolimus-dermatomyosite.txt").is_file()
    assert (folder / "sources-tacrolimus.bib").is_file()


def test_seed_demo_reads_another_folder_when_told(db, settings, tmp_path, capsys):
    """NEWSROOM_FIXTURES_DIR overrides the shipped copy; a wrong one is named."""
    settings.DEBUG = True
    settings.NEWSROOM_FIXTURES_DIR = tmp_path
    with pytest.raises(CommandError, match=str(tmp_path)):
        call_command("seed_demo")
    assert not Brief.objects.exists()
