"""Queries that every request asks, their SQL compiled once per process and database.

The ORM spends 0,3-1 ms building and compiling a small query (lookups resolved, joins set up,
SQL written) that the database answers in a twentieth of that; the session's, the user's, the
year's, the roles' and the selector's years are asked by every internal page. A
:class:`Prepared` query is written as a queryset, as any other, and compiled the first time it
is asked on a database; each request then runs the same SQL with its own values, on the data of
that moment: nothing read is kept between requests, only the text of the SQL.

The queryset is built twice, with two different sentinel values for each argument: the two
compilations must give the same SQL, and parameters that differ only where the arguments went
(each argument at least once), so a query whose SQL depends on its values (an ``__in`` list, a
``None`` that becomes ``IS NULL``, a value the lookup rewrites) is refused when first compiled
rather than run wrong. The rows come back converted by the backend and the fields as the
ORM converts them (booleans and dates on SQLite, decimals), and a model's rows as instances
built by ``Model.from_db`` with their ``select_related`` objects, as a queryset gives them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

# What an argument may be, each with the value the database driver receives for it.
_ADAPT: dict[type, Callable[[Any, Any], Any]] = {
    int: lambda value, ops: value,
    str: lambda value, ops: value,
    dt.datetime: lambda value, ops: ops.adapt_datetimefield_value(value),
}


def _sentinel(kind: type, position: int, variant: int):
    if kind is int:
        # Within every integer column's range (a smallint's too): the ORM turns a value out of
        # the column's range into an empty result, without SQL.
        return 12_345 + 10_000 * variant + position
    if kind is str:
        return f"\x00prepared-{position}-{variant}"
    return dt.datetime(1901 + variant, 1, 1 + position, tzinfo=dt.UTC)


@dataclass(frozen=True)
class _Instances:
    """How a row's columns become a model instance and its ``select_related`` ones."""

    model: type[Model]
    start: int
    end: int
    names: tuple[str, ...]
    related: tuple[tuple[_Instances, Callable, Callable], ...]

    @classmethod
    def of(cls, klass_info: dict, select: Sequence) -> _Instances:
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return cls(
            klass_info["model"],
            start,
            end,
            tuple(entry[0].target.attname for entry in select[start:end]),
            tuple(
                (cls.of(info, select), info["local_setter"], info["remote_setter"])
                for info in klass_info.get("related_klass_infos", ())
            ),
        )

    def build(self, alias: str, row: list) -> Model | None:
        values = row[self.start : self.end]
        if all(value is None for value in values):
            return None  # a nullable relation without its row (a LEFT OUTER JOIN)
        instance = self.model.from_db(alias, self.names, values)
        for related, local_setter, remote_setter in self.related:
            other = related.build(alias, row)
            local_setter(instance, other)
            if other is not None:
                remote_setter(other, instance)
        return instance


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple
    # For each parameter of the SQL, the argument that fills it (None: a constant of the query).
    slots: tuple[int | None, ...]
    # The columns the query returns (the compiler's extra ordering columns cut): None for all.
    width: int | None
    converters: tuple[tuple[int, tuple, Any], ...]
    instances: _Instances | None
    # A model's annotations: each set on its instance from its column, as the ORM sets them.
    annotations: tuple[tuple[str, int], ...] = ()


class Prepared:
    """``build(*args)`` is a queryset (rows from ``values_list``, or a model's instances);
    ``kinds`` are the types of its arguments (``int``, ``str``, ``datetime``)."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        unknown = [kind for kind in kinds if kind not in _ADAPT]
        if unknown:
            raise ImproperlyConfigured(f"Prepared: argomenti non previsti {unknown}.")
        self._build, self._kinds = build, kinds
        self._model: type[Model] | None = None
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, *args) -> list[list]:
        """The rows of a ``values_list`` queryset, converted as the ORM converts them."""
        alias = self._alias()
        return self._run(alias, self._prepared(alias), args)

    def objects(self, *args) -> list[Model]:
        """The instances of a model's queryset, with their ``select_related`` objects."""
        alias = self._alias()
        compiled = self._prepared(alias)
        instances = compiled.instances
        if instances is None:
            raise ImproperlyConfigured("Prepared.objects: la query non è di istanze.")
        found = []
        for row in self._run(alias, compiled, args):
            instance = instances.build(alias, row)
            if instance is None:
                continue
            for name, position in compiled.annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    def _alias(self) -> str:
        if self._model is None:
            self._model = self._build(*self._sentinels(0)).model
        return router.db_for_read(self._model)

    def _prepared(self, alias: str) -> _Compiled:
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        return compiled

    def _sentinels(self, variant: int) -> list:
        return [_sentinel(kind, i, variant) for i, kind in enumerate(self._kinds)]

    def _run(self, alias: str, compiled: _Compiled, args: tuple) -> list[list]:
        if len(args) != len(self._kinds):
            raise TypeError(f"Prepared: {len(self._kinds)} argomenti, non {len(args)}.")
        connection = connections[alias]
        values = [
            _ADAPT[kind](arg, connection.ops) for kind, arg in zip(self._kinds, args, strict=True)
        ]
        params = [
            value if slot is None else values[slot]
            for slot, value in zip(compiled.slots, compiled.params, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = [list(row[: compiled.width]) for row in cursor.fetchall()]
        for row in rows:
            for position, converters, expression in compiled.converters:
                value = row[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                row[position] = value
        return rows

    def _compile(self, alias: str) -> _Compiled:
        ops = connections[alias].ops
        variants = [self._sentinels(variant) for variant in (0, 1)]
        compilers = [
            self._build(*args).using(alias).query.get_compiler(using=alias) for args in variants
        ]
        (sql, params), (other_sql, other_params) = (c.as_sql() for c in compilers)
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured("Prepared: l'SQL dipende dai valori degli argomenti.")
        adapted = [
            [_ADAPT[kind](value, ops) for kind, value in zip(self._kinds, args, strict=True)]
            for args in variants
        ]
        slots: list[int | None] = []
        for first, second in zip(params, other_params, strict=True):
            if first == second:
                slots.append(None)
                continue
            found = [
                i
                for i in range(len(self._kinds))
                if adapted[0][i] == first and adapted[1][i] == second
            ]
            if len(found) != 1:
                raise ImproperlyConfigured("Prepared: un parametro non è un argomento.")
            slots.append(found[0])
        if set(slots) - {None} != set(range(len(self._kinds))):
            raise ImproperlyConfigured("Prepared: un argomento non arriva all'SQL.")
        compiler = compilers[0]
        columns = [entry[0] for entry in compiler.select[: compiler.col_count]]
        converters = tuple(
            (position, tuple(convs), expression)
            for position, (convs, expression) in compiler.get_converters(columns).items()
        )
        # A model's instances (not values), with their annotations set after from_db.
        instances = None
        annotations: tuple[tuple[str, int], ...] = ()
        if compiler.query.default_cols:
            instances = _Instances.of(compiler.klass_info, compiler.select)
            annotations = tuple(compiler.annotation_col_map.items())
        width = compiler.col_count if compiler.has_extra_select else None
        return _Compiled(
            sql, tuple(params), tuple(slots), width, converters, instances, annotations
        )
