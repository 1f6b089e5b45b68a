"""Navigation by lifecycle stage: each app registers its entries; the menu shows what the user may open."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from xuncha.core.access import AccessRule

# Stages in lifecycle order (domain.md §2.2); a stage without entries is not shown.
STAGES: list[tuple[str, str]] = [
    ("plan", "计划与组建"),
    ("entry", "进驻与信访"),
    ("findings", "问题与线索"),
    ("reports", "报告与反馈"),
    ("rectification", "整改与成果运用"),
    ("registry", "基础数据"),
    ("settings", "工作配置"),
    ("security", "用户与安全"),
]


@dataclass(frozen=True)
class NavEntry:
    """One menu link, shown to users its view's access rule admits."""

    stage: str
    label: str
    url_name: str
    rule: AccessRule


_ENTRIES: list[NavEntry] = []


def register_nav(stage: str, label: str, url_name: str, rule: AccessRule) -> None:
    """Add a menu entry (called from an app's ready())."""
    if stage not in dict(STAGES):
        raise ValueError(f"unknown stage {stage}")
    if all(e.url_name != url_name for e in _ENTRIES):
        _ENTRIES.append(NavEntry(stage, label, url_name, rule))


def _url(url_name: str) -> str | None:
    """The entry's address in the active URL map, or None where this node does not serve it."""
    # Apps register entries whatever the node; the intake node's URL map holds only a few of them.
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the stages and links this user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_stages": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    stages = []
    for code, label in STAGES:
        links = [
            {"label": e.label, "url": url, "active": e.url_name == current}
            for e in _ENTRIES
            if e.stage == code and e.rule.allows(user) and (url := _url(e.url_name))
        ]
        if links:
            stages.append({"code": code, "label": label, "links": links})
    return {"nav_stages": stages}
