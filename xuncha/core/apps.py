from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting base: committees, audit chain, calendar, code tables, parameters, access."""

    name = "xuncha.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from xuncha.core import (
            checks,  # noqa: F401  (registers system checks)
            views,
        )
        from xuncha.core.access import rule_of
        from xuncha.core.navigation import register_nav
        from xuncha.core.todo import register_todo
        from xuncha.core.worker import worker_todos

        register_todo(worker_todos)

        for stage, label, url_name, view in [
            ("registry", "派出党委", "core:committee_list", views.committee_list),
            ("settings", "节假日日历", "core:calendar", views.calendar),
            ("settings", "代码表", "core:code_table_list", views.code_table_list),
            ("settings", "配置参数", "core:param_list", views.param_list),
            ("security", "审计日志", "core:audit_log", views.audit_log),
        ]:
            rule = rule_of(view)
            assert rule is not None
            register_nav(stage, label, url_name, rule)
