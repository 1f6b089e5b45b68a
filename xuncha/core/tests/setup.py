"""The explicit actor that test fixtures use to build their data (a system actor, never `None`)."""

from xuncha.core.actors import SystemActor

SETUP = SystemActor("测试数据准备")
