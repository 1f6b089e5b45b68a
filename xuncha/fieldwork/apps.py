from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    """Entry and on-site work: announcements with their PDF, poster and QR codes, and the survey."""

    name = "xuncha.fieldwork"
    label = "fieldwork"
    verbose_name = "进驻与现场工作"

    def ready(self) -> None:
        from xuncha.core.audit_labels import register_audit_labels
        from xuncha.fieldwork.announcements import close_public_channel
        from xuncha.planning.machines import ASSIGNMENT_MACHINE

        ASSIGNMENT_MACHINE.observe(close_public_channel)

        register_audit_labels(
            actions={},
            object_types={"fieldwork.surveyresponse": "满意度测评答卷", "fieldwork.announcement": "巡察公告"},
        )
