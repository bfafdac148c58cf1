"""Load test on loopback: gunicorn on PostgreSQL while editors work.

Starts gunicorn (production settings, whitenoise) on a scratch PostgreSQL
database, then, for a bounded time and number of requests, has readers
fetch public pages (plus a few hostile URLs) over HTTP while editor,
reviewer and chief-editor threads submit, approve, publish, unpublish and
edit the same variants at once, racing each other on purpose.

Passes when no response was a 5xx, and every transition that succeeded was
recorded exactly once, each event starting from the state the previous one
ended in.

    python bench/load_test.py --database-url postgres://postgres@127.0.0.1:5432/newsroom_load
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TRANSITIONS = ("submit", "request_changes", "approve", "publish", "unpublish")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/newsroom_load"
        ),
    )
    parser.add_argument("--seconds", type=float, default=45, help="time bound")
    parser.add_argument("--requests", type=int, default=4000, help="request bound")
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--variants", type=int, default=12)
    return parser.parse_args()


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(n_variants: int):
    from django.core.management import call_command

    from tests import factories

    call_command("migrate", verbosity=0)
    people = {
        "editor": [factories.make_user("editor") for _ in range(3)],
        "reviewer": [factories.make_user("reviewer") for _ in range(2)],
        "chief": [factories.make_user("chief") for _ in range(2)],
    }
    source = factories.make_source("load-source")
    variants = []
    for i in range(n_variants):
        editor = people["editor"][i % 3]
        variant = factories.make_variant(
            author=editor, source=source, title=f"Brève de charge {i}"
        )
        if i % 2 == 0:  # half start online so readers have pages to read
            variant = factories.publish(
                variant, reviewer=people["reviewer"][0], chief=people["chief"][0]
            )
        variants.append(variant.pk)
    return people, variants


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: Counter = Counter()
        self.errors: list[str] = []
        self.requests = 0
        self.succeeded: Counter = Counter()
        self.refused: Counter = Counter()

    def http(self, url: str, status: int) -> None:
        with self.lock:
            self.requests += 1
            self.statuses[status // 100 * 100] += 1
            if status >= 500:
                self.errors.append(f"{status} {url}")


def reader(port, urls, stats: Stats, stop: threading.Event, budget: int):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    rng = random.Random()
    while not stop.is_set() and stats.requests < budget:
        url = rng.choice(urls())
        try:
            conn.request("GET", url, headers={"X-Forwarded-Proto": "https"})
            response = conn.getresponse()
            response.read()
            stats.http(url, response.status)
        except (OSError, http.client.HTTPException) as exc:
            stats.errors.append(f"connection error {url}: {exc!r}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    conn.close()


def worker(role, users, variant_ids, stats: Stats, stop: threading.Event):
    """One person of the newsroom, acting on random variants as fast as allowed."""
    from django.db import close_old_connections

    from briefs.editorial import workflow
    from briefs.models import Variant

    actions = {
        "editor": ["submit", "edit"],
        "reviewer": ["approve", "request_changes"],
        "chief": ["publish", "publish", "unpublish", "approve"],
    }[role]
    rng = random.Random()
    while not stop.is_set():
        user = rng.choice(users)
        action = rng.choice(actions)
        try:
            variant = Variant.objects.get(pk=rng.choice(variant_ids))
            if action == "edit":
                variant.body_fr += f"\n\nAjout {secrets.token_hex(3)} [@load-source]."
                workflow.save_content(
                    variant=variant, user=user, expected_edit_count=variant.edit_count
                )
            else:
                workflow.perform(
                    action,
                    variant=variant,
                    user=user,
                    comment="charge",
                    confirm=rng.random() < 0.5,
                    change_kind=rng.choice(["substance", "minor"]),
                    change_note="Charge.",
                )
            with stats.lock:
                stats.succeeded[action] += 1
        except workflow.WorkflowError:
            with stats.lock:
                stats.refused[action] += 1
        except Exception as exc:  # anything else is a bug the run must report
            with stats.lock:
                stats.errors.append(f"{role} {action}: {exc!r}")
                if len(stats.errors) < 3:
                    traceback.print_exc()
        finally:
            close_old_connections()


def check_audit_trail(stats: Stats) -> list[str]:
    """Every successful transition recorded once, in an unbroken chain."""
    from briefs.models import ReviewEvent, State, Variant

    problems = []
    recorded = Counter(
        ReviewEvent.objects.filter(comment__startswith="charge").values_list(
            "action", flat=True
        )
    )
    for action in TRANSITIONS:
        if recorded[action] != stats.succeeded[action]:
            problems.append(
                f"{action}: {stats.succeeded[action]} succeeded, "
                f"{recorded[action]} recorded"
            )
    for variant in Variant.objects.all():
        state = State.DRAFT
        for event in variant.events.order_by("created_at", "pk"):
            if event.from_state != state:
                problems.append(
                    f"variant {variant.pk}: event {event.pk} from {event.from_state}"
                    f" but state was {state}"
                )
            state = event.to_state
        if state != variant.state:
            problems.append(
                f"variant {variant.pk}: ends {variant.state}, trail {state}"
            )
        if variant.is_live and variant.live_revision.approved_at is None:
            problems.append(f"variant {variant.pk}: live revision not approved")
    return problems


def main() -> int:
    args = parse_args()
    recreate_database(args.database_url)
    secret = secrets.token_urlsafe(50)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    people, variant_ids = seed(args.variants)
    call_command("collectstatic", interactive=False, verbosity=0)

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "newsroom/gunicorn.conf.py",
            "newsroom.wsgi:application",
        ],  # fmt: skip
        cwd=ROOT,
        env={
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
            "GUNICORN_ACCESS_LOG": "/dev/null",
        },
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(ROOT / "bench" / "load_test_server.log", "w"),  # noqa: SIM115
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.2)  # waiting for a server to start, not for a test
        else:
            print("gunicorn did not start")
            return 1

        from briefs.models import Variant

        slugs = list(Variant.objects.values_list("audience__code", "brief__slug"))

        from tests.test_hostile_input import HOSTILE_URLS

        def urls():
            aud, slug = random.choice(slugs)
            hostile = random.choice(HOSTILE_URLS).replace("{slug}", slug)
            return [hostile,
                "/fr/", "/fr/afm/", "/fr/aim/", "/en/afm/", f"/fr/{aud}/{slug}/",
                f"/fr/{aud}/{slug}/", f"/en/{aud}/{slug}/", "/healthz",
                "/fr/afm/?page=999999999", "/fr/afm/?page=-1", "/de/afm/",
                f"/fr/afm/{'x' * 300}/", "/static/css/site.css", "/admin/login/",
            ]  # fmt: skip

        stats = Stats()
        stop = threading.Event()
        threads = [
            threading.Thread(
                target=reader, args=(port, urls, stats, stop, args.requests)
            )
            for _ in range(args.readers)
        ]
        for role, users in people.items():
            for _ in range(2):
                threads.append(
                    threading.Thread(
                        target=worker, args=(role, users, variant_ids, stats, stop)
                    )
                )
        started = time.monotonic()
        for t in threads:
            t.start()
        while (
            time.monotonic() - started < args.seconds and stats.requests < args.requests
        ):
            time.sleep(0.2)  # the test's own clock: bounded duration
        stop.set()
        for t in threads:
            t.join(timeout=30)
        elapsed = time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    problems = check_audit_trail(stats)
    print(
        f"{stats.requests} requests in {elapsed:.1f}s "
        f"({stats.requests / elapsed:.0f}/s), statuses {dict(stats.statuses)}"
    )
    print(f"transitions done {dict(stats.succeeded)}, refused {dict(stats.refused)}")
    for line in stats.errors[:20] + problems[:20]:
        print("FAIL", line)
    ok = not stats.errors and not problems and stats.statuses[500] == 0
    print("load test:", "OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
