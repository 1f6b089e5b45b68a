"""On-site work's parameters: the weekday the weekly report is due, the look-back for recently retired leaders."""

from typing import Any

from django.db import migrations

KEYS = ("weekly_report_weekday", "recent_retirement_years")


def add(apps: Any, schema_editor: Any) -> None:
    from xuncha.core.seed import reference

    ConfigParam = apps.get_model("core", "ConfigParam")
    for spec in reference.PARAMS:
        if spec["key"] in KEYS:
            ConfigParam.objects.get_or_create(key=spec["key"], defaults={k: v for k, v in spec.items() if k != "key"})


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("core", "ConfigParam").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0007_descriptions_without_references")]
    operations = [migrations.RunPython(add, remove)]
