"""Parameters added with planning: supervision on-site length, feedback due, required team skills."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
