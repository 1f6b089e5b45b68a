"""System checks that guard production settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def demo_mode_off_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The demo shows TOTP codes on screen; it must never run with production settings."""
    if getattr(settings, "DEMO", False):
        return [Error("XUNCHA_DEMO 已开启：演示模式会在页面显示动态口令，禁止用于生产环境。", id="xuncha.E001")]
    return []
