"""One-row INSERT for hot paths: a statement built once per model and set of given fields, no ORM save.

For writes on the public intake, where the ORM's per-save work (compiling the statement, signals,
refreshing the instance) costs more than the database does. Values are prepared by the model's own
fields, defaults and auto-now times are filled in as `save()` would (constant defaults written into
the statement, so only what varies is bound), and the returned instance is the saved row. No signals are sent: use it only for models nothing listens to. On PostgreSQL the
statement is prepared on the server once per connection (so a pooler in front must keep sessions,
not hand out a connection per transaction).
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from xuncha.core.sealed_fields import SealedField

_NOW, _CALL = object(), object()


@dataclass(frozen=True)
class _Statement:
    sql: str
    # The fields bound as parameters, each with _NOW (an auto time), _CALL (a callable default) or
    # None (a value given by the caller).
    bound: list[tuple[models.Field[Any, Any], Any]]
    # The primary key's attname, then every field's: the order `Model.from_db` takes the values in.
    names: list[str]
    # Per field, in `names` order after the key: the bound field's index, or the constant default.
    layout: list[tuple[int | None, Any]]


_STATEMENTS: dict[tuple[type[models.Model], str, frozenset[str]], _Statement] = {}


def _literal(value: Any) -> str | None:
    """A model's constant default as SQL (the code's own values, never input), or None if not simple."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return None


def _statement(model: type[models.Model], given: frozenset[str]) -> _Statement:
    """The INSERT for `model` when `given` fields are passed: constant defaults are written into the
    statement itself, so only the values that vary travel as parameters."""
    key = (model, connection.vendor, given)
    if key not in _STATEMENTS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        if unknown := given - {f.attname for f in fields}:
            raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
        values: list[str] = []
        bound: list[tuple[models.Field[Any, Any], Any]] = []
        layout: list[tuple[int | None, Any]] = []
        for f in fields:
            kind = (
                None
                if f.attname in given
                else _NOW
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                else _CALL
                if f.has_default() and callable(f.default)
                else "constant"
            )
            default = f.get_default() if kind == "constant" else None
            literal = _literal(f.get_db_prep_save(default, connection)) if kind == "constant" else None
            if literal is not None:
                values.append(literal)
                layout.append((None, default))
            else:
                values.append("%s")
                layout.append((len(bound), None))
                bound.append((f, _CALL if kind == "constant" else kind))
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        assert model._meta.pk is not None and model._meta.pk.column is not None
        pk = connection.ops.quote_name(model._meta.pk.column)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(values)}) RETURNING {pk}"  # noqa: S608 - the model's
        names = [model._meta.pk.attname, *(f.attname for f in fields)]
        _STATEMENTS[key] = _Statement(sql, bound, names, layout)
    return _STATEMENTS[key]


def insert_row[M: models.Model](model: type[M], **values: Any) -> M:
    """Insert one row of `model` with `values` (field attnames, e.g. `assignment_id`) and return it."""
    statement = _statement(model, frozenset(values))
    now = timezone.now()
    params: list[Any] = []
    held: list[Any] = []
    for field, kind in statement.bound:
        value = now if kind is _NOW else field.get_default() if kind is _CALL else values[field.attname]
        if isinstance(field, SealedField):  # the instance holds what is stored: the sealed value
            value = field.stored(value)
        held.append(value)
        params.append(field.get_db_prep_save(value, connection))
    pk = _execute(statement.sql, params)
    row = [held[i] if i is not None else default for i, default in statement.layout]
    # The ORM's own way to make an instance of a stored row (no per-field keyword handling).
    return model.from_db(connection.alias, statement.names, [pk, *row])


def _execute(sql: str, params: list[Any]) -> Any:
    """Run the INSERT; on PostgreSQL as a prepared statement with server-side parameters (parsed and
    planned once per connection, where Django's cursors bind on the client and plan every time)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        import psycopg

        connection.validate_no_broken_transaction()
        with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
            cursor.execute(sql, params, prepare=True)
            row = cursor.fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
    assert row is not None
    return row[0]
