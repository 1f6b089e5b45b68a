from django.apps import AppConfig


class FerryConfig(AppConfig):
    """The one-way transfer between the intake node and the internal system: numbered sealed bundles in,
    the return channel (announcements and reporters' views) out, and their commands."""

    name = "xuncha.ferry"
    label = "ferry"
    verbose_name = "数据摆渡"

    def ready(self) -> None:
        from xuncha.core.access import rule_of
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.navigation import register_nav
        from xuncha.ferry import views

        rule = rule_of(views.transfer)
        assert rule is not None
        register_nav("entry", "数据包摆渡", "ferry:transfer", rule)
        register_audit_labels(
            actions={},
            object_types={
                "ferry.exportedbundle": "受理节点数据包",
                "ferry.importedbundle": "受理节点数据包",
                "ferry.replyexport": "回传数据包",
                "ferry.replyimport": "回传数据包",
            },
        )
