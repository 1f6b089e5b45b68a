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
    attnames: frozenset[str]
    # Per field: (_NOW or _CALL, None), or (the prepared default, the default itself) for a constant.
    defaults: list[tuple[Any, Any]]
    # The primary key's attname, then the fields': the order `Model.from_db` takes the values in.
    names: list[str]


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
            (_NOW, None)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else (_CALL, None)
            if f.has_default() and callable(f.default)
            else (f.get_db_prep_save(f.get_default(), connection), f.get_default())
            for f in fields
        ]
        names = [model._meta.pk.attname, *(f.attname for f in fields)]
        _STATEMENTS[key] = _Statement(sql, fields, frozenset(names[1:]), defaults, names)
    return _STATEMENTS[key]


def insert_row[M: models.Model](model: type[M], **values: Any) -> M:
    """Insert one row of `model` with `values` (field attnames, e.g. `assignment_id`) and return it."""
    statement = _statement(model)
    if unknown := set(values) - statement.attnames:
        raise TypeError(f"{model.__name__} has no fields {sorted(unknown)}")
    now = timezone.now()
    row: list[Any] = []
    params: list[Any] = []
    for field, (prepared, default) in zip(statement.fields, statement.defaults, strict=True):
        if field.attname in values:
            value = values[field.attname]
            params.append(field.get_db_prep_save(value, connection))
        elif prepared is _NOW:
            value = now
            params.append(field.get_db_prep_save(now, connection))
        elif prepared is _CALL:
            value = field.get_default()
            params.append(field.get_db_prep_save(value, connection))
        else:
            value = default
            params.append(prepared)
        row.append(value)
    pk = _execute(statement.sql, params)
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
