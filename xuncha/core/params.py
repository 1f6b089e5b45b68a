"""Configuration parameters (domain.md §11): read with inheritance, write with validation."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from xuncha.core.actors import Actor, account_of
from xuncha.core.audit import audit_record
from xuncha.core.models import Committee, ConfigParam, ConfigValue
from xuncha.core.models.params import ParamType
from xuncha.core.permissions import config_write_check

# Apps that derive data from configuration (e.g. assignment calendars) register here and are
# called inside the writing transaction, so derived dates never disagree with the settings.
# The listener receives the ids of the committees whose effective value may have changed
# (None: every committee, after a change to national data).
ConfigListener = Callable[[str, frozenset[int] | None], None]
_listeners: list[ConfigListener] = []


def register_config_listener(listener: ConfigListener) -> None:
    """Call `listener(key, committee_ids)` after a parameter or the calendar changes (None = all)."""
    if listener not in _listeners:
        _listeners.append(listener)


def committees_affected(key: str, committee: Committee) -> frozenset[int]:
    """`committee` and those below it that inherit `key` from it (a lower committee with its own value,
    and everything below that one, keeps what it had)."""
    below = Committee.objects.filter(path__startswith=committee.path)
    shadowing = Committee.objects.none()
    if key != "calendar":
        shadowing = below.exclude(pk=committee.pk).filter(config_values__param__key=key)
    paths = list(shadowing.values_list("path", flat=True))
    return frozenset(c.pk for c in below.only("pk", "path") if not any(c.path.startswith(p) for p in paths))


def config_changed(key: str, committee: Committee | None) -> None:
    """Tell the registered listeners that `key` changed for `committee` (None: national data, everyone)."""
    ids = None if committee is None else committees_affected(key, committee)
    for listener in _listeners:
        listener(key, ids)


def param_value(key: str, *, committee: Committee | None = None) -> Any:
    """A parameter's value for `committee`: its own, else the nearest ancestor's, else the default."""
    return param_resolved(key, committee=committee)[0]


def param_resolved(key: str, *, committee: Committee | None = None) -> tuple[Any, int | None]:
    """A parameter's value for `committee` and the id of the committee that set it (None: the default)."""
    param = ConfigParam.objects.filter(key=key).first()
    if param is None:
        # Reference data not (yet) loaded, e.g. a flushed test database: the shipped default applies.
        from xuncha.core.seed.reference import PARAMS

        return next(p["default"] for p in PARAMS if p["key"] == key), None
    if committee is not None and not param.national_only:
        chain = [int(pk) for pk in committee.path.strip("/").split("/") if pk]
        values = dict(
            ConfigValue.objects.filter(param=param, committee_id__in=chain).values_list("committee_id", "value")
        )
        for pk in reversed(chain):
            if pk in values:
                return values[pk], pk
    return param.default, None


def _validate(param: ConfigParam, value: Any) -> Any:
    if param.value_type == ParamType.INT:
        if isinstance(value, str):
            value = value.strip()
            if not value.lstrip("-").isdigit():
                raise ValidationError(f"“{param.label}”必须是整数。")
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValidationError(f"“{param.label}”必须是整数。")
        if param.min_value is not None and value < param.min_value:
            raise ValidationError(f"“{param.label}”不能小于 {param.min_value}。")
        if param.max_value is not None and value > param.max_value:
            raise ValidationError(f"“{param.label}”不能大于 {param.max_value}。")
        return value
    if param.value_type == ParamType.JSON:
        default = param.default
        if isinstance(default, dict):
            if not isinstance(value, dict) or set(value) != set(default):
                raise ValidationError(f"“{param.label}”必须包含且只包含这些项：{'、'.join(sorted(default))}。")
        elif type(value) is not type(default):
            raise ValidationError(f"“{param.label}”的格式不正确。")
        return value
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"“{param.label}”不能为空。")
    return value.strip()


@transaction.atomic
def param_set(*, actor: Actor, key: str, committee: Committee, value: Any) -> ConfigValue:
    """Set a committee's own value of a parameter (its lower committees inherit it)."""
    config_write_check(actor, committee)
    param = ConfigParam.objects.get(key=key)
    if param.national_only:
        raise PermissionDenied(f"“{param.label}”全国统一，不能按党委单独设置。")
    clean = _validate(param, value)
    old = ConfigValue.objects.filter(param=param, committee=committee).values_list("value", flat=True).first()
    row, _ = ConfigValue.objects.update_or_create(
        param=param, committee=committee, defaults={"value": clean, "created_by": account_of(actor)}
    )
    audit_record(
        action="config.param_set",
        actor=actor,
        target=row,
        committee_id=committee.id,
        summary=f"{committee.short_name} 设置参数“{param.label}”",
        data={"key": key, "old": old, "new": clean},
    )
    config_changed(key, committee)
    return row


@transaction.atomic
def param_reset(*, actor: Actor, key: str, committee: Committee) -> None:
    """Remove a committee's own value, so that it inherits again."""
    config_write_check(actor, committee)
    deleted, _ = ConfigValue.objects.filter(param__key=key, committee=committee).delete()
    if deleted:
        audit_record(
            action="config.param_reset",
            actor=actor,
            object_type="core.configparam",
            object_id=key,
            committee_id=committee.id,
            summary=f"{committee.short_name} 恢复参数“{key}”的继承值",
        )
        config_changed(key, committee)


@transaction.atomic
def param_default_set(*, actor: Actor, key: str, value: Any) -> ConfigParam:
    """Change a parameter's national default (only from the top); committees without a value follow it."""
    config_write_check(actor, None)
    param = ConfigParam.objects.select_for_update().get(key=key)
    clean = _validate(param, value)
    old = param.default
    param.default = clean
    param.save(update_fields=["default", "updated_at"])
    audit_record(
        action="config.param_default_set",
        actor=actor,
        target=param,
        summary=f"全国统一：设置参数“{param.label}”的默认值",
        data={"key": key, "old": old, "new": clean},
    )
    config_changed(key, None)
    return param
