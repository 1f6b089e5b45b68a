"""One-row INSERT for hot paths: a statement built once per model and column set, no ORM save.

For writes on the public intake, where the ORM's per-save work (compiling the statement, signals,
refreshing the instance) costs more than the database does. Values are prepared by the model's own
fields, defaults and auto-now times are filled in as `save()` would, and the returned instance is
the saved row. No signals are sent: use it only for models nothing listens to. On PostgreSQL the
statement is prepared on the server once per connection (so a pooler in front must keep sessions,
not hand out a connection per transaction).
"""

from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

_NOW, _CALL = object(), object()


@dataclass(frozen=True)
class _Statement:
    sql: str
    fields: list[models.Field[Any, Any]]
    # Per field: the prepared default (constant), or _NOW (auto-now times) or _CALL (a callable default).
    defaults: list[Any]


_STATEMENTS: dict[tuple[type[models.Model], str], _Statement] = {}


def _statement(model: type[models.Model]) -> _Statement:
    key = (model, connection.vendor)
    if key not in _STATEMENTS:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        assert model._meta.pk is not None and model._meta.pk.column is not None
        pk = connection.ops.quote_name(model._meta.pk.column)
        table = connection.ops.quote_name(model._meta.db_table)
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING {pk}"  # noqa: S608 - names from the model
        defaults = [
            _NOW
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else _CALL
            if f.has_default() and callable(f.default)
            else f.get_db_prep_save(f.get_default(), connection)
            for f in fields
        ]
        _STATEMENTS[key] = _Statement(sql, fields, defaults)
    return _STATEMENTS[key]


def insert_row[M: models.Model](model: type[M], **values: Any) -> M:
    """Insert one row of `model` with `values` (field attnames, e.g. `assignment_id`) and return it."""
    statement = _statement(model)
    known = {f.attname for f in statement.fields}
    if unknown := set(values) - known:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    now = timezone.now()
    row: dict[str, Any] = {}
    params = []
    for field, default in zip(statement.fields, statement.defaults, strict=True):
        if field.attname in values:
            value = row[field.attname] = values[field.attname]
            params.append(field.get_db_prep_save(value, connection))
        elif default is _NOW:
            row[field.attname] = now
            params.append(field.get_db_prep_save(now, connection))
        elif default is _CALL:
            value = row[field.attname] = field.get_default()
            params.append(field.get_db_prep_save(value, connection))
        else:
            row[field.attname] = field.get_default()
            params.append(default)
    pk = _execute(statement.sql, params)
    instance = model(pk=pk, **row)
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


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
