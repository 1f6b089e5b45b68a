from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """The organisation registry: units, people, posts, relations; Excel import."""

    name = "xuncha.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.orgs.choices import AUDIT_ACTIONS

        register_audit_labels(actions=AUDIT_ACTIONS)
        from xuncha.core.access import rule_of
        from xuncha.core.navigation import register_nav
        from xuncha.core.todo import register_todo
        from xuncha.orgs import todos, views

        for stage, label, url_name, view in [
            ("registry", "组织机构", "orgs:organization_list", views.organization_list),
            ("registry", "人员与班子", "orgs:person_list", views.person_list),
        ]:
            rule = rule_of(view)
            assert rule is not None
            register_nav(stage, label, url_name, rule)
        register_todo(todos.registry_todos)
