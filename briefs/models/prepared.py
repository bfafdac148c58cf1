"""A hot query compiled once per process, then run with a new value.

Django compiles a queryset's SQL on every evaluation: for the detail page's
query (a variant with its brief, audience, people and live revision, about a
hundred columns over seven tables) compiling costs as much as running it and
building the models together. ``PreparedQuery`` compiles it once per
database, with a marker in place of the one value that changes, and then
runs the same SQL with the value, building the models exactly as Django's
``ModelIterable`` does (same converters, same related-object populators).

It reads a few attributes of Django's SQL compiler (``select``,
``klass_info``, ``col_count``): ``tests/test_prepared_query.py`` compares
its models with the plain queryset's, field by field, so that an upgrade of
Django that changes them fails there, not on the site.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

MARKER = "\x00prepared-query-value\x00"
ID_MARKER = -7_300_000_000_000_000_000  # no row has a negative id


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    position: int
    compiler: Any
    model: type
    start: int
    end: int
    init_list: list[str]
    populators: list
    converters: dict


class PreparedQuery:
    """``build(value)`` is a queryset of ``model`` filtered by ``value`` once."""

    def __init__(
        self, model: type[Model], build: Callable[[Any], QuerySet], marker=MARKER
    ):
        # ``marker`` stands for the value while compiling: of the value's type
        # (a string for a slug, an int for an id) and found nowhere else.
        self.model, self.build, self.marker = model, build, marker
        self._compiled: dict[str, _Compiled | None] = {}
        self._lock = threading.Lock()

    def __call__(self, value) -> list:
        db = router.db_for_read(self.model)
        compiled = self._compiled.get(db, False)
        if compiled is False:
            with self._lock:
                compiled = self._compile(db)
                self._compiled[db] = compiled
        if compiled is None:  # the value is not one plain parameter
            return list(self.build(value).using(db))
        params = list(compiled.params)
        params[compiled.position] = value
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        objects = []
        for row in rows:
            obj = compiled.model.from_db(
                db, compiled.init_list, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def _compile(self, db: str) -> _Compiled | None:
        queryset = self.build(self.marker).using(db)
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        positions = [i for i, param in enumerate(params) if param == self.marker]
        if len(positions) != 1 or queryset.query.annotation_select:
            return None
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Compiled(
            sql=sql,
            params=tuple(params),
            position=positions[0],
            compiler=compiler,
            model=klass_info["model"],
            start=start,
            end=end,
            init_list=[column[0].target.attname for column in select[start:end]],
            populators=get_related_populators(klass_info, select, db),
            converters=compiler.get_converters(
                [column[0] for column in select[0 : compiler.col_count]]
            ),
        )
