"""Integer lookups that match nothing for numbers no integer column can hold.

Django (since 5.0) does this for ``exact``, ``gt``, ``gte``, ``lt`` and
``lte`` on integer fields. ``in``, ``range`` and every lookup through a
foreign key still send the number to the database: SQLite's driver raises
OverflowError (``/admin/briefs/variant/?author=99999999999999999999`` was a
500) and PostgreSQL compares it as a numeric, past the index. These
lookups give those the same answer Django's own give: no row, or every row
for ``author__lt=<huge>``. Registered once, from ``BriefsConfig.ready()``.
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import (
    RelatedExact,
    RelatedGreaterThan,
    RelatedGreaterThanOrEqual,
    RelatedIn,
    RelatedLessThan,
    RelatedLessThanOrEqual,
)
from django.db.models.lookups import In, Range


def _column_range(field, connection) -> tuple[int | None, int | None] | None:
    """The bounds of the integer column behind ``field``; None if not an integer."""
    # A foreign key stores its target's value: follow it to the real column.
    while getattr(field, "target_field", None) is not None:
        field = field.target_field
    if not isinstance(field, IntegerField):
        return None
    return connection.ops.integer_field_range(field.get_internal_type())


def _fits(value, low: int | None, high: int | None) -> bool:
    if not isinstance(value, int):  # an expression, a string: not ours to judge
        return True
    return (low is None or value >= low) and (high is None or value <= high)


class _InRangeComparison:
    """exact, lt, lte, gt, gte through a foreign key, as Django's integer ones."""

    underflow_exception = EmptyResultSet
    overflow_exception = EmptyResultSet

    def process_rhs(self, compiler, connection):
        bounds = _column_range(self.lhs.output_field, connection)
        if bounds is not None and isinstance(self.rhs, int):
            low, high = bounds
            if low is not None and self.rhs < low:
                raise self.underflow_exception
            if high is not None and self.rhs > high:
                raise self.overflow_exception
        return super().process_rhs(compiler, connection)


class _InRangeIn:
    """``in``: values no column holds are left out; none left matches nothing."""

    def batch_process_rhs(self, compiler, connection, rhs=None):
        bounds = _column_range(self.lhs.output_field, connection)
        if bounds is not None:
            values = self.rhs if rhs is None else rhs
            kept = [value for value in values if _fits(value, *bounds)]
            if not kept:
                raise EmptyResultSet
            rhs = kept
        return super().batch_process_rhs(compiler, connection, rhs)


class _InRangeRange:
    """``range``: bounds past the column's are brought back to it."""

    def batch_process_rhs(self, compiler, connection, rhs=None):
        column = _column_range(self.lhs.output_field, connection)
        values = self.rhs if rhs is None else rhs
        if (
            column is not None
            and len(values) == 2
            and all(isinstance(v, int) for v in values)
        ):
            start, end = values
            low, high = column
            if (high is not None and start > high) or (low is not None and end < low):
                raise EmptyResultSet
            if low is not None:
                start = max(start, low)
            if high is not None:
                end = min(end, high)
            rhs = (start, end)
        return super().batch_process_rhs(compiler, connection, rhs)


@IntegerField.register_lookup
class IntegerFieldIn(_InRangeIn, In):
    pass


@IntegerField.register_lookup
class IntegerFieldRange(_InRangeRange, Range):
    pass


@ForeignObject.register_lookup
class ForeignKeyIn(_InRangeIn, RelatedIn):
    pass


@ForeignObject.register_lookup
class ForeignKeyRange(_InRangeRange, Range):
    pass


@ForeignObject.register_lookup
class ForeignKeyExact(_InRangeComparison, RelatedExact):
    pass


@ForeignObject.register_lookup
class ForeignKeyGreaterThan(_InRangeComparison, RelatedGreaterThan):
    underflow_exception = FullResultSet


@ForeignObject.register_lookup
class ForeignKeyGreaterThanOrEqual(_InRangeComparison, RelatedGreaterThanOrEqual):
    underflow_exception = FullResultSet


@ForeignObject.register_lookup
class ForeignKeyLessThan(_InRangeComparison, RelatedLessThan):
    overflow_exception = FullResultSet


@ForeignObject.register_lookup
class ForeignKeyLessThanOrEqual(_InRangeComparison, RelatedLessThanOrEqual):
    overflow_exception = FullResultSet
