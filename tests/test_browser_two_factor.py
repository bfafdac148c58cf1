"""A reviewer's first sign-in on a phone: enrolment, recovery codes, then the code."""

import base64
import time

import pytest
from django_otp.oath import TOTP

from tests.browser import BROWSER_TESTS, screenshot
from tests.factories import make_user

pytestmark = BROWSER_TESTS


@pytest.fixture
def phone(django_db_setup, live_server, settings, browser):
    settings.NEWSROOM_2FA_REQUIRED = True
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 800}, locale="fr-FR"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _shot(page, name: str) -> None:
    screenshot(page, name.removesuffix(".png"))


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _code(secret: str, offset: int = 0) -> str:
    secret = "".join(secret.split())
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def _sign_in(page, username: str) -> None:
    page.goto("/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests-only")
    page.click("input[type=submit]")


def test_a_reviewer_sets_up_the_second_factor_on_a_phone(phone):
    reviewer = make_user("reviewer")
    _sign_in(phone, reviewer.username)
    phone.wait_for_url("**/admin/two-factor/setup/**")
    qr = phone.locator(".qr-code svg")
    box = qr.bounding_box()
    assert box is not None and 150 <= box["width"] <= 390
    assert _overflow(phone) <= 0
    _shot(phone, "two-factor-setup.png")
    secret = phone.locator(".two-factor-secret").inner_text()
    phone.fill("#id_code", _code(secret))
    phone.click("button.default")
    codes = phone.locator(".recovery-codes code")
    assert codes.count() == 10
    assert _overflow(phone) <= 0
    _shot(phone, "two-factor-recovery-codes.png")
    phone.click("text=J'ai noté mes codes, continuer")
    phone.wait_for_url("**/admin/")
    assert phone.locator("#user-tools a", has_text="Double authentification").count()

    # Next sign-in: the code is asked, on a page that fits the phone.
    phone.context.clear_cookies()
    _sign_in(phone, reviewer.username)
    phone.wait_for_url("**/admin/two-factor/verify/**")
    assert _overflow(phone) <= 0
    _shot(phone, "two-factor-verify.png")
    phone.fill("#id_code", _code(secret, offset=30))
    phone.click("button.default")
    phone.wait_for_url("**/admin/")
    assert phone.locator("#user-tools").count()
