"""What the browser tests share: Debian's Chromium driven by Playwright."""

from __future__ import annotations

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# As root on a closed network: no sandbox, no background connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "build" / "screens"


def launch(playwright):
    """A headless Chromium; ``make test`` installs Debian's package if missing."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs it (Debian package chromium)."
        )
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


def screenshot(page, name: str) -> Path:
    """Keep a full-page screenshot for people to look at (not compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def admin_login(page, username: str, password: str) -> None:
    """Sign in through the admin's login form, as a person does."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/")


# What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = ("serious", "critical")
# Markup of Django's own admin that our templates do not write, excluded by
# its precise selector only (each with the reason it cannot be changed here).
AXE_EXCLUDED: list[str] = [
    # modeltranslation's language tabs: jQuery UI puts a link (tabindex -1)
    # inside each role="tab" item (nested-interactive); its script, not ours.
    ".ui-tabs-nav > li.ui-tabs-tab",
]


def accessibility_problems(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """The serious and critical WCAG A/AA violations axe finds on ``page``."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in (*AXE_EXCLUDED, *exclude)]}
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "resultTypes": ["violations"],
    }
    if not context["exclude"]:
        context = None
    results = Axe().run(page, context=context, options=options)
    return [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def describe_violations(violations: list[dict]) -> str:
    """One paragraph per violation: the rule, why, and each element found."""
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, name: str, *, exclude: tuple[str, ...] = ()) -> None:
    """Fail, with a readable list, if axe finds a serious or critical WCAG
    2.1/2.2 A or AA violation on the page as it is now (``name`` says which)."""
    violations = accessibility_problems(page, exclude=exclude)
    if violations:
        screenshot(page, f"a11y-{name}")
        pytest.fail(
            f"{name} ({page.url}): {len(violations)} accessibility problem(s)\n"
            + describe_violations(violations),
            pytrace=False,
        )


def authenticator_code(device, *, ahead: int = 0) -> str:
    """The 6 digits ``device``'s app shows now (``ahead`` steps later)."""
    from django_otp.oath import TOTP

    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + ahead * device.step
    return f"{totp.token():06d}"


def enrol_authenticator(user):
    """Give ``user`` a confirmed authenticator app, as if set up on their phone."""
    from briefs.two_factor import devices

    device = devices.pending_authenticator(user=user)
    verification = devices.confirm_authenticator(
        user=user, code=authenticator_code(device)
    )
    assert verification.outcome is devices.Outcome.ACCEPTED
    return device


def admin_login_with_code(page, user, password: str, device) -> None:
    """Sign in with the password, then the app's code, as a reviewer does.

    The code that confirmed the app cannot be used again: the next one is
    typed (the server accepts one step of drift)."""
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Nom d’utilisateur").fill(user.get_username())
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_url("**/admin/two-factor/verify/**")
    page.get_by_label("Code à 6 chiffres").fill(authenticator_code(device, ahead=1))
    page.get_by_role("button", name="Vérifier").click()
    page.wait_for_url("**/admin/")
