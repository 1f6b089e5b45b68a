"""The disposition 了解情况、不作处理 (domain.md §5.5 NOTED → CLOSED), as a new version of the code table."""

from django.db import migrations


def add_noted(apps, schema_editor):
    CodeTable = apps.get_model("core", "CodeTable")
    CodeItem = apps.get_model("core", "CodeItem")
    current = CodeTable.objects.filter(key="petition_dispositions", is_current=True).first()
    if current is None or current.items.filter(code="noted").exists():
        return
    items = list(current.items.order_by("sort_order").values_list("code", "label"))
    archive = next((i for i, (code, _) in enumerate(items) if code == "archive"), len(items))
    items.insert(archive, ("noted", "了解情况，不作处理"))
    CodeTable.objects.filter(pk=current.pk).update(is_current=False)
    table = CodeTable.objects.create(
        key=current.key, version=current.version + 1, name=current.name, description=current.description, is_current=True
    )
    CodeItem.objects.bulk_create(
        CodeItem(table=table, code=code, label=label, sort_order=i) for i, (code, label) in enumerate(items, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("petitions", "0008_follow_up_clocks_incoming"), ("core", "0003_planning_params")]
    operations = [migrations.RunPython(add_noted, migrations.RunPython.noop)]
