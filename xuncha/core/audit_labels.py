"""What the audit log calls things: a Chinese label per action code and per object type, and an opaque
reference per object.

Each app registers its own vocabulary in `ready()` (a lower app cannot know a higher one's actions), and a
test collects every action code the code base writes and fails if one has no label. The security
auditor sees these labels and references only, never an event's summary or data (docs/adr/0003).
"""

import hashlib
from collections.abc import Mapping
from functools import cache

from django.apps import apps
from django.conf import settings

_ACTIONS: dict[str, str] = {}
_OBJECT_TYPES: dict[str, str] = {}

CORE_ACTIONS = {
    "core.committee_create": "登记派出党委",
    "config.calendar_set": "设置节假日或调休",
    "config.calendar_delete": "删除节假日或调休设置",
    "config.code_table_version": "启用代码表新版本",
    "config.param_set": "修改配置参数",
    "config.param_reset": "配置参数恢复继承值",
    "config.param_default_set": "修改配置参数的全国默认值",
    "config.code_override_set": "设置本级代码项",
    "config.code_override_delete": "删除本级代码项",
}
CORE_OBJECT_TYPES = {"core.auditchainhead": "审计日志链尾"}

REF_LENGTH = 12  # hex digits: 48 bits tell objects apart in one log and say nothing about them


def register_audit_labels(*, actions: Mapping[str, str], object_types: Mapping[str, str] | None = None) -> None:
    """Add an app's action and object-type labels (called from its AppConfig.ready)."""
    for code, label in actions.items():
        if _ACTIONS.get(code, label) != label:
            raise ValueError(f"audit action {code} registered twice with different labels")
        _ACTIONS[code] = label
    _OBJECT_TYPES.update(object_types or {})


register_audit_labels(actions=CORE_ACTIONS, object_types=CORE_OBJECT_TYPES)


def action_labels() -> dict[str, str]:
    """Every registered action code and its label."""
    return dict(_ACTIONS)


def action_label(code: str) -> str:
    """The Chinese name of an action; a code without one (a test keeps the code base free of them) is
    shown as the code itself rather than guessed."""
    return _ACTIONS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    """(code, label) for the audit log's filter, in label order within each app."""
    return sorted(_ACTIONS.items(), key=lambda item: (item[0].split(".")[0], item[1]))


def object_type_label(object_type: str) -> str:
    """The Chinese name of an object type: registered, else the model's Chinese verbose name."""
    if not object_type:
        return ""
    if object_type in _OBJECT_TYPES:
        return _OBJECT_TYPES[object_type]
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return "其他对象"
    name = str(model._meta.verbose_name)
    return name if not name.isascii() else "其他对象"


@cache
def _ref_key(secret: str) -> bytes:
    return hashlib.blake2b(secret.encode(), digest_size=32, person=b"xuncha-audit-ref").digest()


def audit_ref(object_type: str, object_id: str) -> str:
    """An opaque, stable reference to one object: keyed BLAKE2b of its type and id, short hex. The same
    object always gets the same reference, so an auditor can follow it without learning what it is."""
    if not object_type and not object_id:
        return ""
    key = _ref_key(settings.SECRET_KEY)
    digest = hashlib.blake2b(f"{object_type}:{object_id}".encode(), key=key, digest_size=16).hexdigest()
    return digest[:REF_LENGTH]
