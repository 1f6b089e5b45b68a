"""Sealing as a model field (ADR 0015): a column declares what it is sealed for, once.

`SealedField(purpose=…)` is a binary column holding a value sealed to the internal key
(`core.sealing`). Assign it a plaintext (a string, or any JSON value) and saving seals it for the
field's purpose; read it and you get `Sealed` bytes that know their purpose, opened only on request
(`value.open()`), so no caller names a purpose by string and nothing is opened by accident (a
`Sealed` value prints as its size, never its content). Assigned bytes are taken as already sealed
(a bundle carrying values across the network gap, a rewrap).

Key rotation finds every sealed column through the model registry (`sealed_columns()`): a new
`SealedField` is rewrapped without being listed anywhere. A column sealed to another key (a
reporter's own) is a plain binary field and not one of these.
"""

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import models

from xuncha.core.sealing import open_bytes, open_sealed, seal, seal_bytes


class Sealed(bytes):
    """A stored sealed value, with the purpose its column seals for."""

    purpose: str
    raw: bool

    def __new__(cls, blob: bytes | memoryview, purpose: str, raw: bool = False) -> "Sealed":
        value = super().__new__(cls, bytes(blob))
        value.purpose, value.raw = purpose, raw
        return value

    def open(self) -> Any:
        """The plaintext (where this node holds the private key; `SealingUnavailable` elsewhere)."""
        return open_bytes(self, self.purpose) if self.raw else open_sealed(self, self.purpose)

    def __repr__(self) -> str:
        return f"<Sealed {self.purpose}: {len(self)} bytes>"

    __str__ = __repr__


class SealedField(models.BinaryField):  # type: ignore[type-arg]
    """A binary column sealed to the internal key for one purpose; `raw` seals bytes (files), not JSON."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Sealed

    def __init__(self, *args: Any, purpose: str, raw: bool = False, **kwargs: Any) -> None:
        self.purpose, self.raw = purpose, raw
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["purpose"] = self.purpose
        if self.raw:
            kwargs["raw"] = True
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def seal(self, value: Any) -> Sealed:
        """The value sealed for this column's purpose."""
        blob = seal_bytes(value, self.purpose) if self.raw else seal(value, self.purpose)
        return Sealed(blob, self.purpose, self.raw)

    def open(self, blob: bytes | memoryview) -> Any:
        """Open a value sealed for this column that is not (yet) stored in it (a bundle's item)."""
        return Sealed(blob, self.purpose, self.raw).open()

    def stored(self, value: Any) -> Sealed | None:
        """What the column stores for `value`: a plaintext sealed, sealed bytes as they are."""
        if value is None:
            return None
        if isinstance(value, (bytes, memoryview)):
            return value if isinstance(value, Sealed) else Sealed(value, self.purpose, self.raw)
        if self.raw:
            raise TypeError(f"{self.name}: a raw sealed column takes sealed bytes; call field.seal(data)")
        return self.seal(value)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Sealed | None:
        return None if value is None else Sealed(value, self.purpose, self.raw)

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = self.stored(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def get_prep_value(self, value: Any) -> Any:
        return super().get_prep_value(self.stored(value))


def sealed_columns() -> Iterator[tuple[type[models.Model], SealedField]]:
    """Every sealed column of every installed model (concrete models only), in registry order."""
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, SealedField) and field.model is model:
                yield model, field


def sealed_field(model: type[models.Model], name: str) -> SealedField:
    field = model._meta.get_field(name)
    assert isinstance(field, SealedField), f"{model.__name__}.{name} is not sealed"
    return field
