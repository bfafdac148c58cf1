"""Second factor for staff: who must have one, the sign-in steps, replays,
the lockout, recovery codes, enrolment, and the superuser's reset."""

import datetime as dt
import logging

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from briefs.two_factor import devices
from tests.factories import make_user
from tests.test_security_headers import _manage, inline_code

PASSWORD = "pw-for-tests-only"
IP = "203.0.113.7"
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
VERIFY = "/admin/two-factor/verify/"
SETUP = "/admin/two-factor/setup/"
MANAGE = "/admin/two-factor/"
RENEW = "/admin/two-factor/recovery-codes/"
# The editor's endpoints live under /admin/ too; none answers before the code.
STAFF_ENDPOINTS = [
    ("/admin/markdownx/markdownify/", {"content": "**Gras**"}),
    ("/admin/quality-report/", {"content": "Un texte à analyser."}),
    ("/admin/markdownx/upload/", {}),
]


@pytest.fixture(autouse=True)
def production_like(settings):
    """DEBUG off and the requirement on, as in production."""
    settings.DEBUG = False
    settings.NEWSROOM_2FA_REQUIRED = True


@pytest.fixture
def clock():
    """A frozen clock that tests move on by whole 30-second steps."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def code_of(device: TOTPDevice) -> str:
    """The code the authenticator app shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code the app does not show now, nor a step before or after."""
    accepted = set()
    for shift in (-30, 0, 30):
        totp = TOTP(device.bin_key, device.step, device.t0 - shift, device.digits)
        accepted.add(f"{totp.token():06d}")
    return next(
        c for c in ("000000", "111111", "222222", "333333") if c not in accepted
    )


def enrolled(user) -> tuple[TOTPDevice, list[str]]:
    """Give ``user`` a confirmed authenticator and recovery codes, as set up."""
    device = devices.pending_authenticator(user=user)
    verification = devices.confirm_authenticator(user=user, code=code_of(device))
    assert verification.outcome is devices.Outcome.ACCEPTED
    # The first code was used: the next sign-in needs the next one.
    return device, verification.recovery_codes


def password_login(user, client: Client | None = None, next_url: str = "/admin/"):
    client = client or Client(REMOTE_ADDR=IP)
    response = client.post(
        f"/admin/login/?next={next_url}",
        {"username": user.username, "password": PASSWORD},
    )
    assert response.status_code == 302, "password refused"
    return client


def send_code(client: Client, code: str, url: str = VERIFY):
    return client.post(url, {"code": code, "next": "/admin/"})


def failures(user) -> int:
    return sum(
        AccessAttempt.objects.filter(username=user.username).values_list(
            "failures_since_start", flat=True
        )
    )


def later(clock, steps: int = 1) -> None:
    """Move the clock to a later 30-second step (and past django-otp's waits)."""
    clock.shift(dt.timedelta(seconds=30 * steps))


# Who must have a second factor ---------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "chief"])
def test_reviewer_and_chief_without_a_device_are_sent_to_enrolment(db, role):
    client = password_login(make_user(role))
    for url in ("/admin/", "/admin/briefs/variant/", "/admin/password_change/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{SETUP}?next="), url


def test_a_superuser_without_a_device_is_sent_to_enrolment(db, django_user_model):
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.org", PASSWORD
    )
    response = password_login(admin).get("/admin/auth/user/")
    assert response["Location"].startswith(SETUP)


@pytest.mark.parametrize("role", ["reviewer", "chief"])
@pytest.mark.parametrize(("url", "data"), STAFF_ENDPOINTS)
def test_staff_endpoints_refuse_an_unverified_session(db, role, url, data):
    client = password_login(make_user(role))
    response = client.post(url, data)
    assert response.status_code == 403
    assert "<strong>" not in response.content.decode()
    assert "readability" not in response.content.decode()


def test_an_editor_is_not_forced(db):
    client = password_login(make_user("editor"))
    assert client.get("/admin/").status_code == 200
    response = client.post("/admin/markdownx/markdownify/", {"content": "**Gras**"})
    assert response.status_code == 200


def test_the_requirement_follows_the_permission_not_only_the_group(db):
    from django.contrib.auth.models import Permission

    user = make_user(None)
    user.user_permissions.add(Permission.objects.get(codename="publish_variant"))
    response = password_login(user).get("/admin/")
    assert response["Location"].startswith(SETUP)


def test_an_unverified_user_can_still_sign_out(db):
    client = password_login(make_user("reviewer"))
    response = client.post("/admin/logout/")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# Signing in with a device -------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "chief"])
def test_with_a_device_the_password_alone_reaches_no_staff_page(db, clock, role):
    user = make_user(role)
    enrolled(user)
    later(clock)
    client = password_login(user)
    for url in ("/admin/", "/admin/briefs/variant/", MANAGE, SETUP):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(VERIFY), url
    for url, data in STAFF_ENDPOINTS:
        assert client.post(url, data).status_code == 403, url
    # Nor can the password alone replace the authenticator or renew codes.
    assert client.post(SETUP, {"code": "123456"}).status_code == 403
    assert client.post(RENEW, {"code": "123456"}).status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_the_verification_page_has_no_menu_and_no_inline_code(db, clock):
    user = make_user("reviewer")
    enrolled(user)
    later(clock)
    response = password_login(user).get(VERIFY)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'autocomplete="one-time-code"' in page
    assert "Code de secours" in page
    assert "/admin/briefs/" not in page
    assert inline_code(page) == []


@pytest.mark.parametrize("role", ["reviewer", "chief"])
def test_the_right_code_lets_them_in(db, clock, role):
    user = make_user(role)
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user, next_url="/admin/briefs/variant/")
    response = client.post(
        VERIFY, {"code": code_of(device), "next": "/admin/briefs/variant/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/briefs/variant/"
    assert client.get("/admin/").status_code == 200
    endpoint = client.post("/admin/markdownx/markdownify/", {"content": "**Gras**"})
    assert endpoint.status_code == 200
    assert "<strong>Gras</strong>" in endpoint.content.decode()


def test_a_code_typed_with_a_space_is_accepted(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    code = code_of(device)
    assert send_code(client, f" {code[:3]} {code[3:]} ").status_code == 302


def test_an_unsafe_next_url_falls_back_to_the_admin_home(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    response = client.post(
        VERIFY, {"code": code_of(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


def test_a_wrong_code_is_refused_counted_and_logged(db, clock, caplog):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = send_code(client, wrong_code_for(device))
    assert response.status_code == 200
    assert "Code refusé" in response.content.decode()
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    assert failures(user) == 1
    logged = [r.getMessage() for r in caplog.records if r.name == "newsroom.security"]
    assert any(
        m.startswith("login failed") and user.username in m and IP in m for m in logged
    )


def test_a_replayed_code_is_refused_and_counted(db, clock):
    user = make_user("chief")
    device, _codes = enrolled(user)
    later(clock)
    first = password_login(user)
    code = code_of(device)
    assert send_code(first, code).status_code == 302
    # Someone who saw the code (over a shoulder, a phishing page) tries it too.
    second = password_login(user)
    response = send_code(second, code)
    assert response.status_code == 200
    assert "déjà utilisé" in response.content.decode()
    assert second.get("/admin/")["Location"].startswith(VERIFY)
    assert failures(user) == 1


def test_wrong_codes_lock_the_account_out_like_wrong_passwords(db, clock, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    for attempt in range(1, 6):
        later(clock)
        response = send_code(client, wrong_code_for(device))
        assert response.status_code == (429 if attempt == 5 else 200), attempt
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session
    later(clock)
    # Locked out: the password is refused from this address, as after 5 bad ones.
    locked = Client(REMOTE_ADDR=IP).post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert locked.status_code == 429


def test_signing_in_again_does_not_reset_the_count_of_wrong_codes(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    for _attempt in range(4):
        later(clock)
        assert send_code(client, wrong_code_for(device)).status_code == 200
    later(clock)
    # The password is right, but it is only half of the sign-in.
    client = password_login(user)
    later(clock)
    assert send_code(client, wrong_code_for(device)).status_code == 429


def test_wrong_passwords_and_wrong_codes_add_up(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    for _attempt in range(2):
        Client(REMOTE_ADDR=IP).post(
            "/admin/login/", {"username": user.username, "password": "wrong"}
        )
    client = password_login(user)
    for attempt in range(1, 4):
        later(clock)
        response = send_code(client, wrong_code_for(device))
        assert response.status_code == (429 if attempt == 3 else 200), attempt


def test_a_complete_sign_in_resets_the_count(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    for _attempt in range(4):
        later(clock)
        send_code(client, wrong_code_for(device))
    later(clock)
    assert send_code(client, code_of(device)).status_code == 302
    assert failures(user) == 0


def test_a_lockout_elsewhere_does_not_block_this_address(db, clock):
    user = make_user("reviewer")
    device, _codes = enrolled(user)
    later(clock)
    attacker = password_login(user, client=Client(REMOTE_ADDR="198.51.100.9"))
    for _attempt in range(5):
        later(clock)
        send_code(attacker, wrong_code_for(device))
    later(clock)
    client = password_login(user)
    assert send_code(client, code_of(device)).status_code == 302


# Recovery codes -------------------------------------------------------------


def test_a_recovery_code_works_once(db, clock):
    user = make_user("reviewer")
    _device, codes = enrolled(user)
    later(clock)
    client = password_login(user)
    assert send_code(client, codes[0].upper()).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()
    later(clock)
    again = password_login(user)
    response = send_code(again, codes[0])
    assert response.status_code == 200
    assert again.get("/admin/")["Location"].startswith(VERIFY)
    assert failures(user) == 1
    # The other codes still work.
    later(clock)
    assert send_code(again, codes[1]).status_code == 302


def test_renewing_recovery_codes_needs_a_current_code(db, clock):
    user = make_user("reviewer")
    device, old_codes = enrolled(user)
    later(clock)
    client = password_login(user)
    send_code(client, code_of(device))
    later(clock)
    refused = client.post(RENEW, {"code": wrong_code_for(device)})
    assert refused.status_code == 200
    assert "Code refusé" in refused.content.decode()
    assert failures(user) == 1
    later(clock)
    response = client.post(RENEW, {"code": code_of(device)})
    page = response.content.decode()
    assert response.status_code == 200
    new_codes = list(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert len(new_codes) == 10
    assert all(code in page for code in new_codes)
    assert not set(old_codes) & set(new_codes)
    # Shown once: the management page tells how many are left, not which.
    manage = client.get(MANAGE).content.decode()
    assert "10 codes de secours" in manage
    assert not any(code in manage for code in new_codes)


# Enrolment ----------------------------------------------------------------


def test_enrolment_shows_a_qr_code_and_the_secret_without_inline_code(db):
    user = make_user("reviewer")
    client = password_login(user)
    response = client.get(client.get("/admin/")["Location"])
    page = response.content.decode()
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert '<div class="qr-code"' in page and "<svg" in page
    assert devices.readable_secret(device) in page
    assert "un mot de passe seul ne suffit pas" in page
    assert "/admin/briefs/" not in page
    assert inline_code(page) == []
    # A reload shows the same secret: what was scanned stays valid.
    assert devices.readable_secret(device) in client.get(SETUP).content.decode()


def test_enrolment_confirmed_by_a_first_code_shows_the_recovery_codes_once(db, clock):
    user = make_user("chief")
    client = password_login(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    later(clock)
    refused = send_code(client, wrong_code_for(device), url=SETUP)
    assert refused.status_code == 200
    assert "Code refusé" in refused.content.decode()
    assert client.get("/admin/")["Location"].startswith(SETUP)
    later(clock)
    response = send_code(client, code_of(device), url=SETUP)
    page = response.content.decode()
    assert response.status_code == 200
    assert "ils ne seront plus jamais affichés" in page
    codes = StaticToken.objects.filter(device__user=user).values_list(
        "token", flat=True
    )
    assert len(codes) == 10 and all(code in page for code in codes)
    assert inline_code(page) == []
    assert client.get("/admin/").status_code == 200
    # Next sign-in: the code is asked.
    later(clock)
    assert password_login(user).get("/admin/")["Location"].startswith(VERIFY)


def test_an_editor_can_enrol_and_then_must_use_it(db, clock):
    user = make_user("editor")
    client = password_login(user)
    home = client.get("/admin/").content.decode()
    assert f'href="{MANAGE}"' in home
    assert "facultative" in client.get(MANAGE).content.decode()
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert send_code(client, code_of(device), url=SETUP).status_code == 200
    later(clock)
    again = password_login(user)
    assert again.get("/admin/")["Location"].startswith(VERIFY)
    assert send_code(again, code_of(device)).status_code == 302


def test_a_new_authenticator_replaces_the_old_one(db, clock):
    user = make_user("reviewer")
    old, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    send_code(client, code_of(old))
    assert "remplacera" in client.get(SETUP).content.decode()
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    later(clock)
    assert send_code(client, code_of(new), url=SETUP).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user)) == [new]


# The superuser's reset and the device admin ---------------------------------


@pytest.fixture
def superuser_client(db, django_user_model, clock):
    admin = django_user_model.objects.create_superuser(
        "root", "root@example.org", PASSWORD
    )
    device, _codes = enrolled(admin)
    later(clock)
    client = password_login(admin)
    assert send_code(client, code_of(device)).status_code == 302
    return client


def test_a_superuser_resets_a_second_factor_from_the_users_list(
    superuser_client, clock
):
    user = make_user("reviewer")
    enrolled(user)
    response = superuser_client.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [user.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticToken.objects.filter(device__user=user).exists()
    later(clock)
    assert password_login(user).get("/admin/")["Location"].startswith(SETUP)


def test_device_pages_show_no_secret_even_to_a_superuser(superuser_client):
    user = make_user("reviewer")
    device, codes = enrolled(user)
    listing = superuser_client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200
    page = superuser_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert devices.readable_secret(device) not in page.content.decode()
    config = superuser_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert config.status_code == 403
    static = superuser_client.get("/admin/otp_static/staticdevice/")
    assert not any(code in static.content.decode() for code in codes)
    # Nobody adds a device with a secret of their choosing to someone's account.
    assert superuser_client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_other_staff_can_neither_see_devices_nor_reset_them(db, clock):
    from django.contrib.auth.models import Permission

    chief = make_user("chief")
    chief.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "change_user"])
    )
    device, _codes = enrolled(chief)
    victim = make_user("reviewer")
    enrolled(victim)
    later(clock)
    client = password_login(chief)
    send_code(client, code_of(device))
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 403
    users = client.get("/admin/auth/user/")
    assert users.status_code == 200
    assert "reset_second_factor" not in users.content.decode()
    client.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [victim.pk]},
    )
    assert TOTPDevice.objects.filter(user=victim).exists()


def test_the_management_page_has_no_inline_code(db, clock):
    user = make_user("chief")
    device, _codes = enrolled(user)
    later(clock)
    client = password_login(user)
    send_code(client, code_of(device))
    response = client.get(MANAGE)
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


# Development and settings ---------------------------------------------------


def test_demo_accounts_get_in_with_their_password_in_development(demo, settings):
    from briefs.ops.demo import ACCOUNTS

    settings.DEBUG = True
    settings.NEWSROOM_2FA_REQUIRED = False
    for account in ACCOUNTS:
        client = Client(REMOTE_ADDR=IP)
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": account.username, "password": account.password},
        )
        assert response.status_code == 302, account.username
        assert client.get("/admin/").status_code == 200, account.username


@pytest.mark.parametrize(
    ("module", "env", "expected"),
    [
        ("newsroom.settings.prod", {}, "True"),
        ("newsroom.settings.dev", {}, "False"),
        ("newsroom.settings.prod", {"NEWSROOM_2FA_REQUIRED": "0"}, "False"),
    ],
)
def test_production_requires_the_second_factor_by_default(module, env, expected):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.NEWSROOM_2FA_REQUIRED)",
        DJANGO_SETTINGS_MODULE=module,
        DJANGO_SECRET_KEY="k" * 60,
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


def test_a_next_address_that_is_not_a_path_of_the_site_goes_home(client, db):
    """?next= of any shape (a word, a digit of another script) never errs."""
    user = make_user("editor")
    client.force_login(user)
    for target in ("²", "admin", "//evil.example/", "https://evil.example/"):
        response = client.get("/admin/two-factor/verify/", {"next": target})
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
