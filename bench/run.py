"""Benchmark the public pages against a minimal Django view (``make bench``).

Builds the data set, starts three gunicorn servers on loopback with the
production settings (the site with its page cache, the site with the cache
off, which renders every page on every request, and the floor: a minimal
view returning the detail page from memory),
drives each page with wrk, prints requests/s, p50 and p99 and the ratio to
the floor, then measures the median latency of the admin changelists and the
public listing. Every server it started is stopped on the way out.
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

PAGES = (
    ("home", "/fr/"),
    ("listing", "/fr/afm/"),
    ("detail", "/fr/afm/{slug}/"),
    ("search", "/fr/search/?q=tacrolimus"),
    ("feed", "/fr/afm/feed/"),
)
ADMIN_PAGES = (
    ("admin briefs", "/admin/briefs/brief/"),
    ("admin variants", "/admin/briefs/variant/"),
)


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


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
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.servers: list[subprocess.Popen] = []
        RESULTS.mkdir(parents=True, exist_ok=True)
        database_url = args.database_url or (
            f"sqlite:///{RESULTS / f'bench-{args.briefs}.sqlite3'}"
        )
        self.env = {
            **os.environ,
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
            "PYTHONPATH": str(ROOT),
        }
        self.database_url = database_url

    # Processes -----------------------------------------------------------
    def manage(self, *argv: str, env: dict | None = None) -> str:
        return self.python("manage.py", *argv, env=env)

    def script(self, module: str, *argv: str) -> str:
        """Run one of the benchmark's own scripts (bench/data.py, …)."""
        return self.python("-m", module, *argv)

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
        log = open(RESULTS / f"{name}.log", "w")  # noqa: SIM115 (kept for the server's life)
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
        output = subprocess.run(
            [
                "wrk",
                f"-t{self.args.threads}",
                f"-c{self.args.connections}",
                f"-d{self.args.duration}",
                "--latency",
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return parse_wrk(output)

    @staticmethod
    def fetch(url: str, cookie: str = "") -> tuple[int, bytes]:
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, b""

    def latency(self, url: str, cookie: str = "", count: int = 31) -> tuple:
        status, _ = self.fetch(url, cookie)
        times = []
        for _ in range(count):
            started = time.perf_counter()
            self.fetch(url, cookie)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return status, statistics.median(times), times[int(len(times) * 0.9)]

    # The run -------------------------------------------------------------
    def prepare(self) -> tuple[str, str]:
        print(f"Database: {self.database_url}", flush=True)
        self.manage("migrate", "--noinput", "-v0")
        started = time.monotonic()
        print(self.script("bench.data", "--briefs", str(self.args.briefs)).strip())
        print(f"  ({time.monotonic() - started:.1f} s)", flush=True)
        self.manage("collectstatic", "--noinput", "-v0")
        cookie = self.script("bench.session").strip()
        slug = f"bench-{self.args.briefs // 2}-tacrolimus-myosite"
        return slug, cookie

    def run(self) -> str:
        slug, cookie = self.prepare()
        cached = self.start("site-cached", "newsroom.wsgi:application", {})
        uncached = self.start(
            "site-uncached",
            "newsroom.wsgi:application",
            {"NEWSROOM_PAGE_CACHE_SECONDS": "0"},
        )
        status, html = self.fetch(uncached + PAGES[2][1].format(slug=slug))
        if status != 200:
            raise SystemExit(f"detail page answered {status}")
        floor_html = RESULTS / "floor.html"
        floor_html.write_bytes(html)
        floor = self.start(
            "floor", "bench.floor:application", {"BENCH_FLOOR_HTML": str(floor_html)}
        )
        settings_line = (
            f"wrk -t{self.args.threads} -c{self.args.connections} "
            f"-d{self.args.duration}; gunicorn {self.args.workers} sync workers; "
            f"{self.args.briefs} briefs; {self.database_url.split(':')[0]}"
        )
        print(f"Load: {settings_line}", flush=True)

        pages = []
        for name, path in PAGES:
            path = path.format(slug=slug)
            status, _ = self.fetch(uncached + path)
            pages.append((name, path, status))
            if status != 200:
                print(f"  {name}: {path} answers {status}: reported as missing")

        # The floor is measured between pages, and each page is compared with
        # the floor measured just before and just after it: the machine's load
        # drifts during a run, side by side keeps the ratios honest.
        floors = [self.wrk(floor + "/floor/")]
        rows = []
        for name, path, status in pages:
            if status != 200:
                rows.append((name, path, None, None, None))
                continue
            for base in (uncached, cached):
                for _ in range(3):  # warm the workers and the cache
                    self.fetch(base + path)
            measured = (self.wrk(uncached + path), self.wrk(cached + path))
            floors.append(self.wrk(floor + "/floor/"))
            floor_rps = statistics.mean(f.rps for f in floors[-2:])
            rows.append((name, path, *measured, floor_rps))
            print(f"  {name} measured", flush=True)

        latencies = [
            (label, path, *self.latency(uncached + path, cookie))
            for label, path in ADMIN_PAGES
        ]
        latencies.append(
            ("public listing", "/fr/afm/", *self.latency(uncached + "/fr/afm/"))
        )
        latencies.append(
            (
                "public listing p.250",
                "/fr/afm/?page=250",
                *self.latency(uncached + "/fr/afm/?page=250"),
            )
        )
        self.stop_all()
        measured = list(dict.fromkeys(row[1] for row in rows if row[2] is not None))
        cpu = subprocess.run(
            [PYTHON, "bench/cpu.py", *measured],
            cwd=ROOT,
            env={**self.env, "BENCH_FLOOR_HTML": str(floor_html)},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return report(settings_line, floors, rows, latencies, cpu)


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
        if uncached is None:
            lines.append(f"| {name} (`{path}`) | | missing | | | | missing | | | |")
            continue
        cells = []
        for result in (uncached, cached):
            if result is None:
                cells.append("| | |")
                continue
            flag = f" ({result.errors} errors)" if result.errors else ""
            cells.append(
                f"{result.rps:,.0f}{flag} | {result.p50_ms:.1f} | {result.p99_ms:.1f} "
                f"| {result.rps / floor_rps:.2f}"
            )
        lines.append(
            f"| {name} (`{path}`) | {floor_rps:,.0f} | " + " | ".join(cells) + " |"
        )
    lines += [
        "",
        "Sequential latency (one client, the server with its page cache off):",
        "",
        "| page | status | median ms | p90 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, path, status, median, p90 in latencies:
        lines.append(f"| {label} (`{path}`) | {status} | {median:.1f} | {p90:.1f} |")
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
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    args.briefs = args.briefs or (200 if args.quick else 10_000)
    args.duration = args.duration or ("2s" if args.quick else "10s")
    args.connections = args.connections or (8 if args.quick else 32)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: install it with `apt-get install wrk`.")

    bench = Bench(args)

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        table = bench.run()
    finally:
        bench.stop_all()
    print()
    print(table)
    (RESULTS / "latest.md").write_text(table + "\n", encoding="utf-8")
    print(f"\nSaved to {RESULTS / 'latest.md'}")


if __name__ == "__main__":
    main()
