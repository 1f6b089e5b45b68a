"""Seed the code tables, configuration parameters and the 2023–2027 calendar."""

from django.db import migrations


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    from xuncha.core.seed.reference import load_reference_data

    load_reference_data(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
