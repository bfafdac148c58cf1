"""Numbers read from requests: plain ASCII digits that fit the database's integers.

``str.isdigit()`` and ``int()`` accept far more than a URL should carry:
``"²".isdigit()`` is true but ``int("²")`` fails, ``int("١٢")`` is 12,
``int(" 7 ")`` is 7, and ``int("9" * 30)`` is a number no integer column
holds (SQLite's driver raises OverflowError on it). Everything a request
brings in as a number goes through :func:`parse_int` (or, in URL patterns,
the ``<dbint:…>`` converter) instead. No ORM here: this is plain text work.
"""

from __future__ import annotations

import re

# The largest integer both PostgreSQL's bigint and SQLite's INTEGER hold.
MAX_INT = 2**63 - 1
MAX_DIGITS = len(str(MAX_INT))
# [0-9], not \d: \d also matches "١" and the other Unicode decimal digits.
_DIGITS = re.compile(rf"[0-9]{{1,{MAX_DIGITS}}}")


def parse_int(value: object, *, minimum: int = 0, maximum: int = MAX_INT) -> int | None:
    """``value`` as an int if it is ASCII digits between the bounds, else None."""
    if not isinstance(value, str) or not _DIGITS.fullmatch(value):
        return None
    number = int(value)
    if not minimum <= number <= maximum:
        return None
    return number


class DatabaseIntConverter:
    """``<dbint:name>``: ASCII digits that fit the database, else no match (404)."""

    regex = f"[0-9]{{1,{MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        number = parse_int(value)
        if number is None:
            # A ValueError here means "this pattern does not match".
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
