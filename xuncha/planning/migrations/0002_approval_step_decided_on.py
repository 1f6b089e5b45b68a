from django.db import migrations, models
from django.utils import timezone


def from_entry_time(apps, schema_editor):
    """Steps recorded before this field: their entry time is the best date there is."""
    ApprovalStep = apps.get_model("planning", "ApprovalStep")
    for step in ApprovalStep.objects.filter(decided_on__isnull=True).only("pk", "created_at"):
        step.decided_on = timezone.localtime(step.created_at).date()
        step.save(update_fields=["decided_on"])


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="approvalstep",
            name="decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="办理日期"),
        ),
        migrations.RunPython(from_entry_time, migrations.RunPython.noop),
    ]
