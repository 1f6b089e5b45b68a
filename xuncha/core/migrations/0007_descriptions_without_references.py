"""Parameter descriptions say what a value does, in Chinese, without pointing at design documents."""

from typing import Any

from django.db import migrations


def reword(apps: Any, schema_editor: Any) -> None:
    from xuncha.core.seed import reference

    ConfigParam = apps.get_model("core", "ConfigParam")
    for spec in reference.PARAMS:
        ConfigParam.objects.filter(key=spec["key"]).update(description=spec.get("description", ""))


class Migration(migrations.Migration):
    dependencies = [("core", "0006_login_lockout_wording")]
    operations = [migrations.RunPython(reword, migrations.RunPython.noop)]
