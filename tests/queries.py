"""Counting what a request asks of the database."""

from __future__ import annotations


def reads_and_writes(queries) -> tuple[list[str], list[str]]:
    """Reads, and writes other than savepoints, among captured queries."""
    sqls = [q["sql"].lstrip().upper() for q in queries]
    reads = [sql for sql in sqls if _is_read(sql)]
    writes = [
        sql
        for sql in sqls
        if not _is_read(sql) and not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]
    return reads, writes


def _is_read(sql: str) -> bool:
    """A SELECT, or a WITH … SELECT that writes nothing."""
    if sql.startswith("SELECT"):
        return True
    return sql.startswith("WITH") and not any(
        f" {word} " in f" {sql} " for word in ("INSERT", "UPDATE", "DELETE")
    )
