from xuncha.core.models.audit import AuditChainHead, AuditEvent
from xuncha.core.models.base import BaseModel
from xuncha.core.models.calendar import CalendarDay
from xuncha.core.models.codes import CodeItem, CodeItemOverride, CodeTable
from xuncha.core.models.committee import Committee
from xuncha.core.models.params import ConfigParam, ConfigValue
from xuncha.core.models.transitions import StateChange

__all__ = [
    "AuditChainHead",
    "AuditEvent",
    "BaseModel",
    "CalendarDay",
    "CodeItem",
    "CodeItemOverride",
    "CodeTable",
    "Committee",
    "ConfigParam",
    "ConfigValue",
    "StateChange",
]
