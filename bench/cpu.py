"""CPU time per request inside one process: the floor against each page.

wrk measures throughput on a shared machine; this measures what each request
costs the process (``time.process_time``), through the full middleware stack,
without sockets or other load. Usage: ``python bench/cpu.py PATH...`` with the
benchmark's environment (production settings, BENCH_FLOOR_HTML).
"""

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402
from django.urls import clear_url_caches  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "300"))


def cost_us(urlconf: str, path: str, *, cache_seconds: int) -> float:
    """Mean CPU microseconds per request of ``path``."""
    settings.NEWSROOM_PAGE_CACHE_SECONDS = cache_seconds
    settings.ROOT_URLCONF = urlconf
    clear_url_caches()
    handler = WSGIHandler()
    environ = RequestFactory().get(path, HTTP_HOST="127.0.0.1").environ

    def call() -> None:
        response = handler(dict(environ), lambda status, headers: None)
        b"".join(response)
        response.close()

    for _ in range(20):
        call()
    started = time.process_time()
    for _ in range(ROUNDS):
        call()
    return (time.process_time() - started) / ROUNDS * 1e6


def main(paths: list[str]) -> None:
    import bench.floor  # noqa: F401 (reads BENCH_FLOOR_HTML)

    floor = cost_us("bench.floor", "/floor/", cache_seconds=0)
    print("| page | uncached µs | ratio | cached µs | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| floor (`/floor/`) | {floor:.0f} | 1.00 | | |")
    for path in paths:
        uncached = cost_us(settings.ROOT_URLCONF_SITE, path, cache_seconds=0)
        cached = cost_us(settings.ROOT_URLCONF_SITE, path, cache_seconds=600)
        print(
            f"| `{path}` | {uncached:.0f} | {floor / uncached:.2f} "
            f"| {cached:.0f} | {floor / cached:.2f} |"
        )


if __name__ == "__main__":
    settings.ROOT_URLCONF_SITE = settings.ROOT_URLCONF
    main(sys.argv[1:])
