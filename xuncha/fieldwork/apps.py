from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    """Entry and on-site work: announcements with their PDF, poster and QR codes, the survey, the entry
    meetings, interviews, document requests, other on-site records, weekly and urgent reports."""

    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "进驻与现场工作"

    def ready(self) -> None:
        from xuncha.core.access import rule_of
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.core.navigation import register_nav
        from xuncha.fieldwork.announcements import close_public_channel
        from xuncha.fieldwork.choices import AUDIT_ACTIONS, AUDIT_OBJECT_TYPES
        from xuncha.fieldwork.machines import required_interviews_settled
        from xuncha.fieldwork.views import onsite
        from xuncha.planning.machines import ASSIGNMENT_MACHINE

        ASSIGNMENT_MACHINE.observe(close_public_channel)
        ASSIGNMENT_MACHINE.add_gate("close_onsite", required_interviews_settled)

        register_audit_labels(
            actions=AUDIT_ACTIONS,
            object_types={
                "fieldwork.surveyresponse": "满意度测评答卷",
                "fieldwork.announcement": "巡察公告",
                **AUDIT_OBJECT_TYPES,
            },
        )
        rule = rule_of(onsite.workspace_list)
        assert rule is not None
        register_nav("entry", "现场工作", "fieldwork:workspace_list", rule)
