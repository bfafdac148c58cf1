"""Benchmark the public pages against a minimal Django view (``make bench``).

For each database (SQLite always; PostgreSQL with Redis when a database URL
is given), builds the data set, starts four gunicorn servers on loopback with
the production settings (the site with its page cache, the site with the
cache off, which renders every page on every request, the floor: a minimal
view returning the detail page from memory, and the naive anchor: the detail
page as three queries, Markdown and a template per request), drives each page
with wrk, prints requests/s, p50 and p99 and the ratio to the floor, then
times the admin changelists, the admin search, deep listing pages and the
sitemap one request at a time. A page that times out or fails is reported as
such and the run goes on. Every server it started is stopped on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable

# Pages driven with wrk. {slug} is a brief in the middle of the set, {deep}
# a listing page deep in the archive (1,000 when the set has that many).
PAGES = (
    ("home", "/fr/"),
    ("listing", "/fr/afm/"),
    ("listing, deep page", "/fr/afm/?page={deep}"),
    ("topic", "/fr/afm/topic/bench-theme-3/"),
    ("detail", "/fr/afm/{slug}/"),
    ("search, word in every brief", "/fr/search/?q=tacrolimus"),
    ("search, two words", "/fr/search/?q=survie+pulmonaire"),
    ("feed", "/fr/afm/feed/"),
    ("sitemap index", "/sitemap.xml"),
    ("sitemap page", "/sitemap-briefs.xml?p=1"),
)
# Timed one request at a time (median, p90), the page cache off.
SEQUENTIAL = (
    ("admin briefs", "/admin/briefs/brief/", True),
    ("admin variants", "/admin/briefs/variant/", True),
    (
        "admin variants, published",
        "/admin/briefs/variant/?state__exact=published",
        True,
    ),
    ("admin sources", "/admin/briefs/source/", True),
    ("admin history", "/admin/briefs/reviewevent/", True),
    ("admin search, briefs", "/admin/briefs/brief/?q=tacrolimus", True),
    ("admin search, variants", "/admin/briefs/variant/?q=dermatomyosite", True),
    ("admin search, one brief", "/admin/briefs/brief/?q=bench-{middle}-", True),
    ("listing", "/fr/afm/", False),
    ("listing, deep page", "/fr/afm/?page={deep}", False),
    ("topic", "/fr/afm/topic/bench-theme-3/", False),
    ("search, word in every brief", "/fr/search/?q=tacrolimus", False),
    ("search, two words", "/fr/search/?q=survie+pulmonaire", False),
    ("search, no match", "/fr/search/?q=zzzyx", False),
    ("feed", "/fr/afm/feed/", False),
    ("sitemap index", "/sitemap.xml", False),
    ("sitemap, first page", "/sitemap-briefs.xml?p=1", False),
    ("sitemap, last page", "/sitemap-briefs.xml?p={sitemap_last}", False),
)
TIMEOUT = 30  # seconds, for one request


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    failure: str = ""

    @classmethod
    def failed(cls, why: str) -> Result:
        return cls(0.0, 0.0, 0.0, 0, why)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_duration_ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> Result:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)
    errors = 0
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non2xx:
        errors += int(non2xx.group(1))
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if sockets:
        errors += sum(int(n) for n in sockets.groups())
    return Result(rps, parse_duration_ms(p50), parse_duration_ms(p99), errors)


class Bench:
    """One database's run: its data set, its servers, its measures."""

    def __init__(self, args: argparse.Namespace, database_url: str, redis_url: str):
        self.args = args
        self.servers: list[subprocess.Popen] = []
        RESULTS.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url
        self.label = (
            "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
        ) + (", Redis cache" if redis_url else ", database cache")
        self.tag = "pg" if database_url.startswith("postgres") else "sqlite"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Plain HTTP on loopback: no redirect to HTTPS, no HSTS.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_STATIC_ROOT": str(RESULTS / "static"),
            "DJANGO_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            # The benchmark's own database: bench/session.py refuses any other.
            "NEWSROOM_BENCH_DATABASE": database_url,
            # Each run's pages under their own release: no page of an
            # earlier run is served from a shared cache.
            "NEWSROOM_RELEASE": f"bench-{secrets.token_hex(4)}",
            "PYTHONPATH": str(ROOT),
        }
        if redis_url:
            self.env["REDIS_URL"] = redis_url

    # Processes -----------------------------------------------------------
    def manage(self, *argv: str) -> str:
        return self.python("manage.py", *argv)

    def python(self, *argv: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [PYTHON, *argv],
            cwd=ROOT,
            env=env or self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    def start(self, name: str, app: str, extra_env: dict) -> str:
        port = free_port()
        log = open(RESULTS / f"{self.tag}-{name}.log", "w")  # noqa: SIM115 (kept for the server's life)
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                app,
                "--workers",
                str(self.args.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                str(TIMEOUT * 2),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**self.env, **extra_env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.servers.append(server)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise SystemExit(f"{name} server exited: see {log.name}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return base
            time.sleep(0.2)
        raise SystemExit(f"{name} server did not start: see {log.name}")

    def stop_all(self) -> None:
        for server in self.servers:
            if server.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGTERM)
        for server in self.servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        self.servers.clear()

    # Measures ------------------------------------------------------------
    def wrk(self, url: str) -> Result:
        seconds = parse_duration_ms(self.args.duration) / 1000
        try:
            output = subprocess.run(
                [
                    "wrk",
                    f"-t{self.args.threads}",
                    f"-c{self.args.connections}",
                    f"-d{self.args.duration}",
                    f"--timeout={TIMEOUT}s",
                    "--latency",
                    url,
                ],
                check=True,
                capture_output=True,
                text=True,
                timeout=seconds + TIMEOUT + 30,
            ).stdout
        except subprocess.TimeoutExpired:
            return Result.failed("wrk did not finish")
        result = parse_wrk(output)
        if result.rps == 0:
            result.failure = f"no answer within {TIMEOUT} s"
        return result

    @staticmethod
    def fetch(url: str, cookie: str = "") -> tuple[int | str, bytes]:
        """(status, body); status is "timeout" or "error" when it never came."""
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""
        except TimeoutError:
            return "timeout", b""
        except (urllib.error.URLError, OSError) as error:
            if isinstance(getattr(error, "reason", None), TimeoutError):
                return "timeout", b""
            return "error", b""

    def latency(self, url: str, cookie: str = "", count: int = 31) -> tuple:
        status, _ = self.fetch(url, cookie)
        if status != 200:
            return status, None, None
        times = []
        for _ in range(count):
            started = time.perf_counter()
            status, _ = self.fetch(url, cookie)
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                return status, None, None
            times.append(elapsed)
        times.sort()
        return status, statistics.median(times), times[int(len(times) * 0.9)]

    # The run -------------------------------------------------------------
    def prepare(self) -> tuple[dict, str]:
        print(f"{self.label}: {self.database_url}", flush=True)
        self.manage("migrate", "--noinput", "-v0")
        started = time.monotonic()
        print(
            "  "
            + self.python("-m", "bench.data", "--briefs", str(self.args.briefs)).strip()
        )
        print(f"  ({time.monotonic() - started:.1f} s)", flush=True)
        self.manage("collectstatic", "--noinput", "-v0")
        cookie = self.python("-m", "bench.session").strip()
        briefs = self.args.briefs
        listing_pages = max(1, -(-briefs // 20))
        sitemap_pages = max(1, -(-briefs * 2 // 2000))
        values = {
            "slug": f"bench-{briefs // 2}-tacrolimus-myosite",
            "middle": briefs // 2,
            "deep": 1000 if listing_pages >= 1000 else max(1, listing_pages // 2),
            "sitemap_last": sitemap_pages,
        }
        return values, cookie

    def run(self) -> str:
        values, cookie = self.prepare()
        cached = self.start("site-cached", "newsroom.wsgi:application", {})
        uncached = self.start(
            "site-uncached",
            "newsroom.wsgi:application",
            {"NEWSROOM_PAGE_CACHE_SECONDS": "0"},
        )
        detail = PAGES[4][1].format(**values)
        status, html = self.fetch(uncached + detail)
        if status != 200:
            raise SystemExit(f"detail page answered {status}")
        floor_html = RESULTS / f"{self.tag}-floor.html"
        floor_html.write_bytes(html)
        floor = self.start(
            "floor", "bench.floor:application", {"BENCH_FLOOR_HTML": str(floor_html)}
        )
        naive = self.start("naive", "bench.naive:application", {})
        settings_line = (
            f"wrk -t{self.args.threads} -c{self.args.connections} "
            f"-d{self.args.duration}; gunicorn {self.args.workers} sync workers; "
            f"{self.args.briefs:,} briefs; {self.label}"
        )
        print(f"  load: {settings_line}", flush=True)

        # The floor is measured between pages, and each page is compared with
        # the floor measured just before and just after it: the machine's load
        # drifts during a run, side by side keeps the ratios honest.
        floors = [self.wrk(floor + "/floor/")]
        if floors[0].errors or floors[0].failure:
            raise SystemExit(f"the floor fails: see {self.tag}-floor.log")
        rows = []
        anchors = [
            ("naive detail (anchor)", "/naive/afm/{slug}/".format(**values), naive)
        ]
        for name, path in [*((n, p.format(**values)) for n, p in PAGES)]:
            status, _ = self.fetch(uncached + path)
            if status != 200:
                print(f"  {name}: {path} answers {status}: reported, run goes on")
                rows.append((name, path, Result.failed(str(status)), None, None))
                continue
            for base in (uncached, cached):
                for _ in range(3):  # warm the workers and the cache
                    self.fetch(base + path)
            measured = (self.wrk(uncached + path), self.wrk(cached + path))
            floors.append(self.wrk(floor + "/floor/"))
            floor_rps = statistics.mean(f.rps for f in floors[-2:])
            rows.append((name, path, *measured, floor_rps))
            print(f"  {name} measured", flush=True)
            if name == "detail":
                for label, anchor_path, base in anchors:
                    status, _ = self.fetch(base + anchor_path)
                    result = (
                        self.wrk(base + anchor_path)
                        if status == 200
                        else (Result.failed(str(status)))
                    )
                    floors.append(self.wrk(floor + "/floor/"))
                    floor_rps = statistics.mean(f.rps for f in floors[-2:])
                    rows.append((label, anchor_path, result, None, floor_rps))

        latencies = []
        for label, path, admin in SEQUENTIAL:
            path = path.format(**values)
            latencies.append(
                (label, path, *self.latency(uncached + path, cookie if admin else ""))
            )
        self.stop_all()
        measured = [row[1] for row in rows if not row[2].failure and row[3] is not None]
        cpu = subprocess.run(
            [PYTHON, "bench/cpu.py", *measured],
            cwd=ROOT,
            env={**self.env, "BENCH_FLOOR_HTML": str(floor_html)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        self.failures = [
            f"{name} ({path}): {uncached.failure or f'{uncached.errors} errors'}"
            for name, path, uncached, _cached, _floor in rows
            if uncached.failure or uncached.errors
        ] + [
            f"{label} ({path}): {status}"
            for label, path, status, _median, _p90 in latencies
            if status != 200
        ]
        return report(settings_line, floors, rows, latencies, cpu)


def _cell(result: Result | None, floor_rps: float) -> str:
    if result is None:
        return "| | |"
    if result.failure:
        return f"{result.failure} | | |"
    flag = f" ({result.errors} errors)" if result.errors else ""
    return (
        f"{result.rps:,.0f}{flag} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
        f"| {result.rps / floor_rps:.2f}"
    )


def report(settings_line, floors, rows, latencies, cpu) -> str:
    lines = [
        f"Load: {settings_line}",
        "",
        "Floor (minimal view, same settings, detail HTML from memory), measured "
        "before the first page and after each page: "
        + " / ".join(f"{f.rps:,.0f}" for f in floors)
        + " req/s. Each ratio divides by the mean of the floors around its page.",
        "",
        "| page | floor req/s | uncached req/s | p50 ms | p99 ms | ratio "
        "| cached req/s | p50 ms | p99 ms | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, path, uncached, cached, floor_rps in rows:
        if floor_rps is None:
            lines.append(f"| {name} (`{path}`) | | {uncached.failure} | | | | | | | |")
            continue
        lines.append(
            f"| {name} (`{path}`) | {floor_rps:,.0f} | "
            + _cell(uncached, floor_rps)
            + " | "
            + (_cell(cached, floor_rps) if cached else "| | |")
            + " |"
        )
    lines += [
        "",
        "One request at a time (31 requests after one warm-up, the page cache off;"
        " the admin as a superuser):",
        "",
        "| page | status | median ms | p90 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, path, status, median, p90 in latencies:
        if median is None:
            lines.append(f"| {label} (`{path}`) | {status} | | |")
        else:
            lines.append(
                f"| {label} (`{path}`) | {status} | {median:.1f} | {p90:.1f} |"
            )
    lines += ["", "CPU per request in one process (no sockets, no other load):", ""]
    lines.append(cpu.strip())
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--briefs", type=int)
    parser.add_argument("--duration", default=None, help="wrk duration, e.g. 10s")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="PostgreSQL database of the benchmark (created beforehand); "
        "run beside SQLite, with REDIS_URL's cache when set",
    )
    parser.add_argument(
        "--no-sqlite", action="store_true", help="only the --database-url run"
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 if any page failed (CI)"
    )
    args = parser.parse_args()
    args.briefs = args.briefs or (200 if args.quick else 10_000)
    args.duration = args.duration or ("2s" if args.quick else "10s")
    args.connections = args.connections or (8 if args.quick else 32)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install wrk`.")
    targets = []
    if not args.no_sqlite:
        sqlite = RESULTS / f"bench-{args.briefs}.sqlite3"
        targets.append((f"sqlite:///{sqlite}", ""))
    if args.database_url:
        targets.append((args.database_url, os.environ.get("REDIS_URL", "")))
    if not targets:
        raise SystemExit("--no-sqlite needs --database-url or BENCH_DATABASE_URL.")

    current: list[Bench] = []

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tables, failures = [], []
    try:
        for database_url, redis_url in targets:
            bench = Bench(args, database_url, redis_url)
            current[:] = [bench]
            tables.append(f"## {bench.label}\n\n" + bench.run())
            failures += [f"{bench.label}: {failure}" for failure in bench.failures]
    finally:
        for bench in current:
            bench.stop_all()
    table = "\n\n".join(tables)
    print()
    print(table)
    (RESULTS / "latest.md").write_text(table + "\n", encoding="utf-8")
    print(f"\nSaved to {RESULTS / 'latest.md'}")
    if failures:
        print("\nFailed:\n" + "\n".join(failures))
        if args.strict:
            raise SystemExit(1)


if __name__ == "__main__":
    main()
