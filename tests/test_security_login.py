"""Login brute force: lockout by username and address, cool-off, logging."""

import datetime as dt

import pytest
import time_machine
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from tests.factories import make_user

LOGIN = "/admin/login/"
PASSWORD = "pw-for-tests-only"


def _login(client, username, password, ip="203.0.113.7", **headers):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
        **headers,
    )


@pytest.fixture
def editor_account(db):
    return make_user("editor")


def _fail(client, user, times, ip="203.0.113.7"):
    for attempt in range(1, times + 1):
        response = _login(client, user.username, "wrong", ip=ip)
        # The form again with an error; the fifth failure locks the account.
        assert response.status_code == (429 if attempt >= 5 else 200)


def test_right_password_logs_in(client, editor_account):
    response = _login(client, editor_account.username, PASSWORD)
    assert response.status_code == 302


def test_four_failures_still_let_the_right_password_in(client, editor_account):
    _fail(client, editor_account, 4)
    assert _login(client, editor_account.username, PASSWORD).status_code == 302


def test_five_failures_lock_the_account_for_that_address(client, editor_account):
    _fail(client, editor_account, 5)
    response = _login(client, editor_account.username, PASSWORD)
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_does_not_spill_to_another_address_or_user(client, editor_account):
    other = make_user("editor")
    _fail(client, editor_account, 5)
    assert (
        _login(client, editor_account.username, PASSWORD, ip="198.51.100.9").status_code
        == 302
    )
    client.logout()
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_the_lockout_ends_after_the_cool_off_time(client, editor_account, settings):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _fail(client, editor_account, 5)
        assert _login(client, editor_account.username, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=10), tick=False):
        assert _login(client, editor_account.username, PASSWORD).status_code == 429
    with time_machine.travel(start + dt.timedelta(minutes=40), tick=False):
        assert _login(client, editor_account.username, PASSWORD).status_code == 302


def test_failed_logins_and_lockouts_are_logged_without_password(
    client, editor_account, caplog
):
    with caplog.at_level("WARNING", logger="newsroom.security"):
        _fail(client, editor_account, 5)
        _login(client, editor_account.username, "secret-guess")
    messages = [r.getMessage() for r in caplog.records if r.name == "newsroom.security"]
    failed = [m for m in messages if m.startswith("login failed")]
    assert len(failed) >= 5
    assert editor_account.username in failed[0] and "203.0.113.7" in failed[0]
    assert any(m.startswith("login locked out") for m in messages)
    assert not any("wrong" in m or "secret-guess" in m for m in messages)


def test_behind_a_proxy_the_forwarded_address_counts(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    request = RequestFactory().post(
        LOGIN,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
    )
    # The proxy appended the address it saw; what the client wrote before is ignored.
    assert get_client_ip_address(request) == "203.0.113.7"


def test_without_proxy_settings_a_forged_header_is_ignored():
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert get_client_ip_address(request) == "203.0.113.7"


def test_a_username_too_long_for_the_lockout_table_is_refused_cleanly(client, db):
    response = _login(client, "a" * 10_000, "x")
    assert response.status_code == 200
