"""Deploy checks of the public channel."""

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def proxy_hops_said(app_configs: Any, **kwargs: Any) -> list[Warning]:
    """Behind a reverse proxy every reporter would share the proxy's address, and its throttling budget."""
    if settings.TRUSTED_PROXY_HOPS is None:
        return [
            Warning(
                "未设置 XUNCHA_TRUSTED_PROXY_HOPS：在反向代理之后运行时，所有举报人会被当作同一地址限流。"
                "请设为反向代理的层数（直接对外服务时设为 0）。",
                id="xuncha.W101",
            )
        ]
    return []
