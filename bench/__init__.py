"""Benchmarks of the site: `make bench`, its data set and its load test."""


def setup_django() -> None:
    """Set Django up for a benchmark script run from the project's root."""
    import os
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.prod")
    import django

    django.setup()
