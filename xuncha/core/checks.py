"""System checks that guard production settings."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_off_in_production(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The demo shows TOTP codes on screen; it must never run with production settings."""
    if getattr(settings, "DEMO", False):
        return [Error("XUNCHA_DEMO 已开启：演示模式会在页面显示动态口令，禁止用于生产环境。", id="xuncha.E001")]
    return []


@register(Tags.security, deploy=True)
def totp_key_configured(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Unset, the TOTP key is generated under var/: it should be a file kept and backed up apart from the database."""
    if not settings.TOTP_KEY_FILE:
        return [
            Warning(
                "未设置 XUNCHA_TOTP_KEY_FILE：动态口令密钥将自动生成在 var/keys/ 下。生产环境请指定单独保管、"
                "与数据库分开备份的密钥文件。",
                id="xuncha.W002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def audit_anchor_configured(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """The audit anchor must live outside the application's own directory (docs/adr/0013)."""
    unset = getattr(settings, "AUDIT_ANCHOR_UNSET", [])
    if unset:
        return [
            Warning(
                f"未设置 {'、'.join(unset)}：审计锚定私钥和检查点目录将放在程序目录 var/ 下，"
                "应改为数据库管理员无法改写的位置（检查点目录最好为一次写入存储或只由本服务写入的挂载点）。",
                id="xuncha.W003",
            )
        ]
    return []
