"""Shared fixtures."""

from pathlib import Path

import pytest

import briefs
from tests import factories

DEMO_CONTENT = Path(briefs.__file__).resolve().parent / "demo_content"


@pytest.fixture
def fixtures_dir() -> Path:
    """The demo content the repository ships (never a folder beside it)."""
    return DEMO_CONTENT


@pytest.fixture
def brief_text(fixtures_dir) -> str:
    return (fixtures_dir / "breve-tacrolimus-dermatomyosite.txt").read_text(
        encoding="utf-8"
    )


@pytest.fixture
def bib_text(fixtures_dir) -> str:
    return (fixtures_dir / "sources-tacrolimus.bib").read_text(encoding="utf-8")


@pytest.fixture
def editor(db):
    return factories.make_user("editor")


@pytest.fixture
def reviewer(db):
    return factories.make_user("reviewer", first_name="Dr Paul", last_name="Lefèvre")


@pytest.fixture
def chief(db):
    return factories.make_user("chief")


@pytest.fixture
def demo(db, settings, fixtures_dir):
    """The demo brief, imported and published as `make run` does."""
    from briefs.ops import demo as demo_module

    settings.DEBUG = True
    users = demo_module.seed(fixtures_dir=fixtures_dir)
    settings.DEBUG = False
    return users


@pytest.fixture(autouse=True)
def _french_first():
    """Each test starts in the site's default language, whatever ran before."""
    from django.utils import translation

    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def browser(monkeypatch):
    """A headless Chromium; Playwright's sync API runs its own event loop."""
    from playwright.sync_api import sync_playwright

    from tests.browser import launch

    # The ORM is used by fixtures while Playwright's loop exists in this thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()
