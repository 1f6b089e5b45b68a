from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users, role grants, log-in with lock-out and TOTP second factor."""

    name = "xuncha.accounts"
    label = "accounts"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from xuncha.accounts.choices import AUDIT_ACTIONS
        from xuncha.core.audit_labels import register_audit_labels

        register_audit_labels(actions=AUDIT_ACTIONS)
        from xuncha.accounts import todos, views
        from xuncha.core.access import rule_of
        from xuncha.core.navigation import register_nav
        from xuncha.core.todo import register_todo

        for stage, label, url_name, view in [
            ("security", "用户管理", "accounts:user_list", views.user_list),
            ("security", "账号重置申请", "accounts:reset_list", views.reset_list),
        ]:
            rule = rule_of(view)
            assert rule is not None
            register_nav(stage, label, url_name, rule)
        register_todo(todos.account_todos)
