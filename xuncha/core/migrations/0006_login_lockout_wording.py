"""The lock-out parameters now pause a (user name, address) pair rather than the account (ADR 0012)."""

from typing import Any

from django.db import migrations

WORDING = {
    "login_max_failures": ("登录失败暂停次数", "LOGIN_MAX_FAILURES_TEXT"),
    "login_lockout_minutes": ("登录暂停时长", "LOGIN_LOCKOUT_MINUTES_TEXT"),
}


def reword(apps: Any, schema_editor: Any) -> None:
    from xuncha.core.seed import reference

    ConfigParam = apps.get_model("core", "ConfigParam")
    for key, (label, text) in WORDING.items():
        ConfigParam.objects.filter(key=key).update(label=label, description=getattr(reference, text))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_partitioned_configuration")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
