"""Counting what a request asks of the database."""

from __future__ import annotations


def reads_and_writes(queries) -> tuple[list[str], list[str]]:
    """Reads, and writes other than savepoints, among captured queries."""
    sqls = [q["sql"].lstrip().upper() for q in queries]
    reads = [sql for sql in sqls if sql.startswith("SELECT")]
    writes = [
        sql
        for sql in sqls
        if not sql.startswith(("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    return reads, writes
